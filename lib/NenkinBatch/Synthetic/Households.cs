using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Formats.Members;

namespace NenkinBatch.Synthetic;

/// <summary>
/// Makes the city's residents household by household, deterministically from one generator: heads,
/// spouses, children (twins among them), parents; Japanese and foreign; on the city's 国民年金 file or not.
/// </summary>
public sealed class Households(CityOptions options, Vocabulary vocabulary)
{
    private static readonly DateOnly UniversalPensionStart = new(1961, 4, 1);

    public IEnumerable<List<SyntheticPerson>> Generate(SplitMix random)
    {
        var made = 0;
        var household = 0;
        while (made < options.People)
        {
            var members = Household(random, household++, made, newcomers: false);
            if (made + members.Count > options.People) members.RemoveRange(options.People - made, members.Count - (options.People - made));
            made += members.Count;
            yield return members;
        }
    }

    /// <summary>A household that moves into the city (転入): new 宛名番号 beyond the city's own.</summary>
    public List<SyntheticPerson> Newcomers(SplitMix random, int householdIndex, int firstIndex) => Household(random, householdIndex, firstIndex, newcomers: true);

    /// <summary>
    /// One person new to the register, made to order for a case: a newcomer of a given age, or a baby (age 0, born
    /// <paramref name="bornOn"/>). <paramref name="unknownBirthYear"/> gives a foreign resident the 不詳 birth date YYYY0000.
    /// </summary>
    public SyntheticPerson Newcomer(SplitMix random, int index, string householdNumber, string relationship, int age, int sex, bool foreign,
        Surname? surname = null, SyntheticAddress? address = null, int? unknownBirthYear = null, DateOnly? bornOn = null)
    {
        var birth = bornOn ?? (unknownBirthYear is { } year ? new DateOnly(year, 7, 1) : Birth(random, age));
        return new SyntheticPerson
        {
            Index = index,
            AtenaNumber = AtenaNumber.WithCheckDigit((100000000 + index).ToString("D9", CultureInfo.InvariantCulture)),
            HouseholdNumber = householdNumber,
            Relationship = relationship,
            Surname = surname ?? vocabulary.Surnames.Draw(random),
            Given = (sex == 1 ? vocabulary.MaleNames : vocabulary.FemaleNames).Draw(random),
            ForeignFamily = foreign ? random.Pick(vocabulary.ForeignFamilies) : null,
            ForeignGiven = foreign ? random.Pick(vocabulary.ForeignGiven) : null,
            BirthDate = birth,
            BirthUnknownCompact = unknownBirthYear is { } y ? $"{y:D4}0000" : null,
            BirthUnknownText = unknownBirthYear is not null ? $"{Era.Of(birth).Name}{birth.Year - Era.Of(birth).First.Year + 1}年頃" : null,
            Sex = sex,
            Address = address ?? NewAddress(random),
            BasicPensionNumber = PensionNumber(index),
            CityHasPensionNumber = false,
            IndividualNumber = IndividualNumberOf(index),
            OnFile = false,
            HistoryLength = 1,
        };
    }

