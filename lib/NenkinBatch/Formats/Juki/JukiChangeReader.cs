using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats.Layouts;

namespace NenkinBatch.Formats.Juki;

/// <summary>Reads the 住基 change extract (layout juki-change-csv). Streams; row order is not trusted here or later.</summary>
/// <param name="today">
/// The day of the run: a 処理日 after it cannot be (the register processed the change before it wrote the extract), and
/// one mistyped decades ahead would make every other row of the file look too old to raise a follow-up.
/// </param>
public sealed class JukiChangeReader(Layout layout, CodeTables codes, DateOnly? today = null)
{
    /// <summary>The fields that hold where a person lives: never shown for a person under 支援措置, not even in a rejected-row list.</summary>
    private static readonly HashSet<string> AddressFields = ["address", "address_suffix", "moved_out_to", "postal_code"];

    public IAsyncEnumerable<JukiReadResult> ReadAsync(string path, long skipThroughLine, CancellationToken cancellationToken) =>
        ReadAsync(path, skipThroughLine, checkFirst: true, cancellationToken);

    /// <param name="checkFirst">False when <see cref="Survey"/> has just read the file through (and checked it).</param>
    public async IAsyncEnumerable<JukiReadResult> ReadAsync(string path, long skipThroughLine, bool checkFirst,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        var columns = layout.Fields.Select(f => f.Label).ToArray();
        var optional = layout.Fields.Where(f => f.OptionalColumn).Select(f => f.Label).ToHashSet(StringComparer.Ordinal);
        await foreach (var record in HeaderedCsv.ReadAsync(path, layout.Name, columns, optional, skipThroughLine, null, cancellationToken, checkFirst))
            yield return Parse(record.Parser(layout, codes, file), record.Line, file, shifted: record.FieldCount != record.ExpectedCount);
    }

    /// <summary>
    /// What a file says of itself before any of it is stored: the newest 処理日 of its rows (null when none can be read; a change
    /// far older than that is history, not news, and raises no follow-up); how many of its rows carry a 市区町村コード other than
    /// <paramref name="municipality"/>; and the people whose 支援措置 some row sets or leaves unreadable, whose refused rows show no
    /// address. Decodes only those columns, but reads the file through as <see cref="ReadAsync"/> would: a file it refuses is
    /// refused here, before anything of it is stored, and the read that follows need not check it first.
    /// </summary>
    public JukiFileSurvey Survey(string path, string municipality, CancellationToken cancellationToken)
    {
        DateOnly? newest = null;
        long other = 0;
        string? otherCode = null;
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        var mayBeBlocked = false;
        var ours = System.Text.Encoding.ASCII.GetBytes(municipality);
        // All the layout's columns are asked for: a file of another layout is refused here.
        var columns = layout.Fields.Select(f => f.Label).ToArray();
        var optional = layout.Fields.Where(f => f.OptionalColumn).Select(f => f.Label).ToHashSet(StringComparer.Ordinal);
        var rows = HeaderedCsv.ScanColumns(path, layout.Name, columns, optional,
        [
            (layout.IndexOf("processed_on"), field =>
            {
                // A 処理日 after today is refused with its row (Parse), so it is no file's newest.
                if (Text(field) is { Length: 8 } text && Domain.CalendarDate.ParseCompact(text) is { Ok: true } parsed && (newest is null || parsed.Value > newest)
                    && !(parsed.Value > today))
                    newest = parsed.Value;
            }),
            (layout.IndexOf("municipality_code"), field =>
            {
                // Only a valid code counts as another 市区町村's (and is named): anything else is a bad value, not the wrong file.
                if (field.SequenceEqual(ours) || Domain.MunicipalityCode.Parse(Text(field)) is not { Ok: true } parsed || parsed.Value.Value == municipality) return;
                other++;
                otherCode ??= parsed.Value.Value;
            }),
            // The 宛名番号 after the 支援措置 of the same record (the scans run in this order).
            (layout.IndexOf("disclosure_block"), field => mayBeBlocked = !(field.Length == 1 && field[0] == (byte)'0')),
            (layout.IndexOf("atena_number"), field =>
            {
                if (mayBeBlocked && Text(field) is { } atena) flagged.Add(atena);
                mayBeBlocked = false;
            }),
        ], cancellationToken);
        return new JukiFileSurvey(newest, rows, other, otherCode, flagged);

        // Eight ASCII digits are their own cleaned text; anything else is decoded and cleaned as every field is.
        static string? Text(ReadOnlySpan<byte> field) => field.Length == 8 && System.Text.Ascii.IsValid(field)
            ? System.Text.Encoding.ASCII.GetString(field)
            : FieldText.Clean(TextEncodings.Utf8Strict.GetString(field));
    }

