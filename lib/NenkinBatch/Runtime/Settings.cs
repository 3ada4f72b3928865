using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using NenkinBatch.Foundation;
using NenkinBatch.Domain;

namespace NenkinBatch.Runtime;

/// <summary>
/// Every setting a job reads, resolved once: command line &gt; environment (NENKIN_…) &gt;
/// nenkinbatch.json (the --config file, else the working directory's, else the one beside the executable).
/// </summary>
public sealed partial record Settings
{
    public const string FileName = "nenkinbatch.json";

    public required string Database { get; init; }
    public required MunicipalityCode Municipality { get; init; }
    public required string LogDirectory { get; init; }
    public string? KeyFile { get; init; }
    public string? CodeTablesFile { get; init; }
    public int ChunkSize { get; init; } = 5000;
    /// <summary>Attempts in all for one chunk, the first included (retry:maxAttempts); 0 and 1 both mean a single attempt.</summary>
    public int RetryMaxAttempts { get; init; } = 6;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public string? ConfigFileUsed { get; init; }
    /// <summary>Where reconcile writes its reports (reportDir); beside the logs by default.</summary>
    public string ReportDirectory { get; init; } = "reports";
    public Matching.MatchThresholds MatchThresholds { get; init; } = Matching.MatchThresholds.Default;
    /// <summary>機構未反映: a local 資格 change this many days old with no JPS row about it (reconcile:unreflectedAfterDays).</summary>
    public int UnreflectedAfterDays { get; init; } = 30;
    /// <summary>住基 sync: a missing 履歴番号 this many days old becomes a follow-up for staff (jukiSync:gapFollowUpDays).</summary>
    public int JukiGapFollowUpDays { get; init; } = 3;
    /// <summary>住基 sync: a change raises follow-ups only within this many days of its file's newest 処理日 (jukiSync:followUpWindowDays).</summary>
    public int JukiFollowUpWindowDays { get; init; } = 90;
    /// <summary>A city's retention policy file (retentionPolicy); null: the built-in one (samples/retention/retention.json).</summary>
    public string? RetentionPolicyFile { get; init; }
    /// <summary>Purge: a plan older than this many days is not executed (purge:planMaxAgeDays): what was signed must still be what is there.</summary>
    public int PurgePlanMaxAgeDays { get; init; } = 14;
    /// <summary>Purge: a plan erasing more than this share of the persons on file needs --over-cap (purge:capPercent).</summary>
    public double PurgeCapPercent { get; init; } = 5;
    /// <summary>Purge: the import and sync inboxes whose processed/ and rejected/ copies are kept as files (purge:inboxDirs, ';' between paths).</summary>
    public IReadOnlyList<string> PurgeInboxDirectories { get; init; } = [];

    /// <summary>The values given on the command line; null where the option was not given.</summary>
    public sealed record CommandLine(string? Database, string? Municipality, string? LogDirectory, string? ConfigFile);

    /// <summary>Each configuration key (as written in the file) and the environment variable that sets it.</summary>
    private static readonly (string Key, string Variable)[] EnvironmentVariables =
    [
        ("municipalityCode", "NENKIN_MUNICIPALITY_CODE"),
        ("db", "NENKIN_DB"),
        ("logDir", "NENKIN_LOG_DIR"),
        ("reportDir", "NENKIN_REPORT_DIR"),
        ("keyFile", "NENKIN_KEY_FILE"),
        ("codeTables", "NENKIN_CODE_TABLES"),
        ("chunkSize", "NENKIN_CHUNK_SIZE"),
        ("retry:maxAttempts", "NENKIN_RETRY_MAX_ATTEMPTS"),
        ("retry:baseDelayMs", "NENKIN_RETRY_BASE_DELAY_MS"),
        ("reconcile:autoMatchScore", "NENKIN_RECONCILE_AUTO_MATCH_SCORE"),
        ("reconcile:reviewScore", "NENKIN_RECONCILE_REVIEW_SCORE"),
        ("reconcile:tieMargin", "NENKIN_RECONCILE_TIE_MARGIN"),
        ("reconcile:unreflectedAfterDays", "NENKIN_RECONCILE_UNREFLECTED_AFTER_DAYS"),
        ("jukiSync:gapFollowUpDays", "NENKIN_JUKI_SYNC_GAP_FOLLOW_UP_DAYS"),
        ("jukiSync:followUpWindowDays", "NENKIN_JUKI_SYNC_FOLLOW_UP_WINDOW_DAYS"),
        ("retentionPolicy", "NENKIN_RETENTION_POLICY"),
        ("purge:planMaxAgeDays", "NENKIN_PURGE_PLAN_MAX_AGE_DAYS"),
        ("purge:capPercent", "NENKIN_PURGE_CAP_PERCENT"),
        ("purge:inboxDirs", "NENKIN_PURGE_INBOX_DIRS"),
    ];