    /// <param name="newcomers">A household moving in (a delta's 転入): none of them has a history yet, so none has left or changed name.</param>
    private List<SyntheticPerson> Household(SplitMix random, int householdIndex, int firstIndex, bool newcomers)
    {
        // What the household and its people have beyond the draws every seed has always made: its own generator's.
        var own = SplitMix.For(options.Seed, 0x40_05E_401DUL, householdIndex);
        var householdNumber = AtenaNumber.WithCheckDigit((500000000 + householdIndex).ToString("D9", CultureInfo.InvariantCulture));
        var foreign = random.Chance(options.ForeignRate);
        var surname = vocabulary.Surnames.Draw(random);
        var family = foreign ? random.Pick(vocabulary.ForeignFamilies) : null;
        var address = SyntheticAddress.InChomeTown(random, vocabulary);
        if (own.Chance(options.BanchiTownRate)) address = SyntheticAddress.InBanchiTown(own, vocabulary, options);
        var suffix = random.Chance(options.AddressSuffixRate)
            ? $"{(random.Chance(0.5) ? address.Town.Name : surname.Jps)}{random.Pick(vocabulary.Buildings)}{random.Between(1, 9)}0{random.Between(1, 9)}号室"
            : null;
        var moved = random.Chance(options.MovedRate) ? SyntheticAddress.InChomeTown(random, vocabulary) : null;
        if (moved is not null && own.Chance(options.BanchiTownRate)) moved = SyntheticAddress.InBanchiTown(own, vocabulary, options);
        var movedInHistory = moved is null || own.Chance(options.OldAddressInHistoryRate);

        var kind = random.NextDouble();
        var people = new List<SyntheticPerson>();
        var headAge = kind switch { < 0.30 => random.Between(20, 90), < 0.52 => random.Between(25, 85), < 0.87 => random.Between(28, 60), < 0.95 => random.Between(25, 55), _ => random.Between(45, 65) };
        var headSex = random.Chance(0.75) ? 1 : 2;
        Add("世帯主", headAge, headSex, twin: false);
        if (kind is >= 0.30 and < 0.87 || kind >= 0.95)
            Add(headSex == 1 ? "妻" : "夫", Math.Max(20, headAge + random.Between(-5, 5)), 3 - headSex, twin: false);
        if (kind >= 0.52)
        {
            var children = random.Between(1, 3);
            for (var c = 0; c < children; c++)
            {
                var age = Math.Max(0, headAge - random.Between(24, 38));
                if (random.Chance(options.TwinRate))
                {
                    var twinBirth = Birth(random, age);
                    Add("子", 0, random.Chance(0.5) ? 1 : 2, twin: true, birth: twinBirth);
                    Add("子", 0, random.Chance(0.5) ? 1 : 2, twin: true, birth: twinBirth);
                    c++;
                }
                else Add("子", age, random.Chance(0.5) ? 1 : 2, twin: false);
            }
        }
        if (kind >= 0.95)
            Add(random.Chance(0.5) ? "父" : "母", headAge + random.Between(25, 32), random.Chance(0.5) ? 1 : 2, twin: false);
        return people;

        void Add(string relationship, int age, int sex, bool twin, DateOnly? birth = null)
        {
            var index = firstIndex + people.Count;
            var birthDate = birth ?? Birth(random, age);
            // Twins share a birth date, an address and a surname, and must still be told apart by given name.
            GivenName given;
            do given = (sex == 1 ? vocabulary.MaleNames : vocabulary.FemaleNames).Draw(random);
            while (twin && people.Count > 0 && people[^1].IsTwin && people[^1].Given.Kana == given.Kana);
            var unknownBirth = foreign && random.Chance(options.UnknownBirthRate);
            var ageNow = options.AsOf.Year - birthDate.Year - (options.AsOf.DayOfYear < birthDate.DayOfYear ? 1 : 0);
            var onFile = ageNow >= 20 && (ageNow >= 60 || !random.Chance(options.EmployeeRate));
            var maiden = !newcomers && !foreign && relationship == "妻" && own.Chance(options.MaidenNameRate)
                ? JukiHistoryMaker.OtherSurname(own, vocabulary, surname) : null;
            DateOnly? movedOutOn = !newcomers && onFile && own.Chance(options.MovedOutRate) ? options.AsOf.AddDays(-own.Between(70, 150)) : null;
            var person = new SyntheticPerson
            {
                Index = index,
                AtenaNumber = AtenaNumber.WithCheckDigit((100000000 + index).ToString("D9", CultureInfo.InvariantCulture)),
                HouseholdNumber = householdNumber,
                Relationship = relationship,
                Surname = surname,
                Given = given,
                ForeignFamily = family,
                ForeignGiven = foreign ? random.Pick(vocabulary.ForeignGiven) : null,
                BirthDate = unknownBirth ? new DateOnly(birthDate.Year, 7, 1) : birthDate,
                BirthUnknownCompact = unknownBirth ? $"{birthDate.Year:D4}0000" : null,
                BirthUnknownText = unknownBirth ? $"{Era.Of(birthDate).Name}{birthDate.Year - Era.Of(birthDate).First.Year + 1}年頃" : null,
                Sex = sex,
                Address = address,
                AddressSuffix = suffix,
                OldAddress = moved,
                OldAddressInHistory = movedInHistory,
                MaidenSurname = maiden,
                MovedOutOn = movedOutOn,
                MovedOutTo = movedOutOn is null ? null : own.Pick(Elsewhere.All),
                BasicPensionNumber = PensionNumber(index),
                CityHasPensionNumber = onFile && !random.Chance(options.CityMissingPensionNumberRate),
                IndividualNumber = random.Chance(options.IndividualNumberRate) ? IndividualNumberOf(index) : null,
                OnFile = onFile,
                IsTwin = twin,
                // One draw, as ever: the draws after it (and so every later person) do not depend on the range.
                HistoryLength = random.Between(options.MinHistoryLength, options.MaxHistoryLength),
            };
            if (onFile) AddPeriods(random, person, ageNow);
            people.Add(person);
        }
    }

    private void AddPeriods(SplitMix random, SyntheticPerson person, int age)
    {
        if (random.Chance(0.02)) return; // on file (宛名) without a 資格 period
        var twentieth = person.BirthDate.AddYears(20);
        var acquired = twentieth < UniversalPensionStart ? UniversalPensionStart : twentieth;
        var sixtieth = person.BirthDate.AddYears(60);
        if (age >= 60)
        {
            person.Periods.Add(new QualificationRecord(acquired, 1, "01", sixtieth.AddDays(-1), "13"));
            return;
        }
        var span = options.AsOf.DayNumber - acquired.DayNumber;
        if (span > 400 && random.Chance(0.2))
        {
            var lost = acquired.AddDays(random.Between(100, span - 200));
            person.Periods.Add(new QualificationRecord(acquired, 1, "01", lost, "14"));
            if (random.Chance(0.7))
                person.Periods.Add(new QualificationRecord(lost.AddDays(random.Between(30, Math.Max(31, options.AsOf.DayNumber - lost.DayNumber - 1))), 1, "03", null, null));
            return;
        }
        person.Periods.Add(new QualificationRecord(acquired, 1, "01", null, null));
    }

    /// <summary>An address anywhere in the city, in a town with 丁目 or a 番地 town.</summary>
    public SyntheticAddress NewAddress(SplitMix random) => SyntheticAddress.Draw(random, vocabulary, options);

    private DateOnly Birth(SplitMix random, int age) => options.AsOf.AddYears(-age).AddDays(-random.Between(1, 364));

    /// <summary>A 4-digit 記号 and 6-digit 番号, unique per person: index times a number coprime to 9×10⁹ is a bijection.</summary>
    public static string PensionNumber(long index) => (1_000_000_000L + index * 2_654_435_761L % 9_000_000_000L).ToString("D10", CultureInfo.InvariantCulture);

    public static string IndividualNumberOf(long index)
    {
        var body = (10_000_000_000L + index * 7_919L % 89_999_999_999L).ToString("D11", CultureInfo.InvariantCulture);
        return body + CheckDigit.Modulus11(body);
    }
}