    /// <summary>The problems with the values of the address fields (住所, 方書, 転出先, 郵便番号) shown as <see cref="DisclosureBlock.Hidden"/>.</summary>
    public IReadOnlyList<RowProblem> HideAddresses(IReadOnlyList<RowProblem> problems) =>
        problems.Any(x => x.Field is { } f && _addressLabels.Contains(f) && x.Value is not null)
            ? problems.Select(x => x.Field is { } f && _addressLabels.Contains(f) && x.Value is not null ? x with { Value = DisclosureBlock.Hidden } : x).ToList()
            : problems;

    private readonly HashSet<string> _addressLabels = layout.Fields.Where(f => AddressFields.Contains(f.Name)).Select(f => f.Label).ToHashSet(StringComparer.Ordinal);

    /// <param name="shifted">The record has another number of fields than the header: its values sit under the wrong columns.</param>
    private JukiReadResult Parse(FieldParser p, long line, string file, bool shifted)
    {
        var atena = p.AtenaNumber("atena_number");
        var history = p.PositiveInteger("history_number");
        var reason = p.Code("change_reason");
        var changed = p.Date("changed_on");
        var notified = p.Date("notified_on");
        var processed = p.Date("processed_on");
        var household = p.AtenaNumber("household_number");
        var relationship = p.Text("relationship");
        var name = p.Text("name");
        var kana = p.Text("name_kana");
        var commonName = p.Text("common_name");
        var birth = p.BirthDate("birth_date");
        var sex = p.CodeNumber("sex");
        var kind = p.CodeNumber("resident_kind");
        var status = p.CodeNumber("resident_status");
        var postal = p.PostalCode("postal_code");
        var address = p.Text("address");
        var suffix = p.Text("address_suffix");
        var became = p.Date("became_resident_on");
        var movedTo = p.Text("moved_out_to");
        var removed = p.Date("removed_on");
        var number = p.IndividualNumber("individual_number");
        var block = p.CodeNumber("disclosure_block");
        var nationality = p.Text("nationality");
        var municipality = p.Municipality("municipality_code");
        if (reason is not null && status is { } s && JukiChangeReasons.RequiredStatus(reason) is { } required && !required.Contains(s))
            p.Problems.Add(RowProblem.Error(file, line, layout.Field("resident_status").Label, s.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"住民状態 {codes["residentStatus"].Describe(s.ToString(System.Globalization.CultureInfo.InvariantCulture))} は異動事由 {codes["jukiChangeReason"].Describe(reason)} と矛盾します"
                + $"（{string.Join("・", required.Select(r => codes["residentStatus"].Describe(r.ToString(System.Globalization.CultureInfo.InvariantCulture))))} のはずです）"));
        if (processed > today)
            p.Problems.Add(RowProblem.Error(file, line, layout.Field("processed_on").Label, p.RawValue("processed_on"),
                $"処理日が今日（{today:yyyy-MM-dd}）より後です。住基の抽出で処理日を確かめてください"));
        var problems = p.ProblemsOrNone;
        // Values under the wrong columns may be anyone's address, or a 支援措置 person's: the row's problems show none.
        if (shifted && problems.Count > 0) problems = problems.Select(x => x with { Value = null }).ToList();
        // Unless the row says plainly that its person has no 支援措置 (raw value: the row may be refused for its very 支援措置
        // field), no address in any list. A person under 支援措置 on file is hidden by the sync, which knows them.
        else if (p.RawValue("disclosure_block") != "0") problems = HideAddresses(problems);
        if (p.HasErrors) return new JukiReadResult(line, null, problems, atena);
        return new JukiReadResult(line, new JukiChangeRow(line, atena!, history!.Value, reason!, changed!.Value, notified, processed!.Value, household!, relationship,
            name!, kana!, commonName, birth!.Value, sex!.Value, kind!.Value, status!.Value, postal, address!, suffix, became, movedTo, removed, number, block == 1, nationality,
            municipality), problems, atena);
    }
}

/// <summary>What a 住基 file says of itself before any of it is stored (<see cref="JukiChangeReader.Survey"/>).</summary>
/// <param name="OtherMunicipality">The first valid 市区町村コード other than the job's, for the message (a code, not personal data).</param>
/// <param name="MayBeBlocked">The 宛名番号 of every row whose 支援措置 reads anything but 0.</param>
public sealed record JukiFileSurvey(DateOnly? NewestProcessedOn, long Rows, long OtherMunicipalityRows, string? OtherMunicipality, IReadOnlySet<string> MayBeBlocked);
