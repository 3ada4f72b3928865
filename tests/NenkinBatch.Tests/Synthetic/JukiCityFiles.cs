using System.Globalization;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Juki;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Synthetic;

namespace NenkinBatch.Tests.Synthetic;

/// <summary>One line of a generated 住基 file: its raw text and fields, and what the reader made of it.</summary>
public sealed record JukiLine(string File, int Run, long Line, string Text, IReadOnlyDictionary<string, string> Raw, JukiChangeRow? Row, bool ReaderRefused)
{
    public string this[string label] => Raw[label];
    public string Atena => Raw["宛名番号"];
    public string Reason => Raw["異動事由コード"];
    public int Number => int.Parse(Raw["履歴番号"], CultureInfo.InvariantCulture);
    public bool OtherCity(string code) => Raw["市区町村コード"] != code;
}

/// <summary>
/// A generated city's 住基 files read back the way the sync job reads them: through <see cref="JukiChangeReader"/>, with
/// members.csv for who holds an open 資格. Everything the tests check is taken from the files, not from the generator.
/// </summary>
public sealed class JukiCityFiles
{
    public static readonly string[] Files = [CityFiles.JukiHistoryFile, CityFiles.JukiDelta1File, CityFiles.JukiDelta2File];

    private JukiCityFiles() { }

    public required string Directory { get; init; }
    public required string MunicipalityCode { get; init; }
    /// <summary>Every line but the header, of the history (run 1) and the deltas (runs 2, 3).</summary>
    public required IReadOnlyList<JukiLine>[] Runs { get; init; }
    /// <summary>members.csv: per 宛名番号, its first row's fields and whether a 資格 period is open.</summary>
    public required IReadOnlyDictionary<string, (string[] Fields, bool Open)> Members { get; init; }
    public required IReadOnlyList<string[]> FollowUps { get; init; }

    public IReadOnlyList<JukiLine> History => Runs[0];
    public IEnumerable<JukiLine> Deltas => Runs[1].Concat(Runs[2]);
    public IEnumerable<JukiLine> All => Runs.SelectMany(r => r);

    /// <summary>Rows the sync applies or holds: read, and of this city.</summary>
    public IEnumerable<JukiLine> Good(int run) => Runs[run - 1].Where(l => l.Row is not null && !l.OtherCity(MunicipalityCode));

