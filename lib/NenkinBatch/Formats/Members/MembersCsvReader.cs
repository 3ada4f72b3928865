using NenkinBatch.Domain;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats.Layouts;

namespace NenkinBatch.Formats.Members;

/// <summary>
/// Reads layout <c>members-csv</c> (docs/formats.md): the city's own records exported from the
/// system being replaced, UTF-8, header required, one row per 資格 period. Streams; a row
/// never costs more than itself in memory.
/// </summary>
public sealed class MembersCsvReader(CodeTables codes)
{
    private static readonly Layout MembersLayout = Layout.Resolve("members-csv");
    private Stream? _stream;

    /// <summary>How much of the file has been read (0..1), for progress estimates.</summary>
    public double Fraction => _stream is { CanSeek: true, Length: > 0 } s ? Math.Min(1, (double)s.Position / s.Length) : 0;

    /// <summary>The header labels, in the layout's order (the order the generator writes).</summary>
    public static IReadOnlyList<string> Columns { get; } = MembersLayout.Fields.Select(f => f.Label).ToArray();

    private static readonly string[] QualificationFields = ["insured_category", "acquired_on", "acquisition_reason", "lost_on", "loss_reason"];

    /// <param name="skipThroughLine">Rows up to this line of the file were committed by an earlier run and are skipped.</param>
    public async IAsyncEnumerable<MemberReadResult> ReadAsync(
        string path, long skipThroughLine,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = InputFile.DisplayName(path);
        var columns = Columns.ToArray();
        var seen = new Dictionary<UInt128, long>();
        await foreach (var record in HeaderedCsv.ReadAsync(path, MembersLayout.Name, columns, skipThroughLine, stream => _stream = stream, cancellationToken))
        {
            var result = Parse(record.Parser(MembersLayout, codes, file), file, record.Line);
            // An exact copy of an earlier good row changes nothing (the load is idempotent), but the operator hears of it.
            if (result.Row is not null && !seen.TryAdd(record.Digest, record.Line))
                result = result with { Problems = [.. result.Problems, RowProblem.Warning(file, record.Line, null, null, $"{seen[record.Digest]}行目とまったく同じ内容の行です（重複）")] };
            yield return result;
        }
    }

    private static MemberReadResult Parse(FieldParser p, string file, long line)
    {
        var atena = p.AtenaNumber("atena_number");
        var pension = p.BasicPensionNumber("basic_pension_number");
        var name = p.Text("name");
        var kana = p.Text("name_kana");
        var birth = p.BirthDate("birth_date");
        var sex = p.CodeNumber("sex");
        var postal = p.PostalCode("postal_code");
        var address = p.Text("address");
        var suffix = p.Text("address_suffix");
        var status = p.CodeNumber("resident_status");
        var removed = p.Date("removed_on");

        // A person with no 資格 period has the qualification columns empty; one filled means a period, and a period needs its 取得日 and 種別.
        QualificationRecord? qualification = null;
        if (QualificationFields.Any(f => p.RawValue(f) is not null))
        {
            var category = p.CodeNumber("insured_category");
            var acquired = p.Date("acquired_on");
            var acquisitionReason = p.Code("acquisition_reason");
            var lost = p.Date("lost_on");
            var lossReason = p.Code("loss_reason");
            if (p.RawValue("acquired_on") is null)
                p.Problems.Add(RowProblem.Error(file, line, "資格取得年月日", null, "資格の項目があるのに資格取得年月日がありません"));
            if (p.RawValue("insured_category") is null)
                p.Problems.Add(RowProblem.Error(file, line, "被保険者種別", null, "資格の項目があるのに被保険者種別がありません"));
            if (acquired is { } a && lost is { } l && l < a)
                p.Problems.Add(RowProblem.Error(file, line, "資格喪失年月日", p.RawValue("lost_on"), "資格喪失年月日が資格取得年月日より前です"));
            if (p.RawValue("lost_on") is null && lossReason is not null)
                p.Problems.Add(RowProblem.Error(file, line, "喪失事由", lossReason, "資格喪失年月日がないのに喪失事由があります"));
            if (acquired is { } acquiredOn && category is { } c)
                qualification = new QualificationRecord(acquiredOn, c, acquisitionReason, lost, lossReason);
        }
        var number = p.IndividualNumber("individual_number");

        if (p.HasErrors) return new MemberReadResult(line, null, p.ProblemsOrNone);
        var person = new PersonRecord(atena!, pension, name!, kana!, birth!.Value.Date, birth.Value.IsComplete ? null : p.RawValue("birth_date"),
            sex!.Value, postal, address!, suffix, status!.Value, removed);
        return new MemberReadResult(line, new MemberRow(line, person, qualification, number), p.ProblemsOrNone);
    }
}
