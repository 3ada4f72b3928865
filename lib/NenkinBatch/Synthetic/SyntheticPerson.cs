using NenkinBatch.Domain;
using NenkinBatch.Formats.Members;

namespace NenkinBatch.Synthetic;

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
    /// <summary>
    /// The 転居 from <see cref="OldAddress"/> is in the register's history; if not, the move came before the history begins
    /// and the history starts at today's address.
    /// </summary>
    public bool OldAddressInHistory { get; init; } = true;
    /// <summary>The surname before a 31 氏名変更 the history holds (a wife's maiden name).</summary>
    public Surname? MaidenSurname { get; init; }
    /// <summary>The day the person left the city (a 20 転出, the history's last row), and where to: the register keeps them as 転出.</summary>
    public DateOnly? MovedOutOn { get; init; }
    public Elsewhere? MovedOutTo { get; init; }
    public required string BasicPensionNumber { get; init; }
    public required bool CityHasPensionNumber { get; init; }
    public string? IndividualNumber { get; init; }
    public required bool OnFile { get; init; }
    public bool IsTwin { get; init; }
    public List<QualificationRecord> Periods { get; } = [];
    /// <summary>How many rows the register's history of the person has at least (履歴番号 1..this); a story may need more.</summary>
    public required int HistoryLength { get; init; }

    public bool IsForeign => ForeignFamily is not null;

    /// <summary>住民状態: 1 住民, 2 転出.</summary>
    public int ResidentStatus => MovedOutOn is null ? 1 : 2;

    /// <summary>On the city's 国民年金 file with a 資格 period not lost: what the 住基 follow-ups ask about.</summary>
    public bool HasOpenQualification => OnFile && Periods.Exists(q => q.LostOn is null);

    public string RegisterName => IsForeign ? $"{ForeignFamily!.Alphabet} {ForeignGiven!.Alphabet}" : $"{Surname.Register}　{Given.Kanji}";

    public string RegisterKana => IsForeign ? $"{ForeignFamily!.Kana}　{ForeignGiven!.Kana}" : $"{Surname.Kana}　{Given.Kana}";

    public string BirthCompact => BirthUnknownCompact ?? BirthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    public int AgeOn(DateOnly day) => day.Year - BirthDate.Year - (day.DayOfYear < BirthDate.DayOfYear ? 1 : 0);

    public PersonRecord ToPersonRecord() => new(
        AtenaNumber, CityHasPensionNumber ? BasicPensionNumber : null, RegisterName, RegisterKana,
        BirthUnknownCompact is null ? BirthDate : null, BirthUnknownCompact, Sex, Address.Town.PostalCode, Address.Register, AddressSuffix, ResidentStatus, MovedOutOn);
}