    public static async Task<JukiCityFiles> ReadAsync(string directory, string municipalityCode = "121002")
    {
        var reader = new JukiChangeReader(Layout.Resolve("juki-change-csv"), CodeTables.BuiltIn);
        var runs = new IReadOnlyList<JukiLine>[3];
        for (var i = 0; i < 3; i++)
        {
            var path = Path.Combine(directory, Files[i]);
            var text = await File.ReadAllLinesAsync(path, TextEncodings.Utf8Strict);
            var labels = text[0].Split(',');
            var lines = new List<JukiLine>();
            await foreach (var result in reader.ReadAsync(path, 0, default))
            {
                var line = text[result.Line - 1];
                var raw = labels.Zip(line.Split(',')).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal);
                lines.Add(new JukiLine(Files[i], i + 1, result.Line, line, raw, result.Row, result.Problems.Any(p => p.Severity == ProblemSeverity.Error)));
            }
            lines.Count.ShouldBe(text.Length - 1, Files[i]);
            runs[i] = lines;
        }
        var members = new Dictionary<string, (string[], bool)>(StringComparer.Ordinal);
        foreach (var fields in (await File.ReadAllLinesAsync(Path.Combine(directory, CityFiles.MembersFile))).Skip(1).Select(l => l.Split(',')))
        {
            var open = fields[11].Length > 0 && fields[14].Length == 0;
            members[fields[0]] = members.TryGetValue(fields[0], out var known) ? (known.Item1, known.Item2 || open) : (fields, open);
        }
        var followUps = (await File.ReadAllLinesAsync(Path.Combine(directory, CityFiles.FollowUpsFile))).ToList();
        followUps[0].ShouldBe(string.Join(",", CityFiles.FollowUpsColumns));
        return new JukiCityFiles
        {
            Directory = directory,
            MunicipalityCode = municipalityCode,
            Runs = runs,
            Members = members,
            FollowUps = followUps.Skip(1).Select(l => l.Split(',')).ToList(),
        };
    }

    /// <summary>
    /// The follow-ups the sync rules give for these files, worked out here on their own from what the files say (the
    /// reader's rows, members.csv), as kind,atena_number,history_number,file,line,status lines.
    /// </summary>
    public List<string> FollowUpsByTheRules()
    {
        var result = new List<string>();
        foreach (var line in All.Where(l => l.ReaderRefused || l.OtherCity(MunicipalityCode)))
            result.Add($"rejected-row,{line.Atena},,{line.File},{line.Line},OPEN");
        var newest = Runs.Select(r => r.Where(l => l.Row is not null).Max(l => l.Row!.ProcessedOn)).ToArray();
        foreach (var person in Enumerable.Range(1, 3).SelectMany(Good).GroupBy(l => l.Atena))
        {
            var open = Members.TryGetValue(person.Key, out var member) && member.Open;
            var raised = new List<(string Kind, int Number, string Status)>();
            var applied = new List<(JukiLine Line, bool Cancelled)>();
            var pending = new List<JukiLine>();
            var last = 0;
            for (var run = 1; run <= 3; run++)
            {
                pending.AddRange(person.Where(l => l.Run == run));
                while (pending.Count > 0)
                {
                    pending.RemoveAll(l => l.Row!.HistoryNumber <= last);
                    var next = pending.FirstOrDefault(l => l.Row!.HistoryNumber == last + 1);
                    if (next is null) break;
                    pending.Remove(next);
                    last++;
                    for (var i = 0; i < raised.Count; i++)
                        if (raised[i] is { Kind: "gap", Status: "OPEN" } g && g.Number == last) raised[i] = g with { Status = "RESOLVED" };
                    var reason = next.Row!.ChangeReason;
                    if (reason is "19" or "29" or "39")
                    {
                        var target = applied.FindLastIndex(a => !a.Cancelled && a.Line.Row!.ChangeReason[0] == reason[0]);
                        if (target < 0) continue;
                        applied[target] = (applied[target].Line, true);
                        for (var i = 0; i < raised.Count; i++)
                            if (raised[i].Kind != "gap" && raised[i].Number == applied[target].Line.Row!.HistoryNumber) raised[i] = raised[i] with { Status = "WITHDRAWN" };
                        continue;
                    }
                    applied.Add((next, false));
                    if ((newest[run - 1].ToDateTime(TimeOnly.MinValue) - next.Row.ProcessedOn.ToDateTime(TimeOnly.MinValue)).TotalDays > 90) continue;
                    string? kind = reason switch
                    {
                        "20" or "21" when open => "loss-candidate",
                        "22" when open => "death",
                        "10" or "11" when !open && CouldBe20To59(next.Row.BirthDate, next.Row.ChangedOn) => "acquisition-candidate",
                        "30" when open => "move",
                        "31" when open => "name-change",
                        _ => null,
                    };
                    if (kind is not null && !raised.Exists(r => r.Kind == kind && r.Number == last)) raised.Add((kind, last, "OPEN"));
                }
                if (pending.Count > 0 && !raised.Exists(r => r.Kind == "gap" && r.Number == last + 1)) raised.Add(("gap", last + 1, "OPEN"));
            }
            result.AddRange(raised.Select(r => $"{r.Kind},{person.Key},{r.Number},,,{r.Status}"));
        }
        return result;
    }

    private static bool CouldBe20To59(NenkinBatch.Domain.BirthDate birth, DateOnly day)
    {
        var from = birth.Date ?? new DateOnly(birth.Year, birth.Month ?? 1, 1);
        var to = birth.Date ?? (birth.Month is { } m ? new DateOnly(birth.Year, m, DateTime.DaysInMonth(birth.Year, m)) : new DateOnly(birth.Year, 12, 31));
        static int Age(DateOnly b, DateOnly d) => d.Year - b.Year - (d < b.AddYears(d.Year - b.Year) ? 1 : 0);
        return Age(from, day) >= 20 && Age(to, day) <= 59;
    }
}
