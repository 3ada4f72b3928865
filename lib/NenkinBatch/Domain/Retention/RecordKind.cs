namespace NenkinBatch.Domain.Retention;

/// <summary>
/// A kind of record the retention policy (保存期間) gives a period of its own. The purge log (消去の記録) is no kind: it is
/// never purged by the suite.
/// </summary>
public enum RecordKind
{
    /// <summary>宛名 with its history, 資格, 年金基本, 個人番号, waiting 住基 rows and follow-ups.</summary>
    Person,
    /// <summary>個人番号 alone, of a person kept for longer (a 資格喪失日 after the 消除日).</summary>
    IndividualNumber,
    /// <summary>A JPS 処理結果一覧表: its rows, rejected rows and file record.</summary>
    JpsFile,
    ReportFile,
    RejectedList,
    InboxFile,
    LogFile,
    /// <summary>A run registry row with its problems.</summary>
    Run,
    /// <summary>An audit (access) log row.</summary>
    Audit,
}

/// <summary>The names a kind has in the retention file, the database and the command line, and its label for people.</summary>
public static class RecordKinds
{
    public static readonly IReadOnlyList<RecordKind> All = Enum.GetValues<RecordKind>();

    /// <summary>The kinds that are files on disk rather than rows.</summary>
    public static bool IsFile(RecordKind kind) => kind is RecordKind.ReportFile or RecordKind.RejectedList or RecordKind.InboxFile or RecordKind.LogFile;

    public static string Name(RecordKind kind) => kind switch
    {
        RecordKind.Person => "person",
        RecordKind.IndividualNumber => "individualNumber",
        RecordKind.JpsFile => "jpsFile",
        RecordKind.ReportFile => "reportFile",
        RecordKind.RejectedList => "rejectedList",
        RecordKind.InboxFile => "inboxFile",
        RecordKind.LogFile => "logFile",
        RecordKind.Run => "run",
        RecordKind.Audit => "audit",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Label(RecordKind kind) => kind switch
    {
        RecordKind.Person => "宛名（個人と履歴・資格・個人番号）",
        RecordKind.IndividualNumber => "個人番号のみ",
        RecordKind.JpsFile => "処理結果一覧表（取込分）",
        RecordKind.ReportFile => "報告書ファイル",
        RecordKind.RejectedList => "除外行一覧ファイル",
        RecordKind.InboxFile => "受信フォルダーの控え",
        RecordKind.LogFile => "ログファイル",
        RecordKind.Run => "実行記録",
        RecordKind.Audit => "監査ログ",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? name, out RecordKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    public static RecordKind Parse(string name) =>
        TryParse(name, out var kind) ? kind : throw new FormatException($"not a record kind: {name}");
}
