using System.Globalization;
using NenkinBatch.Formats.Layouts;

namespace NenkinBatch.Synthetic;

/// <summary>
/// A person as the register holds them after a change: everything one row of a 住基 extract carries besides the change
/// itself (layout juki-change-csv). Each row is a whole snapshot, so a story is a chain of these.
/// </summary>
public sealed record JukiSnapshot
{
    public required string AtenaNumber { get; init; }
    public required string HouseholdNumber { get; init; }
    public required string Relationship { get; init; }
    public required string Name { get; init; }
    public required string NameKana { get; init; }
    public string? CommonName { get; init; }
    /// <summary>YYYYMMDD, or YYYY0000 when 不詳.</summary>
    public required string BirthDate { get; init; }
    public string? BirthDateUnknown { get; init; }
    public required int Sex { get; init; }
    public required int ResidentKind { get; init; }
    public int ResidentStatus { get; init; } = 1;
    public required string PostalCode { get; init; }
    public required string Address { get; init; }
    public string? AddressSuffix { get; init; }
    public DateOnly? BecameResidentOn { get; init; }
    public string? MovedOutTo { get; init; }
    public DateOnly? RemovedOn { get; init; }
    public string? IndividualNumber { get; init; }
    public bool DisclosureBlock { get; init; }
    public string? Nationality { get; init; }
    public required string MunicipalityCode { get; init; }

    /// <summary>The person as they are now (for someone who left, as the register keeps them): for someone on the 国民年金 file, what members.csv says of them.</summary>
    public static JukiSnapshot Of(SyntheticPerson person, string municipalityCode, string? commonName) => new()
    {
        AtenaNumber = person.AtenaNumber,
        HouseholdNumber = person.HouseholdNumber,
        Relationship = person.Relationship,
        Name = person.RegisterName,
        NameKana = person.RegisterKana,
        CommonName = commonName,
        BirthDate = person.BirthCompact,
        BirthDateUnknown = person.BirthUnknownText,
        Sex = person.Sex,
        ResidentKind = person.IsForeign ? 2 : 1,
        ResidentStatus = person.ResidentStatus,
        MovedOutTo = person.MovedOutTo?.Address,
        RemovedOn = person.MovedOutOn,
        PostalCode = person.Address.Town.PostalCode,
        Address = person.Address.Register,
        AddressSuffix = person.AddressSuffix,
        IndividualNumber = person.IndividualNumber,
        Nationality = person.IsForeign ? person.ForeignFamily!.Nationality : null,
        MunicipalityCode = municipalityCode,
    };

    /// <summary>The register's name written with another surname (a maiden name, a name taken at marriage).</summary>
    public JukiSnapshot WithSurname(SyntheticPerson person, Surname surname) =>
        this with { Name = $"{surname.Register}　{person.Given.Kanji}", NameKana = $"{surname.Kana}　{person.Given.Kana}" };

    public JukiSnapshot WithAddress(SyntheticAddress address, string? suffix) =>
        this with { Address = address.Register, PostalCode = address.Town.PostalCode, AddressSuffix = suffix };
}

/// <summary>
/// One row of a generated 住基 file: its values in the layout's column order, and what the follow-up truth needs to know
/// of it. A refused row carries the values that make it refused (履歴番号 0, 異動事由 99 …); its typed fields keep the
/// person's own, which nothing reads.
/// </summary>
public sealed class JukiRow
{
    private static readonly Layout JukiLayout = Layout.Resolve("juki-change-csv");
    private static readonly Dictionary<string, int> Columns =
        JukiLayout.Fields.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);

    private JukiRow(string[] values, string atenaNumber, int historyNumber, string changeReason, DateOnly changedOn, DateOnly processedOn)
    {
        Values = values;
        AtenaNumber = atenaNumber;
        HistoryNumber = historyNumber;
        ChangeReason = changeReason;
        ChangedOn = changedOn;
        ProcessedOn = processedOn;
    }

    public static IEnumerable<string> Labels => JukiLayout.Fields.Select(f => f.Label);

    public string[] Values { get; }
    public string AtenaNumber { get; }
    public int HistoryNumber { get; }
    public string ChangeReason { get; }
    public DateOnly ChangedOn { get; }
    public DateOnly ProcessedOn { get; }
    /// <summary>Which file it is written to: 1 the history, 2 and 3 the deltas (the sync run that reads it).</summary>
    public int Run { get; init; }
    /// <summary>Refused by the reader or by the sync job: it applies nothing and is listed as a rejected row.</summary>
    public bool Refused { get; private init; }

    public static JukiRow Of(JukiSnapshot s, int historyNumber, string changeReason, DateOnly changedOn, DateOnly? notifiedOn, DateOnly processedOn, int run)
    {
        var values = new string[Columns.Count];
        void Set(string name, string? value) => values[Columns[name]] = value ?? "";
        Set("atena_number", s.AtenaNumber);
        Set("history_number", historyNumber.ToString(CultureInfo.InvariantCulture));
        Set("change_reason", changeReason);
        Set("changed_on", Compact(changedOn));
        Set("notified_on", notifiedOn is { } n ? Compact(n) : null);
        Set("processed_on", Compact(processedOn));
        Set("household_number", s.HouseholdNumber);
        Set("relationship", s.Relationship);
        Set("name", s.Name);
        Set("name_kana", s.NameKana);
        Set("common_name", s.CommonName);
        Set("birth_date", s.BirthDate);
        Set("birth_date_unknown", s.BirthDateUnknown);
        Set("sex", s.Sex.ToString(CultureInfo.InvariantCulture));
        Set("resident_kind", s.ResidentKind.ToString(CultureInfo.InvariantCulture));
        Set("resident_status", s.ResidentStatus.ToString(CultureInfo.InvariantCulture));
        Set("postal_code", s.PostalCode);
        Set("address", s.Address);
        Set("address_suffix", s.AddressSuffix);
        Set("became_resident_on", s.BecameResidentOn is { } b ? Compact(b) : null);
        Set("moved_out_to", s.MovedOutTo);
        Set("removed_on", s.RemovedOn is { } r ? Compact(r) : null);
        Set("individual_number", s.IndividualNumber);
        Set("disclosure_block", s.DisclosureBlock ? "1" : "0");
        Set("nationality", s.Nationality);
        Set("municipality_code", s.MunicipalityCode);
        return new JukiRow(values, s.AtenaNumber, historyNumber, changeReason, changedOn, processedOn) { Run = run };
    }

    /// <summary>The same row, sent (again, or late) in another file.</summary>
    public JukiRow SentIn(int run) => new(Values, AtenaNumber, HistoryNumber, ChangeReason, ChangedOn, ProcessedOn) { Run = run, Refused = Refused };

    /// <summary>The same row with one field spoiled: refused.</summary>
    public JukiRow Refusing(string field, string value)
    {
        var values = (string[])Values.Clone();
        values[Columns[field]] = value;
        return new JukiRow(values, AtenaNumber, HistoryNumber, ChangeReason, ChangedOn, ProcessedOn) { Run = Run, Refused = true };
    }

    private static string Compact(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
