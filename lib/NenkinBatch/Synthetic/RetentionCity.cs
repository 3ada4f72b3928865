using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Layouts;

namespace NenkinBatch.Synthetic;

/// <summary>
/// The old data a purge must judge (<see cref="CityOptions.RetentionPeople"/>): people who left 6 to 12 years before
/// <see cref="CityOptions.AsOf"/> with their 資格 closed, some on the very boundary of their period, some whose 個人番号 alone is due
/// (a 任意加入 kept their 資格 years after they left), some still insured or residents again, some held; and old report, log and inbox
/// files. Written beside the city, from a generator of its own, so the city's other files stay byte for byte what they were:
/// <c>members-retention.csv</c> (members-csv), <c>retention-holds.csv</c> (宛名番号, 理由, 期限), <c>old-files/</c> (reports/, logs/,
/// inbox/processed/, each file's date set), and <c>retention-truth.csv</c>: per record its kind, key, whether a purge as of AsOf
/// must erase or keep it, the case and the event date.
/// </summary>
public static class RetentionCity
{
    public const string MembersFile = "members-retention.csv";
    public const string HoldsFile = "retention-holds.csv";
    public const string TruthFile = "retention-truth.csv";
    public const string OldFilesFolder = "old-files";

    public static readonly string[] TruthColumns = ["kind", "key", "expected", "case", "event_date", "as_of"];

    public static long Write(string directory, CityOptions options)
    {
        var random = new SplitMix(options.Seed ^ 0x0_1D_DA7A_0F_01DUL);
        var asOf = options.AsOf;
        var layout = Layout.Resolve("members-csv");
        using var members = CsvOutput.ForSystem(Path.Combine(directory, MembersFile), TextEncodings.Utf8Strict);
        using var holds = CsvOutput.ForSystem(Path.Combine(directory, HoldsFile), TextEncodings.Utf8Strict);
        using var truth = CsvOutput.ForSystem(Path.Combine(directory, TruthFile), TextEncodings.Utf8Strict);
        members.Write(layout.Fields.Select(f => f.Label));
        holds.Write("宛名番号", "理由", "期限");
        truth.Write(TruthColumns);
        var day = Iso(asOf);
        long rows = 0;
        for (var i = 0; i < options.RetentionPeople; i++)
        {
            var atena = AtenaNumber.WithCheckDigit((700000000 + i).ToString("D9", CultureInfo.InvariantCulture));
            var number = random.Chance(0.9) ? Households.IndividualNumberOf(50_000_000L + i) : "";
            var draw = random.Next(100);
            // Each case: 住民状態, 消除日, the 資格 periods (取得, 喪失), what the purge must do, and the event it counts from.
            var status = random.Pick([2, 3, 9]);
            DateOnly? removed;
            var periods = new List<(DateOnly Acquired, DateOnly? Lost)>();
            string expected, @case, kind = "person";
            DateOnly? counted;
            switch (draw)
            {
                case < 60:
                    removed = asOf.AddYears(-8).AddDays(-random.Next(4 * 365));
                    periods.Add((removed.Value.AddYears(-20), removed.Value.AddDays(1)));
                    (expected, @case, counted) = ("erase", "gone-past", removed.Value.AddDays(1));
                    break;
                case < 70:
                    removed = asOf.AddYears(-6).AddDays(-random.Next(360));
                    periods.Add((removed.Value.AddYears(-20), removed.Value.AddDays(1)));
                    (expected, @case, counted) = ("keep", "gone-recent", removed.Value.AddDays(1));
                    break;
                case < 75:
                    // The anniversary itself is still kept.
                    removed = asOf.AddYears(-7);
                    periods.Add((removed.Value.AddYears(-20), removed.Value));
                    (expected, @case, counted) = ("keep", "boundary-anniversary", removed);
                    break;
                case < 80:
                    removed = asOf.AddYears(-7).AddDays(-1);
                    periods.Add((removed.Value.AddYears(-20), removed.Value));
                    (expected, @case, counted) = ("erase", "boundary-day-after", removed);
                    break;
                case < 85:
                    // Left 9 years ago, 任意加入 from abroad until 3 years ago: the person stays, their number goes.
                    removed = asOf.AddYears(-9).AddDays(-random.Next(300));
                    periods.Add((removed.Value.AddYears(-20), removed.Value.AddDays(1)));
                    periods.Add((removed.Value.AddDays(2), asOf.AddYears(-3)));
                    if (number.Length == 0) number = Households.IndividualNumberOf(50_000_000L + i);
                    (expected, @case, counted, kind) = ("erase", "number-alone", removed, "individualNumber");
                    break;
                case < 90:
                    removed = asOf.AddYears(-10);
                    periods.Add((removed.Value.AddDays(2), null));
                    (expected, @case, counted) = ("keep", "qualification-open", null);
                    break;
                case < 95:
                    status = 1;
                    removed = null;
                    periods.Add((asOf.AddYears(-30), asOf.AddYears(-10)));
                    (expected, @case, counted) = ("keep", "resident", null);
                    break;
                default:
                    removed = asOf.AddYears(-9);
                    periods.Add((removed.Value.AddYears(-20), removed.Value.AddDays(1)));
                    holds.Write(atena, "審査請求のため保存", Iso(asOf.AddYears(1)));
                    (expected, @case, counted) = ("keep", "held", removed.Value.AddDays(1));
                    break;
            }
            foreach (var (acquired, lost) in periods)
            {
                members.Write(atena, "", $"保存　{i}", "ホゾン タロウ", "19500101", "1", "2600013", $"千葉県千葉市中央区中央{i % 9 + 1}丁目{i % 30 + 1}番{i % 20 + 1}号", "",
                    status.ToString(CultureInfo.InvariantCulture), removed is { } r ? Compact(r) : "", "1", Compact(acquired), "01", lost is { } l ? Compact(l) : "",
                    lost is null ? "" : "19", number);
                rows++;
            }
            truth.Write(kind, atena, expected, @case, counted is { } c ? Iso(c) : "", day);
        }

        // Old files, each dated: past its period (reports 7 years, logs 5) or not yet.
        var old = Path.Combine(directory, OldFilesFolder);
        var files = new (string Path, string Kind, int YearsAgo, int Period)[]
        {
            ("reports/reconcile-1.csv", "reportFile", 8, 7), ("reports/reconcile-1.xlsx", "reportFile", 8, 7), ("reports/juki-followups-2.csv", "reportFile", 3, 7),
            ("logs/import-rejected-3.csv", "rejectedList", 9, 7), ("logs/import-rejected-40.csv", "rejectedList", 6, 7),
            ("logs/import-20180401.log", "logFile", 6, 5), ("logs/import-20230401.jsonl", "logFile", 2, 5),
            ("inbox/processed/jps-result-20170401.csv", "inboxFile", 8, 7), ("inbox/rejected/jps-result-20240401.csv", "inboxFile", 1, 7),
        };
        foreach (var (relative, kind, yearsAgo, period) in files)
        {
            var path = Path.Combine(old, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "古いファイル（合成データ）\r\n");
            var date = asOf.AddYears(-yearsAgo).AddDays(-10);
            File.SetLastWriteTimeUtc(path, date.ToDateTime(new TimeOnly(3, 0), DateTimeKind.Utc));
            truth.Write(kind, relative, yearsAgo > period ? "erase" : "keep", $"file-{yearsAgo}y", Iso(date), day);
        }
        return rows;
    }

    private static string Compact(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
