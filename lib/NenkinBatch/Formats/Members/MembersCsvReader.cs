using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Codes;

namespace NenkinBatch.Formats.Members;

/// <summary>
/// Reads layout <c>members-csv</c> (FORMATS.md §4): the city's own records exported from the
/// system being replaced, UTF-8, header required, one row per 資格 period. Streams; a row
/// never costs more than itself in memory.
/// </summary>
public sealed class MembersCsvReader(CodeTables codes)
{
    private Stream? _stream;

    /// <summary>How much of the file has been read (0..1), for progress estimates.</summary>
    public double Fraction => _stream is { CanSeek: true, Length: > 0 } s ? Math.Min(1, (double)s.Position / s.Length) : 0;

    public static readonly string[] Columns =
    [
        "宛名番号", "基礎年金番号", "氏名", "氏名フリガナ", "生年月日", "性別", "郵便番号", "住所",
        "方書", "住民状態", "消除年月日", "被保険者種別", "資格取得年月日", "取得事由", "資格喪失年月日",
        "喪失事由", "個人番号",
    ];

    /// <param name="skipThroughLine">Rows up to this data line were committed by an earlier run and are skipped.</param>
    public async IAsyncEnumerable<MemberReadResult> ReadAsync(
        string path, long skipThroughLine,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = Path.GetFileName(path);
        await foreach (var record in HeaderedCsv.ReadAsync(path, "members-csv", Columns, skipThroughLine, stream => _stream = stream, cancellationToken))
            yield return ParseRow(file, record);
    }

    private MemberReadResult ParseRow(string file, HeaderedRecord record)
    {
        var line = record.Line;
        var problems = new List<RowProblem>();
        string? Field(int column) => record[column];
        void Error(int column, string? value, string reason) => problems.Add(RowProblem.Error(file, line, Columns[column], value, reason));

        if (record.FieldCount < record.ExpectedCount)
            problems.Add(RowProblem.Error(file, line, null, null, $"項目数が {record.FieldCount} で、見出しの {record.ExpectedCount} に足りません（行が途中で切れています）"));

        var atenaText = Field(0);
        var atena = atenaText is null ? Parsed<AtenaNumber>.Failure("宛名番号がありません") : AtenaNumber.Parse(atenaText);
        if (!atena.Ok) Error(0, atenaText, atena.Error!);
        else if (!atena.Value.HasValidCheckDigit)
            problems.Add(RowProblem.Warning(file, line, Columns[0], atenaText, "宛名番号のチェックデジットが一致しません（旧番号として取り込みます）"));

        string? pension = null;
        if (Field(1) is { } pensionText)
        {
            var parsed = BasicPensionNumber.Parse(pensionText);
            if (parsed.Ok) pension = parsed.Value.Value; else Error(1, pensionText, parsed.Error!);
        }

        var name = Field(2);
        if (name is null) Error(2, null, "氏名がありません");
        var kana = Field(3);
        if (kana is null) Error(3, null, "氏名フリガナがありません");

        BirthDate? birth = null;
        var birthText = Field(4);
        if (birthText is null) Error(4, null, "生年月日がありません");
        else
        {
            var parsed = BirthDate.ParseCompact(birthText);
            if (parsed.Ok) birth = parsed.Value; else Error(4, birthText, parsed.Error!);
        }

        var sex = RequiredCode(5, codes.Sex);
        var postal = Field(6);
        if (postal is not null)
        {
            var digits = postal.Replace("-", "", StringComparison.Ordinal);
            if (digits.Length != 7 || !CheckDigit.IsAsciiDigits(digits))
                problems.Add(RowProblem.Warning(file, line, Columns[6], postal, "郵便番号が7桁の数字ではありません（そのまま取り込みます）"));
            else postal = digits;
        }
        var address = Field(7);
        if (address is null) Error(7, null, "住所がありません");
        var suffix = Field(8);
        var status = RequiredCode(9, codes.ResidentStatus);
        var removedOn = OptionalDate(10);

        QualificationRecord? qualification = null;
        var hasQualification = Enumerable.Range(11, 5).Any(column => Field(column) is not null);
        if (hasQualification)
        {
            var category = RequiredCode(11, codes.InsuredCategory);
            var acquiredText = Field(12);
            DateOnly? acquired = null;
            if (acquiredText is null) Error(12, null, "資格の項目があるのに資格取得年月日がありません");
            else acquired = OptionalDate(12);
            var acquisitionReason = OptionalCode(13, codes.AcquisitionReason);
            var lost = OptionalDate(14);
            var lossReason = OptionalCode(15, codes.LossReason);
            if (acquired is { } a && lost is { } l && l < a)
                Error(14, Field(14), "資格喪失年月日が資格取得年月日より前です");
            if (lost is null && lossReason is not null)
                Error(15, lossReason, "資格喪失年月日がないのに喪失事由があります");
            if (acquired is { } acquiredOn && category is { } c)
                qualification = new QualificationRecord(acquiredOn, int.Parse(c, CultureInfo.InvariantCulture), acquisitionReason, lost, lossReason);
        }

        IndividualNumber? individualNumber = null;
        if (Field(16) is { } numberText)
        {
            var parsed = IndividualNumber.Parse(numberText);
            if (parsed.Ok) individualNumber = parsed.Value; else Error(16, numberText, parsed.Error!);
        }

        if (problems.Any(p => p.Severity == ProblemSeverity.Error))
            return new MemberReadResult(line, null, problems);

        var person = new PersonRecord(
            atena.Value.Value, pension, name!, kana!, birth!.Value.Date, birth.Value.IsComplete ? null : birthText,
            int.Parse(sex!, CultureInfo.InvariantCulture), postal, address!, suffix,
            int.Parse(status!, CultureInfo.InvariantCulture), removedOn);
        return new MemberReadResult(line, new MemberRow(line, person, qualification, individualNumber), problems);

        string? RequiredCode(int column, CodeTable table)
        {
            var value = Field(column);
            if (value is null) { Error(column, null, $"{Columns[column]}がありません（{table.Codes}）"); return null; }
            if (!table.Contains(value)) { Error(column, value, $"{Columns[column]}のコードが {table.Codes} のどれでもありません"); return null; }
            return value;
        }

        string? OptionalCode(int column, CodeTable table)
        {
            var value = Field(column);
            if (value is not null && !table.Contains(value))
            {
                Error(column, value, $"{Columns[column]}のコードがコード表にありません（{table.Codes}）");
                return null;
            }
            return value;
        }

        DateOnly? OptionalDate(int column)
        {
            var value = Field(column);
            if (value is null) return null;
            var parsed = CalendarDate.ParseCompact(value);
            if (parsed.Ok) return parsed.Value;
            Error(column, value, parsed.Error!);
            return null;
        }
    }
}
