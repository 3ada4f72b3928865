using System.Globalization;
using NenkinBatch.Domain;

namespace NenkinBatch.Matching;

/// <summary>What the city holds of one candidate person, as the matcher compares it.</summary>
public sealed record Candidate(
    string AtenaNumber, string? BasicPensionNumber, string Name, string NameKana, BirthDate BirthDate, int Sex,
    string Address, byte[]? NumberDigest, bool Foreign);

/// <summary>What JPS says of the person a row is about.</summary>
public sealed record Described(string? BasicPensionNumber, string KanaName, string? KanjiName, DateOnly BirthDate, int Sex, string? Address, byte[]? NumberDigest);

/// <summary>One field's part in a decision: the level reached and its weight — the 根拠 a clerk reads.</summary>
public sealed record Evidence(string Field, string Level, double Weight)
{
    public override string ToString() => $"{Field}{Level}({Weight.ToString("+0.0;-0.0", CultureInfo.InvariantCulture)})";
}

/// <summary>The score of a row against a candidate, with every field's evidence.</summary>
public sealed record Comparison(Candidate Candidate, double Score, IReadOnlyList<Evidence> Evidence)
{
    public string Explain() => string.Join("; ", Evidence);
}

/// <summary>
/// Compares a JPS row with a candidate field by field, each at its comparison level, and adds up the
/// Fellegi–Sunter weights. A 基礎年金番号 or 個人番号 present on both sides and different is strong evidence
/// against (DOMAIN.md rule 1), not "missing".
/// </summary>
public sealed class PersonComparer(MatchWeights weights, KanjiName kanji)
{
    public static PersonComparer BuiltIn { get; } = new(MatchWeights.BuiltIn, KanjiName.BuiltIn);

    public Comparison Compare(Described row, Candidate candidate)
    {
        var evidence = new List<Evidence>();
        void Add(string field, string label, string level, string levelLabel) => evidence.Add(new Evidence(label, levelLabel, weights[field, level]));

        if (row.BasicPensionNumber is { } jpsNumber && candidate.BasicPensionNumber is { } cityNumber)
        {
            if (jpsNumber == cityNumber) Add("basic_pension_number", "基礎年金番号", "agree", "一致");
            else Add("basic_pension_number", "基礎年金番号", "disagree", "不一致");
        }
        if (row.NumberDigest is { } jpsDigest && candidate.NumberDigest is { } cityDigest)
        {
            if (jpsDigest.AsSpan().SequenceEqual(cityDigest)) Add("individual_number", "個人番号", "agree", "一致");
            else Add("individual_number", "個人番号", "disagree", "不一致");
        }

        var kana = KanaKey.Compare(row.KanaName, candidate.NameKana);
        Add("kana_name", "カナ氏名", kana.ToString(), kana switch
        {
            KanaLevel.Exact => "一致",
            KanaLevel.Width => "一致(全角半角)",
            KanaLevel.Small => "一致(拗音促音)",
            KanaLevel.Loose => "類似(清濁長音)",
            _ => "不一致",
        });

        if (row.KanjiName is { } name)
        {
            if (candidate.Foreign)
            {
                if (AlphabetName.SameTokens(name, candidate.Name)) Add("alphabet_name", "氏名(英字)", "agree", "一致");
                else Add("alphabet_name", "氏名(英字)", "disagree", "不一致");
            }
            else
            {
                var level = kanji.Compare(name, candidate.Name);
                Add("kanji_name", "漢字氏名", level.ToString(), level switch
                {
                    KanjiLevel.Exact or KanjiLevel.WithoutVariationSelectors => "一致",
                    KanjiLevel.VariantFolded => "一致(異体字)",
                    KanjiLevel.Wildcard => "一致(〓)",
                    _ => "不一致",
                });
            }
        }

        var birth = CompareBirth(row.BirthDate, candidate.BirthDate);
        Add("birth_date", "生年月日", birth, birth switch { "Equal" => "一致", "KnownPartsEqual" => "一致(不詳部分を除く)", "Near" => "近似", _ => "不一致" });

        if (row.Sex == candidate.Sex) Add("sex", "性別", "agree", "一致"); else Add("sex", "性別", "disagree", "不一致");

        if (row.Address is { } address)
        {
            var (a, b) = (AddressCanon.Parse(address), AddressCanon.Parse(candidate.Address));
            var level = a.Canonical == b.Canonical ? "Equal" : a.Place == b.Place ? "SamePlace" : "Different";
            Add("address", "住所", level, level switch { "Equal" => "(正規化後)一致", "SamePlace" => "町名一致", _ => "不一致" });
        }
        return new Comparison(candidate, evidence.Sum(e => e.Weight), evidence);
    }

    /// <summary>A 不詳 birth date matches only on its known parts; a one-day or one-digit slip is "near".</summary>
    private static string CompareBirth(DateOnly jps, BirthDate city)
    {
        if (city.Date is { } date)
        {
            if (date == jps) return "Equal";
            var near = Math.Abs(date.DayNumber - jps.DayNumber) <= 1
                       || (date.Year == jps.Year && date.Month == jps.Month && Math.Abs(date.Day - jps.Day) % 10 == 0)
                       || (date.Year == jps.Year && date.Day == jps.Day);
            return near ? "Near" : "Different";
        }
        var known = city.Year == jps.Year && (city.Month is null || city.Month == jps.Month);
        return known ? "KnownPartsEqual" : "Different";
    }
}
