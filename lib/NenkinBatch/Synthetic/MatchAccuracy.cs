using System.Globalization;
using System.Text;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Reports;

namespace NenkinBatch.Synthetic;

/// <summary>
/// How well a reconciliation report matched a generated list, measured against the generator's truth.csv:
/// the figures issue 5 sets (precision of automatic matches, share of on-file rows matched automatically,
/// share sent to 要確認) and every wrong automatic match, by the slips its row carried.
/// </summary>
public sealed record MatchAccuracy(long Rows, long OnFileRows, long Automatic, long AutomaticCorrect, long OnFileAutomatic, long Review,
    IReadOnlyList<string> WrongMatches, IReadOnlyDictionary<string, long> WrongByCase, IReadOnlyDictionary<string, long> RowsByCase)
{
    public double Precision => Automatic == 0 ? 1 : (double)AutomaticCorrect / Automatic;
    public double Recall => OnFileRows == 0 ? 1 : (double)OnFileAutomatic / OnFileRows;
    public double ReviewShare => Rows == 0 ? 0 : (double)Review / Rows;

    /// <summary>Automatic: a 宛名番号 given (一致, 差異あり, or 返戻 with a safe match).</summary>
    public static MatchAccuracy Measure(string truthCsv, string reportCsv, string jpsFileName)
    {
        var truth = new Dictionary<long, (string Atena, string Cases)>();
        foreach (var line in File.ReadLines(truthCsv, Encoding.UTF8).Skip(1))
        {
            var f = line.Split(',');
            if (f[0] == "jps") truth[long.Parse(f[1], CultureInfo.InvariantCulture)] = (f[2], f.Length > 3 ? f[3] : "");
        }
        long rows = 0, onFile = 0, automatic = 0, correct = 0, onFileAutomatic = 0, review = 0;
        var wrong = new List<string>();
        var wrongByCase = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var rowsByCase = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(reportCsv, Encoding.UTF8).Skip(1))
        {
            var f = SplitCsv(line);
            if (f[1] != jpsFileName || f[2].Length == 0) continue;
            var (atena, cases) = truth[long.Parse(f[2], CultureInfo.InvariantCulture)];
            rows++;
            foreach (var c in cases.Split(';', StringSplitOptions.RemoveEmptyEntries)) rowsByCase[c] = rowsByCase.GetValueOrDefault(c) + 1;
            if (atena.Length > 0) onFile++;
            if (f[9] == Verdicts.Review) review++;
            if (f[10].Length == 0) continue;
            automatic++;
            if (f[10] == atena) correct++;
            else
            {
                wrong.Add($"line {f[2]}: matched {f[10]}, truth {(atena.Length == 0 ? "not on file" : atena)} ({cases})");
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

    /// <summary>RFC 4180 fields of one line of our own report (no line breaks inside cells).</summary>
    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        fields.Add(cell.ToString());
        return fields;
    }
}
