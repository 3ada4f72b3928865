using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats.Layouts;

namespace NenkinBatch.Formats.Jps;

/// <summary>
/// Reads JPS's 処理結果一覧表 in any layout of kind csv or fixed (samples/layouts). Streams: memory
/// does not grow with the file. Whole-file faults (wrong layout, truncated transfer, wrong trailer count)
/// throw <see cref="InputRejectedException"/>; faults of a row are that row's problems.
/// </summary>
public sealed class JpsResultReader(Layout layout, CodeTables codes)
{
    /// <summary>The 市区町村コード of a fixed-length file's header record, once read.</summary>
    public string? HeaderMunicipalityCode { get; private set; }

    public IAsyncEnumerable<JpsReadResult> ReadAsync(InputFile input, long skipThroughLine, CancellationToken cancellationToken) =>
        layout.IsFixed ? ReadFixedAsync(input, skipThroughLine, cancellationToken) : ReadCsvAsync(input, skipThroughLine, cancellationToken);

    private async IAsyncEnumerable<JpsReadResult> ReadCsvAsync(InputFile input, long skipThroughLine,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A list is complete or refused: a last line cut off is not a row to reject but a list to fetch again.
        input.EnsureLastLineEnded();
        // The parser splits bytes: safe for CP932 as for UTF-8, since neither puts a comma, a quote or a line end inside a character.
        await using var stream = new FileStream(input.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using var records = new CsvRecords(stream, input.Encoding, input.Name);
        var first = true;
        var seen = new Dictionary<UInt128, long>();
        // Synchronous reads on purpose: this runs on the import's own reading thread, and an await per buffer
        // hands each 64 KB to another pool thread for nothing (a fifth of the reading time, measured).
        while (records.Read())
        {
            var fields = records.Fields;
            if (first)
            {
                first = false;
                if (FieldText.Clean(fields[0]) == layout.HeaderFirstField || LooksLikeHeader(fields))
                {
                    CheckHeader(input.Name, fields);
                    continue;
                }
            }
            // The file's own line number, header included, as an operator finds it in an editor.
            var line = records.Line;
            if (line <= skipThroughLine) continue;
            if (fields.Length < layout.Fields.Count)
                throw new InputRejectedException(input.Name,
                    $"{line}行目の項目数が {fields.Length} で、レイアウト {layout.Name} の {layout.Fields.Count} 項目に足りません（行が途中で切れています）。",
                    "元のファイルを取り直してから再実行してください。");
            var quoting = records.QuotingProblem;
            if (fields.Length > layout.Fields.Count)
            {
                yield return new JpsReadResult(line, null,
                    [RowProblem.Error(input.Name, line, null, null, $"項目数が {fields.Length} です（レイアウト {layout.Name} は {layout.Fields.Count} 項目）。区切りがずれています"),
                        .. quoting is null ? [] : new[] { quoting }]);
                continue;
            }
            var raw = new string?[fields.Length];
            for (var i = 0; i < fields.Length; i++) raw[i] = FieldText.Clean(fields[i]);
            yield return Once(seen, RecordDigest.Of(records.RawRecord), Parse(input.Name, line, raw, quoting is null ? null : [quoting]), input.Name);
        }
        input.EnsureUnchanged(stream.Position);
    }

    /// <summary>
    /// Most labels in their places: a header with a label mistyped, not a data row. Taken as data it would be rejected
    /// and the list read on as if it had no header.
    /// </summary>
    private bool LooksLikeHeader(string[] fields) =>
        layout.HeaderFirstField is not null
        && fields.Where((f, i) => i < layout.Fields.Count && FieldText.Clean(f) == layout.Fields[i].Label).Count() * 2 > layout.Fields.Count;

    private void CheckHeader(string file, string[] header)
    {
        var labels = header.Select(h => FieldText.Clean(h) ?? "").ToArray();
        var expected = layout.Fields.Select(f => f.Label).ToArray();
        if (labels.SequenceEqual(expected, StringComparer.Ordinal)) return;
        var column = Enumerable.Range(0, Math.Min(labels.Length, expected.Length)).FirstOrDefault(i => labels[i] != expected[i], -1);
        var difference = column >= 0
            ? $"{column + 1}列目が「{FieldText.Printable(labels[column])}」で、「{expected[column]}」のはずです"
            : $"見出しが {labels.Length} 列で、{expected.Length} 列のはずです";
        throw new InputRejectedException(file, $"見出し行がレイアウト {layout.Name} の項目（{string.Join(",", expected)}）と一致しません（{difference}）。",
            "別のレイアウトのファイルであれば --layout で指定してください。");
    }

    private async IAsyncEnumerable<JpsReadResult> ReadFixedAsync(InputFile input, long skipThroughLine,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(input.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var records = new FixedRecordReader(stream, layout.RecordLength);
        var header = layout.Header!;
        var trailer = layout.Trailer!;

        var first = await records.ReadAsync(cancellationToken);
        if (first is not { } headerRecord || RecordType(headerRecord.Span) != header.RecordType)
            throw new InputRejectedException(input.Name,
                first is null ? $"レコードがありません（{layout.RecordLength} バイトに満たないファイルです）。" : $"先頭がヘッダーレコード（区分 {header.RecordType}）ではありません。",
                $"{layout.Name}（1レコード {layout.RecordLength} バイト）のファイルか確認してください。");
        var headerFields = Extract(headerRecord.Span, header.Fields, input.Name, 0, out _);
        var headerMunicipality = Domain.MunicipalityCode.Parse(headerFields[header.Fields.ToList().FindIndex(f => f.Name == "municipality_code")]);
        if (!headerMunicipality.Ok)
            throw new InputRejectedException(input.Name, $"ヘッダーレコードの市区町村コードが正しくありません（{headerMunicipality.Error}）。", "送付元に正しいファイルを依頼してください。");
        HeaderMunicipalityCode = headerMunicipality.Value.Value;

        long dataRecords = 0;
        long? trailerCount = null;
        var seen = new Dictionary<UInt128, long>();
        while (await records.ReadAsync(cancellationToken) is { } record)
        {
            var line = records.Number;
            var type = RecordType(record.Span);
            if (trailerCount is not null)
                throw new InputRejectedException(input.Name,
                    $"トレーラーレコード（データ {dataRecords} 件の後）の後にレコードがあります（{line}行目。複数のファイルがつながっている可能性があります）。",
                    "送付元に正しいファイルを依頼してください。");
            if (type == trailer.RecordType)
            {
                var count = Extract(record.Span, trailer.Fields, input.Name, line, out _)[trailer.Fields.ToList().FindIndex(f => f.Name == "count")];
                if (!long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    throw new InputRejectedException(input.Name,
                        $"トレーラーレコード（{line}行目）のデータ件数{(count is null ? "が空です" : $"「{FieldText.Printable(count)}」が数字ではありません")}。",
                        "送付元に正しいファイルを依頼してください。");
                trailerCount = n;
                continue;
            }
            dataRecords++;
            if (type != layout.DataRecordType)
            {
                if (line > skipThroughLine)
                    yield return new JpsReadResult(line, null, [RowProblem.Error(input.Name, line, "区分", type, $"レコード区分が {layout.DataRecordType}（データ）ではありません")]);
                continue;
            }
            if (line <= skipThroughLine) continue;
            var values = Extract(record.Span, layout.Fields, input.Name, line, out var decodeProblems);
            yield return Once(seen, RecordDigest.Of(record.Span), Parse(input.Name, line, values.ToArray(), decodeProblems), input.Name);
        }

        if (records.WrongLength is { } wrong)
            throw new InputRejectedException(input.Name,
                $"{wrong.Number}行目のレコードが {wrong.Length} バイト{(wrong.AtLeast ? "以上" : "")}で、{layout.RecordLength} バイトではありません（レイアウト {layout.Name} のファイルではないか、壊れています）。",
                "送付元に正しいファイルを依頼してください。");
        input.EnsureUnchanged(stream.Position);
        if (trailerCount is not null && records.TruncatedLength > 0)
            throw new InputRejectedException(input.Name,
                $"トレーラーレコード（{records.Number}行目）の後に {records.TruncatedLength} バイトの余分なデータがあります（レコードではありません）。",
                "送付元に正しいファイルを依頼してください。");
        if (records.TruncatedLength > 0)
            throw new InputRejectedException(input.Name,
                $"最後のレコード（{records.Number + 1}行目）が {records.TruncatedLength} バイトで途中で切れています（1レコード {layout.RecordLength} バイト。転送が途中で止まった可能性があります）。",
                "元のファイルを取り直してから再実行してください。");
        if (trailerCount is null)
            throw new InputRejectedException(input.Name, "トレーラーレコード（区分 " + trailer.RecordType + "）がありません（転送が途中で止まった可能性があります）。",
                "元のファイルを取り直してから再実行してください。");
        if (trailerCount != dataRecords)
            throw new InputRejectedException(input.Name, $"トレーラーのデータ件数 {trailerCount} と実際のデータレコード数 {dataRecords} が一致しません。",
                "送付元に正しいファイルを依頼してください。");
    }

    /// <summary>
    /// A good row whose bytes an earlier good row of the list already had is reported with both lines, and not passed on as a row:
    /// the list's filing is one filing. Rows with errors are not tracked: each copy is rejected and listed.
    /// </summary>
    private static JpsReadResult Once(Dictionary<UInt128, long> seen, UInt128 digest, JpsReadResult result, string file)
    {
        if (result.Row is null) return result;
        ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, digest, out var exists);
        if (!exists)
        {
            first = result.Line;
            return result;
        }
        return new JpsReadResult(result.Line, null,
            [RowProblem.Warning(file, result.Line, null, null, $"{first}行目とまったく同じ内容の行です（重複のため取り込みません）")]) { DuplicateOf = first };
    }

    private static string RecordType(ReadOnlySpan<byte> record) => ((char)record[0]).ToString();

    private static List<string?> Extract(ReadOnlySpan<byte> record, IReadOnlyList<LayoutField> fields, string file, long line, out List<RowProblem>? problems)
    {
        problems = null;
        var values = new List<string?>(fields.Count);
        foreach (var field in fields)
        {
            var bytes = record.Slice(field.Offset, field.Length);
            try
            {
                values.Add(FieldText.Clean(TextEncodings.Cp932Strict.GetString(bytes)));
            }
            catch (DecoderFallbackException)
            {
                (problems ??= []).Add(RowProblem.Error(file, line, field.Label, null, "CP932 として読めないバイトがあります（位置がずれているか、文字化けしています）"));
                values.Add(null);
            }
        }
        return values;
    }

    private JpsReadResult Parse(string file, long line, string?[] raw, List<RowProblem>? decodeProblems)
    {
        var p = new FieldParser(layout, codes, file, line).With(raw);
        if (decodeProblems is not null) p.Problems.AddRange(decodeProblems);
        var municipality = layout.IsFixed ? HeaderMunicipalityCode : p.Municipality("municipality_code");
        var filing = p.Code("filing_code");
        var received = p.Wareki("received_on");
        var processed = p.Wareki("processed_on");
        var pension = p.BasicPensionNumber("basic_pension_number");
        var kana = p.Kana("kana_name");
        var kanji = p.Text("kanji_name");
        var birth = p.Wareki("birth_date");
        var sex = p.CodeNumber("sex");
        var postal = p.PostalCode("postal_code");
        var address = p.Text("address");
        var category = p.CodeNumber("insured_category");
        var acquired = p.Wareki("acquired_on");
        var acquisitionReason = p.Code("acquisition_reason");
        var lost = p.Wareki("lost_on");
        var lossReason = p.Code("loss_reason");
        var result = p.CodeNumber("result");
        var errorCode = p.Text("error_code");
        var errorText = p.Text("error_text");
        var number = p.IndividualNumber("individual_number");
        if (p.HasErrors || municipality is null)
            return new JpsReadResult(line, null, p.ProblemsOrNone);
        return new JpsReadResult(line, new JpsResultRow(line, municipality, filing!, received!.Value, processed!.Value, pension, kana!, kanji, birth!.Value, sex!.Value,
            postal, address, category, acquired, acquisitionReason, lost, lossReason, result!.Value, errorCode, errorText, number), p.ProblemsOrNone);
    }
}
