using System.Globalization;
using System.Text;
using CsvHelper;
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
        using var text = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        _stream = text.BaseStream;
        await using var csv = CsvReader.Create(text, ReaderOptions, leaveOpen: false);

        if (!await csv.ReadAsync(cancellationToken))
            throw new InputRejectedException(file, "ファイルが空です。", "members-csv の見出し行とデータを含むファイルを指定してください。");
        var index = HeaderIndex(file, Fields(csv));

        long line = 0;
        while (await csv.ReadAsync(cancellationToken))
        {
            var record = Fields(csv);
            if (record.Length == 1 && record[0] is "\u001a" or "") continue;
            line++;
            if (line <= skipThroughLine) continue;
            yield return ParseRow(file, line, record, index);
        }
    }

    /// <summary>RFC 4180; values never appear in the parser's own exceptions (they may be personal data).</summary>
    internal static readonly CsvReaderOptions ReaderOptions = new()
    {
        HasHeader = false,
        Separator = ',',
        Mode = CsvMode.Rfc4180,
        AllowLineBreaksInQuotes = true,
        SkipEmptyLines = true,
        TrimWhitespace = false,
        TrackLineNumbers = true,
        IncludeValuesInExceptions = false,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
    };

    private static string[] Fields(CsvReader csv)
    {
        var fields = new string[csv.FieldCount];
        for (var i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i);
        return fields;
    }

    private static int[] HeaderIndex(string file, string[] header)
    {
        var cleaned = header.Select(h => FieldText.Clean(h.TrimStart('\uFEFF')) ?? "").ToArray();
        var index = new int[Columns.Length];
        var missing = new List<string>();
        for (var i = 0; i < Columns.Length; i++)
        {
            index[i] = Array.IndexOf(cleaned, Columns[i]);
            if (index[i] < 0) missing.Add(Columns[i]);
        }
        if (missing.Count > 0)
            throw new InputRejectedException(file, $"見出し行に列 {string.Join("、", missing)} がありません（members-csv のレイアウトではありません）。",
                "見出し行が FORMATS.md §4 の列名と一致するファイルを指定してください。");
        return index;
    }

    private MemberReadResult ParseRow(string file, long line, string[] record, int[] index)
    {
        var problems = new List<RowProblem>();
        string? Field(int column) => index[column] < record.Length ? FieldText.Clean(record[index[column]]) : null;
        void Error(int column, string? value, string reason) => problems.Add(RowProblem.Error(file, line, Columns[column], value, reason));

        if (record.Length < index.Max() + 1)
            problems.Add(RowProblem.Error(file, line, null, null, $"項目数が {record.Length} で、見出しの {index.Max() + 1} に足りません（行が途中で切れています）"));

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
