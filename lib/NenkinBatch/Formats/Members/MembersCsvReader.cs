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

    // Hashes of the person's fields and of each period, not the records: the first row of every person and period in the file
    // is remembered, and a city's people as whole records would take a large share of the job's memory. A collision (one in
    // four billion pairs) lets one contradiction through.
    private readonly Dictionary<string, (long Line, int Person)> _firstRows = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Atena, DateOnly AcquiredOn), (long Line, int Period)> _firstPeriods = [];

    /// <summary>How much of the file has been read (0..1), for progress estimates.</summary>
    public double Fraction => _stream is { CanSeek: true, Length: > 0 } s ? Math.Min(1, (double)s.Position / s.Length) : 0;

    /// <summary>The header labels, in the layout's order (the order the generator writes).</summary>
    public static IReadOnlyList<string> Columns { get; } = MembersLayout.Fields.Select(f => f.Label).ToArray();

    private static readonly string[] QualificationFields = ["insured_category", "acquired_on", "acquisition_reason", "lost_on", "loss_reason"];

    /// <param name="skipThroughLine">
    /// Rows up to this line of the file were committed by an earlier run and are not given out again; they are still read, since a
    /// later row must agree with them.
    /// </param>
    public async IAsyncEnumerable<MemberReadResult> ReadAsync(
        string path, long skipThroughLine,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = InputFile.DisplayName(path);
        var columns = Columns.ToArray();
        var seen = new Dictionary<UInt128, long>();
        await foreach (var record in HeaderedCsv.ReadAsync(path, MembersLayout.Name, columns, 0, stream => _stream = stream, cancellationToken))
        {
            var result = AgreeingWithEarlierRows(Parse(record.Parser(MembersLayout, codes, file), file, record.Line), file);
            // An exact copy of an earlier good row changes nothing (the load is idempotent), but the operator hears of it.
            if (result.Row is not null && !seen.TryAdd(record.Digest, record.Line))
                result = result with { Problems = [.. result.Problems, RowProblem.Warning(file, record.Line, null, null, $"{seen[record.Digest]}行目とまったく同じ内容の行です（重複）")] };
            if (record.Line > skipThroughLine) yield return result;
        }
    }

    /// <summary>
    /// Rows of one person repeat the person's fields, and a 資格 period is one row: a row that disagrees with the person's
    /// first row, or with an earlier row of the same period (宛名番号 + 資格取得年月日), anywhere in the file, is rejected,
    /// so that neither wins by its place in the file and a second load of the same file changes nothing.
    /// </summary>
    private MemberReadResult AgreeingWithEarlierRows(MemberReadResult result, string file)
    {
        if (result.Row is not { } row) return result;
        var atena = row.Person.AtenaNumber;
        var person = HashCode.Combine(row.Person, row.IndividualNumber);
        if (!_firstRows.TryAdd(atena, (row.Line, person)) && _firstRows[atena] is var first && first.Person != person)
            return Rejected(RowProblem.Error(file, row.Line, "宛名番号", atena,
                $"同じ宛名番号の {first.Line} 行目と宛名の項目（氏名・住所・生年月日・個人番号など）が一致しません。正しい内容に揃えてください"));
        if (row.Qualification is not { } qualification) return result;
        var key = (atena, qualification.AcquiredOn);
        var period = qualification.GetHashCode();
        if (!_firstPeriods.TryAdd(key, (row.Line, period)) && _firstPeriods[key] is var earlier && earlier.Period != period)
            return Rejected(RowProblem.Error(file, row.Line, "資格取得年月日", qualification.AcquiredOn.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
                $"同じ宛名番号・資格取得年月日の {earlier.Line} 行目と資格の項目（被保険者種別・事由・資格喪失年月日）が一致しません。1つの資格は1行にしてください"));
        return result;

        MemberReadResult Rejected(RowProblem problem) => result with { Row = null, Problems = [.. result.Problems, problem] };
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
