using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NenkinBatch.Foundation;

namespace NenkinBatch.Domain.Retention;

/// <summary>
/// The retention policy in force: a file of data, like the layouts (built in: <c>samples/retention/retention.json</c>; a city's own
/// with the setting <c>retentionPolicy</c>). Every plan records the policy's text and SHA-256, so what was approved can be shown.
/// A policy that would erase anything sooner than the law allows is refused before anything is planned (exit 64).
/// </summary>
public sealed class RetentionPolicy
{
    public const string BuiltInName = "retention/retention.json";

    /// <summary>
    /// The suite's own floors (assumed from the city's assessment: 6 years for the 国民年金 file, 5 for logs): a city's file may
    /// raise a floor, never lower it, so an edited floor cannot let an early deletion through.
    /// </summary>
    public static readonly IReadOnlyDictionary<RecordKind, int> LegalFloors = new Dictionary<RecordKind, int>
    {
        [RecordKind.Person] = 6, [RecordKind.IndividualNumber] = 1, [RecordKind.JpsFile] = 6, [RecordKind.ReportFile] = 6,
        [RecordKind.RejectedList] = 6, [RecordKind.InboxFile] = 6, [RecordKind.LogFile] = 5, [RecordKind.Run] = 5, [RecordKind.Audit] = 5,
    };

    private readonly Dictionary<RecordKind, RetentionPeriod> _periods;

    private RetentionPolicy(string name, string source, string text, Dictionary<RecordKind, RetentionPeriod> periods)
    {
        Name = name;
        Source = source;
        Text = text;
        _periods = periods;
        Digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public string Name { get; }
    /// <summary>Where the policy came from: the built-in file, or the path of a city's.</summary>
    public string Source { get; }
    /// <summary>The file's text exactly as read: what a plan records.</summary>
    public string Text { get; }
    /// <summary>SHA-256 of the text, lower-case hex.</summary>
    public string Digest { get; }

    public RetentionPeriod this[RecordKind kind] => _periods[kind];

    public IEnumerable<RetentionPeriod> Periods => RecordKinds.All.Select(k => _periods[k]);

    public static RetentionPolicy BuiltIn { get; } = LoadBuiltIn();

    private static RetentionPolicy LoadBuiltIn()
    {
        using var stream = typeof(RetentionPolicy).Assembly.GetManifestResourceStream(BuiltInName)
            ?? throw new InvalidOperationException("the built-in retention policy is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), "（組み込みの保存期間）");
    }

    /// <summary>Reads a city's policy file; anything wrong with it is an operator's error naming the file and what to correct.</summary>
    public static RetentionPolicy LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OperatorException(ExitCode.UsageError, $"保存期間ファイル {path} を読めません（{e.GetType().Name}）。設定 retentionPolicy（環境変数 NENKIN_RETENTION_POLICY）のパスと権限を確認してください。", e);
        }
        return Parse(text, path);
    }

    public static RetentionPolicy Parse(string text, string source)
    {
        OperatorException Refused(string what) => new(ExitCode.UsageError,
            $"保存期間ファイル {source} を受け付けません: {what}。ファイルを直してから再実行してください（何も計画・削除していません）。");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Refused($"{e.LineNumber + 1} 行目が JSON として読めません");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kinds", out var kinds) || kinds.ValueKind != JsonValueKind.Object)
                throw Refused("「kinds」（種類ごとの保存期間）がありません");
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : source;
            var periods = new Dictionary<RecordKind, RetentionPeriod>();
            foreach (var entry in kinds.EnumerateObject())
            {
                if (!RecordKinds.TryParse(entry.Name, out var kind))
                    throw Refused($"種類「{entry.Name}」は知らない種類です（使える種類: {string.Join("、", RecordKinds.All.Select(RecordKinds.Name))}。消去の記録 purge log は削除しません）");
                if (periods.ContainsKey(kind)) throw Refused($"種類「{entry.Name}」が二度書かれています");
                if (entry.Value.ValueKind != JsonValueKind.Object) throw Refused($"種類「{entry.Name}」の値が {{ }} ではありません");
                var years = Whole(entry.Value, "years") ?? throw Refused($"種類「{entry.Name}」の years（保存年数）が 1 以上の整数ではありません");
                var floor = Whole(entry.Value, "floorYears") ?? throw Refused($"種類「{entry.Name}」の floorYears（法令等の下限の年数）が 1 以上の整数ではありません");
                if (floor < LegalFloors[kind])
                    throw Refused($"種類「{entry.Name}」の floorYears {floor} 年は下限 {LegalFloors[kind]} 年より短くできません");
                if (years < floor)
                    throw Refused($"種類「{entry.Name}」の保存年数 {years} 年が下限 floorYears {floor} 年より短くなっています（期間前の削除は取り消せません）");
                var countsFrom = entry.Value.TryGetProperty("countsFrom", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : RecordKinds.Label(kind);
                periods[kind] = new RetentionPeriod(kind, years, floor, countsFrom);
            }
            var missing = RecordKinds.All.Where(k => !periods.ContainsKey(k)).ToList();
            if (missing.Count > 0) throw Refused($"種類 {string.Join("、", missing.Select(RecordKinds.Name))} の保存期間がありません");
            return new RetentionPolicy(name, source, text, periods);
        }
    }

    private static int? Whole(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 1 ? number : null;
}
