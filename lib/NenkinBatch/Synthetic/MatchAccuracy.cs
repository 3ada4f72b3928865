using System.Globalization;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Reports;

namespace NenkinBatch.Synthetic;

/// <summary>
/// How well a reconciliation report matched a generated list, measured against the generator's truth.csv:
/// the figures the matcher is held to (precision of automatic matches, share of on-file rows matched automatically,
/// share sent to 要確認) and every wrong automatic match, by the slips its row carried.
/// </summary>
public sealed record MatchAccuracy(long Rows, long OnFileRows, long Automatic, long AutomaticCorrect, long OnFileAutomatic, long Review,
    IReadOnlyList<string> WrongMatches, IReadOnlyDictionary<string, long> WrongByCase, IReadOnlyDictionary<string, long> RowsByCase)
{
    public double Precision => Automatic == 0 ? 1 : (double)AutomaticCorrect / Automatic;
    public double Recall => OnFileRows == 0 ? 1 : (double)OnFileAutomatic / OnFileRows;
    public double ReviewShare => Rows == 0 ? 0 : (double)Review / Rows;

    /// <summary>Automatic: a 宛名番号 given (一致, 差異あり, or 返戻 with a safe match).</summary>
    public static async Task<MatchAccuracy> MeasureAsync(string truthCsv, string reportCsv, string jpsFileName, CancellationToken cancellationToken = default)
    {
        var truth = new Dictionary<long, (string Atena, string Cases)>();
        await foreach (var t in HeaderedCsv.ReadAsync(truthCsv, "truth", ["source", "line", "atena_number", "cases"], 0, null, cancellationToken))
        {
            if (t[0] == "jps") truth[long.Parse(t[1]!, CultureInfo.InvariantCulture)] = (t[2] ?? "", t[3] ?? "");
        }
        long rows = 0, onFile = 0, automatic = 0, correct = 0, onFileAutomatic = 0, review = 0;
        var wrong = new List<string>();
        var wrongByCase = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var rowsByCase = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await foreach (var r in HeaderedCsv.ReadAsync(reportCsv, "reconcile-report", ["ファイル", "行番号", "判定", "宛名番号"], 0, null, cancellationToken))
        {
            if (r[0] != jpsFileName || r[1] is not { } line) continue;
            // truth.csv counts data rows; the report's 行番号 is the file's own line, the header being line 1.
            var (atena, cases) = truth[long.Parse(line, CultureInfo.InvariantCulture) - 1];
            rows++;
            foreach (var c in cases.Split(';', StringSplitOptions.RemoveEmptyEntries)) rowsByCase[c] = rowsByCase.GetValueOrDefault(c) + 1;
            if (atena.Length > 0) onFile++;
            if (r[2] == Verdict.Review.Label()) review++;
            if (r[3] is not { } matched) continue;
            automatic++;
            if (matched == atena) correct++;
            else
            {
                wrong.Add($"line {line}: matched {matched}, truth {(atena.Length == 0 ? "not on file" : atena)} ({cases})");
                foreach (var c in cases.Length == 0 ? ["(none)"] : cases.Split(';')) wrongByCase[c] = wrongByCase.GetValueOrDefault(c) + 1;
            }
            if (atena.Length > 0) onFileAutomatic++;
        }
        return new MatchAccuracy(rows, onFile, automatic, correct, onFileAutomatic, review, wrong, wrongByCase, rowsByCase);
    }

    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"rows={Rows:N0} on-file={OnFileRows:N0} automatic={Automatic:N0} precision={Precision:P3} recall(on-file matched automatically)={Recall:P2} review={Review:N0} ({ReviewShare:P2}) wrong={WrongMatches.Count}");
        text += "\n  rows by case (wrong automatic matches): " + string.Join(", ", RowsByCase.Select(c => $"{c.Key} {c.Value:N0} ({WrongByCase.GetValueOrDefault(c.Key)})"));
        return text;
    }
}
