using NenkinBatch.Domain;
using NenkinBatch.Domain.Text;
using NenkinBatch.Formats.Members;

namespace NenkinBatch.Synthetic;

public enum NumberStyle
{
    /// <summary>１丁目２番３号</summary>
    Banchi,
    /// <summary>１－２－３</summary>
    Hyphen,
    /// <summary>一丁目２番地３</summary>
    KanjiChome,
}

/// <summary>An address of the synthetic city (千葉県千葉市), writable in the forms real files use.</summary>
public sealed record SyntheticAddress(Town Town, int Chome, int Ban, int Go)
{
    private const string KanjiDigits = "〇一二三四五六七八九";

    /// <summary>How the register writes it: full prefecture and city, full-width digits, 丁目/番/号.</summary>
    public string Register => Write(NumberStyle.Banchi, prefecture: true, city: true);

    public string Write(NumberStyle style, bool prefecture, bool city)
    {
        var prefix = (prefecture ? "千葉県" : "") + (city || prefecture ? "千葉市" : "") + Town.Ward + Town.Name;
        var numbers = style switch
        {
            NumberStyle.Banchi => $"{Chome}丁目{Ban}番{Go}号",
            NumberStyle.Hyphen => $"{Chome}-{Ban}-{Go}",
            _ => $"{KanjiDigits[Chome]}丁目{Ban}番地{Go}",
        };
        return KanaWidth.ToFullWidthAscii(prefix + numbers);
    }
}

/// <summary>One synthetic resident: who they are in the register, in the city's pension file, and to JPS.</summary>
public sealed class SyntheticPerson
{
    public required int Index { get; init; }
    public required string AtenaNumber { get; init; }
    public required string HouseholdNumber { get; init; }
    public required string Relationship { get; init; }
    public required Surname Surname { get; set; }
    public required GivenName Given { get; init; }
    public ForeignPart? ForeignFamily { get; init; }
    public ForeignPart? ForeignGiven { get; init; }
    public required DateOnly BirthDate { get; init; }
    /// <summary>The register's 不詳 form (YYYY0000) and its text, when the birth date is not fully known.</summary>
    public string? BirthUnknownCompact { get; init; }
    public string? BirthUnknownText { get; init; }
    public required int Sex { get; init; }
    public required SyntheticAddress Address { get; set; }
    public string? AddressSuffix { get; set; }
    /// <summary>Where the person lived before a move the register and the city know of, and JPS may not.</summary>
    public SyntheticAddress? OldAddress { get; init; }
    public required string BasicPensionNumber { get; init; }
    public required bool CityHasPensionNumber { get; init; }
    public string? IndividualNumber { get; init; }
    public required bool OnFile { get; init; }
    public bool IsTwin { get; init; }
    public List<QualificationRecord> Periods { get; } = [];
    /// <summary>How many rows the register's history of the person has at least (履歴番号 1..this); a story may need more.</summary>
    public required int HistoryLength { get; init; }

    public bool IsForeign => ForeignFamily is not null;

    /// <summary>On the city's 国民年金 file with a 資格 period not lost: what the 住基 follow-ups ask about.</summary>
    public bool HasOpenQualification => OnFile && Periods.Exists(q => q.LostOn is null);

    public string RegisterName => IsForeign ? $"{ForeignFamily!.Alphabet} {ForeignGiven!.Alphabet}" : $"{Surname.Register}　{Given.Kanji}";

    public string RegisterKana => IsForeign ? $"{ForeignFamily!.Kana}　{ForeignGiven!.Kana}" : $"{Surname.Kana}　{Given.Kana}";

    public string BirthCompact => BirthUnknownCompact ?? BirthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    public int AgeOn(DateOnly day) => day.Year - BirthDate.Year - (day.DayOfYear < BirthDate.DayOfYear ? 1 : 0);

    public PersonRecord ToPersonRecord() => new(
        AtenaNumber, CityHasPensionNumber ? BasicPensionNumber : null, RegisterName, RegisterKana,
        BirthUnknownCompact is null ? BirthDate : null, BirthUnknownCompact, Sex, Address.Town.PostalCode, Address.Register, AddressSuffix, 1, null);
}