    public static Settings Resolve(CommandLine commandLine, Func<string, string?> environment, string workingDirectory, string executableDirectory)
    {
        var path = FindFile(commandLine.ConfigFile, workingDirectory, executableDirectory);
        var configuration = Load(path, commandLine, environment);

        // A scheduled task's working directory is often System32 or /: paths written in the
        // configuration file are read relative to that file, paths given by hand relative to where they were typed.
        var configDirectory = path is null ? workingDirectory : Path.GetDirectoryName(path)!;
        string? PathValue(string key)
        {
            // The same walk as configuration[key] (top layer first), which also tells whether the value came from the file.
            foreach (var provider in configuration.Providers.Reverse())
            {
                if (!provider.TryGet(key, out var value)) continue;
                return value is null ? null : Path.GetFullPath(value, provider is JsonStreamConfigurationProvider ? configDirectory : workingDirectory);
            }
            return null;
        }

        // Several paths in one setting, ';' between them (an environment variable holds one string); each relative as PathValue's.
        IReadOnlyList<string> PathList(string key)
        {
            foreach (var provider in configuration.Providers.Reverse())
            {
                if (!provider.TryGet(key, out var value)) continue;
                var relativeTo = provider is JsonStreamConfigurationProvider ? configDirectory : workingDirectory;
                return (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => Path.GetFullPath(p, relativeTo)).ToList();
            }
            return [];
        }

        var municipalityText = configuration["municipalityCode"];
        if (municipalityText is null)
            throw new OperatorException(ExitCode.UsageError,
                "市区町村コードが設定されていません。nenkinbatch.json の municipalityCode、環境変数 NENKIN_MUNICIPALITY_CODE、または --municipality で指定してください。");
        var municipality = MunicipalityCode.Parse(municipalityText);
        if (!municipality.Ok)
            throw new OperatorException(ExitCode.UsageError, $"市区町村コード「{municipalityText}」が正しくありません: {municipality.Error}。");

        var database = configuration["db"];
        if (database is not null && !Persistence.DatabaseTarget.IsConnectionString(database))
            database = PathValue("db");

        var thresholds = new Matching.MatchThresholds(
            Number(configuration["reconcile:autoMatchScore"], Matching.MatchThresholds.Default.AutoMatch, "reconcile.autoMatchScore"),
            Number(configuration["reconcile:reviewScore"], Matching.MatchThresholds.Default.Review, "reconcile.reviewScore"),
            Number(configuration["reconcile:tieMargin"], Matching.MatchThresholds.Default.TieMargin, "reconcile.tieMargin"));
        if (thresholds.Review > thresholds.AutoMatch || thresholds.TieMargin < 0)
            throw new OperatorException(ExitCode.UsageError,
                $"設定 reconcile.reviewScore（{thresholds.Review}）は reconcile.autoMatchScore（{thresholds.AutoMatch}）以下、reconcile.tieMargin は 0 以上にしてください。");
        var logDirectory = PathValue("logDir") ?? Path.Combine(workingDirectory, "logs");
        var capPercent = Number(configuration["purge:capPercent"], 5, "purge.capPercent");
        if (capPercent is < 0 or > 100)
            throw new OperatorException(ExitCode.UsageError, $"設定 purge.capPercent の値「{capPercent}」は 0 から 100 までの数値にしてください。");
        return new Settings
        {
            Database = database ?? Path.Combine(workingDirectory, "nenkin.db"),
            Municipality = municipality.Value,
            LogDirectory = logDirectory,
            ReportDirectory = PathValue("reportDir") ?? Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(logDirectory))!, "reports"),
            MatchThresholds = thresholds,
            UnreflectedAfterDays = Int(configuration["reconcile:unreflectedAfterDays"], 30, "reconcile.unreflectedAfterDays", 0),
            JukiGapFollowUpDays = Int(configuration["jukiSync:gapFollowUpDays"], 3, "jukiSync.gapFollowUpDays", 0),
            JukiFollowUpWindowDays = Int(configuration["jukiSync:followUpWindowDays"], 90, "jukiSync.followUpWindowDays", 0),
            RetentionPolicyFile = PathValue("retentionPolicy"),
            PurgePlanMaxAgeDays = Int(configuration["purge:planMaxAgeDays"], 14, "purge.planMaxAgeDays", 0),
            PurgeCapPercent = capPercent,
            PurgeInboxDirectories = PathList("purge:inboxDirs"),
            KeyFile = PathValue("keyFile"),
            CodeTablesFile = PathValue("codeTables"),
            ChunkSize = Int(configuration["chunkSize"], 5000, "chunkSize", 1),
            RetryMaxAttempts = Int(configuration["retry:maxAttempts"], 6, "retry.maxAttempts", 0),
            RetryBaseDelay = TimeSpan.FromMilliseconds(Int(configuration["retry:baseDelayMs"], 1000, "retry.baseDelayMs", 0)),
            ConfigFileUsed = path,
        };
    }

    /// <summary>The layers, lowest first (each later source overrides the ones before it): file, environment, command line.</summary>
    private static IConfigurationRoot Load(string? path, CommandLine commandLine, Func<string, string?> environment)
    {
        var builder = new ConfigurationBuilder();
        // Read once at Build(): the stream only has to outlive this method.
        using var file = path is null ? null : File.OpenRead(path);
        if (file is not null) builder.AddJsonStream(file);
        // The environment comes through the function given, so a test can fake it; an empty value counts as not set.
        builder.AddInMemoryCollection(EnvironmentVariables
            .Select(name => KeyValuePair.Create(name.Key, environment(name.Variable)))
            .Where(pair => !string.IsNullOrWhiteSpace(pair.Value)));
        builder.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["db"] = commandLine.Database,
            ["municipalityCode"] = commandLine.Municipality,
            ["logDir"] = commandLine.LogDirectory,
        }.Where(pair => pair.Value is not null));
        try
        {
            return builder.Build();
        }
        catch (JsonException e)
        {
            throw new OperatorException(ExitCode.UsageError, $"設定ファイル {path} の {e.LineNumber + 1} 行目が JSON として読めません。書式を確認してください。");
        }
        catch (FormatException)
        {
            // The JSON reader also refuses a file that is not one object, or names a setting twice.
            throw new OperatorException(ExitCode.UsageError, $"設定ファイル {path} を設定として読めません。全体を {{ }} で囲み、同じ設定を二度書かないでください。");
        }
    }

    private static string? FindFile(string? explicitPath, string workingDirectory, string executableDirectory)
    {
        if (explicitPath is null)
            return new[] { Path.Combine(workingDirectory, FileName), Path.Combine(executableDirectory, FileName) }.FirstOrDefault(File.Exists);
        var path = Path.GetFullPath(explicitPath, workingDirectory);
        if (!File.Exists(path))
            throw new OperatorException(ExitCode.UsageError, $"設定ファイル {path} がありません。--config のパスを確認してください。");
        return path;
    }

    private static int Int(string? text, int fallback, string name, int minimum)
    {
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum) return value;
        throw new OperatorException(ExitCode.UsageError, $"設定 {name} の値「{text}」は {minimum} 以上の整数ではありません。");
    }

    private static double Number(string? text, double fallback, string name)
    {
        if (text is null) return fallback;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
        throw new OperatorException(ExitCode.UsageError, $"設定 {name} の値「{text}」は数値ではありません。");
    }
}
