using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats.Layouts;

namespace NenkinBatch.Formats.Juki;

/// <summary>Reads the 住基 change extract (layout juki-change-csv). Streams; row order is not trusted here or later.</summary>
public sealed class JukiChangeReader(Layout layout, CodeTables codes)
{
    public async IAsyncEnumerable<JukiReadResult> ReadAsync(string path, long skipThroughLine,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        var columns = layout.Fields.Select(f => f.Label).ToArray();
        await foreach (var record in HeaderedCsv.ReadAsync(path, layout.Name, columns, skipThroughLine, null, cancellationToken))
            yield return Parse(record.Parser(layout, codes, file), record.Line);
    }

    private static JukiReadResult Parse(FieldParser p, long line)
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
        if (p.HasErrors) return new JukiReadResult(line, null, p.ProblemsOrNone);
        return new JukiReadResult(line, new JukiChangeRow(line, atena!, history!.Value, reason!, changed!.Value, notified, processed!.Value, household!, relationship,
            name!, kana!, commonName, birth!.Value, sex!.Value, kind!.Value, status!.Value, postal, address!, suffix, became, movedTo, removed, number, block == 1, nationality), p.ProblemsOrNone);
    }
}
