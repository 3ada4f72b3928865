using System.Globalization;
using System.Text.Json;
using NenkinBatch.Foundation;
using NenkinBatch.Domain;

namespace NenkinBatch.Runtime;

/// <summary>
/// Every setting a job reads, resolved once: command line &gt; environment (NENKIN_…) &gt;
/// nenkinbatch.json (the --config file, else the working directory's, else the one beside the executable).
/// </summary>
public sealed record Settings
{
    public const string FileName = "nenkinbatch.json";

    public required string Database { get; init; }
    public required MunicipalityCode Municipality { get; init; }
    public required string LogDirectory { get; init; }
    public string? KeyFile { get; init; }
    public string? CodeTablesFile { get; init; }
    public int ChunkSize { get; init; } = 5000;
    public int RetryMaxAttempts { get; init; } = 6;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public string? ConfigFileUsed { get; init; }
    /// <summary>Where reconcile writes its reports (reportDir); beside the logs by default.</summary>
    public string ReportDirectory { get; init; } = "reports";
    public Matching.MatchThresholds MatchThresholds { get; init; } = Matching.MatchThresholds.Default;
    /// <summary>機構未反映: a local 資格 change this many days old with no JPS row about it (reconcile:unreflectedAfterDays).</summary>
    public int UnreflectedAfterDays { get; init; } = 30;

    /// <summary>The values given on the command line; null where the option was not given.</summary>
    public sealed record CommandLine(string? Database, string? Municipality, string? LogDirectory, string? ConfigFile);

    public static Settings Resolve(CommandLine commandLine, Func<string, string?> environment, string workingDirectory, string executableDirectory)
    {
        var (file, path) = LoadFile(commandLine.ConfigFile, workingDirectory, executableDirectory);

        string? Pick(string? cli, string env, string json) =>
            cli ?? NonEmpty(environment(env)) ?? (file.TryGetValue(json, out var v) ? v : null);

        // A scheduled task's working directory is often System32 or /: paths written in the
        // configuration file are read relative to that file, paths given by hand relative to where they were typed.
        var configDirectory = path is null ? workingDirectory : Path.GetDirectoryName(path)!;
        string? PickPath(string? cli, string env, string json)
        {
            if (cli is not null) return Path.GetFullPath(cli, workingDirectory);
            if (NonEmpty(environment(env)) is { } fromEnvironment) return Path.GetFullPath(fromEnvironment, workingDirectory);
            return file.TryGetValue(json, out var v) ? Path.GetFullPath(v, configDirectory) : null;
        }

        var municipalityText = Pick(commandLine.Municipality, "NENKIN_MUNICIPALITY_CODE", "municipalityCode");
        if (municipalityText is null)
            throw new OperatorException(ExitCode.UsageError,
                "市区町村コードが設定されていません。nenkinbatch.json の municipalityCode、環境変数 NENKIN_MUNICIPALITY_CODE、または --municipality で指定してください。");
        var municipality = MunicipalityCode.Parse(municipalityText);
        if (!municipality.Ok)
            throw new OperatorException(ExitCode.UsageError, $"市区町村コード「{municipalityText}」が正しくありません: {municipality.Error}。");

        var database = Pick(commandLine.Database, "NENKIN_DB", "db");
        if (database is not null && !Persistence.DatabaseTarget.IsConnectionString(database))
            database = PickPath(commandLine.Database, "NENKIN_DB", "db");

        var thresholds = new Matching.MatchThresholds(
            Number(Pick(null, "NENKIN_RECONCILE_AUTO_MATCH_SCORE", "reconcile:autoMatchScore"), Matching.MatchThresholds.Default.AutoMatch, "reconcile.autoMatchScore"),
            Number(Pick(null, "NENKIN_RECONCILE_REVIEW_SCORE", "reconcile:reviewScore"), Matching.MatchThresholds.Default.Review, "reconcile.reviewScore"),
            Number(Pick(null, "NENKIN_RECONCILE_TIE_MARGIN", "reconcile:tieMargin"), Matching.MatchThresholds.Default.TieMargin, "reconcile.tieMargin"));
        if (thresholds.Review > thresholds.AutoMatch || thresholds.TieMargin < 0)
            throw new OperatorException(ExitCode.UsageError,
                $"設定 reconcile.reviewScore（{thresholds.Review}）は reconcile.autoMatchScore（{thresholds.AutoMatch}）以下、reconcile.tieMargin は 0 以上にしてください。");
        var logDirectory = PickPath(commandLine.LogDirectory, "NENKIN_LOG_DIR", "logDir") ?? Path.Combine(workingDirectory, "logs");
        return new Settings
        {
            Database = database ?? Path.Combine(workingDirectory, "nenkin.db"),
            Municipality = municipality.Value,
            LogDirectory = logDirectory,
            ReportDirectory = PickPath(null, "NENKIN_REPORT_DIR", "reportDir") ?? Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(logDirectory))!, "reports"),
            MatchThresholds = thresholds,
            UnreflectedAfterDays = Int(Pick(null, "NENKIN_RECONCILE_UNREFLECTED_AFTER_DAYS", "reconcile:unreflectedAfterDays"), 30, "reconcile.unreflectedAfterDays", 0),
            KeyFile = PickPath(null, "NENKIN_KEY_FILE", "keyFile"),
            CodeTablesFile = PickPath(null, "NENKIN_CODE_TABLES", "codeTables"),
            ChunkSize = Int(Pick(null, "NENKIN_CHUNK_SIZE", "chunkSize"), 5000, "chunkSize", 1),
            RetryMaxAttempts = Int(Pick(null, "NENKIN_RETRY_MAX_ATTEMPTS", "retry:maxAttempts"), 6, "retry.maxAttempts", 0),
            RetryBaseDelay = TimeSpan.FromMilliseconds(Int(Pick(null, "NENKIN_RETRY_BASE_DELAY_MS", "retry:baseDelayMs"), 1000, "retry.baseDelayMs", 0)),
            ConfigFileUsed = path,
        };

        static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
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

    private static (Dictionary<string, string> Values, string? Path) LoadFile(string? explicitPath, string workingDirectory, string executableDirectory)
    {
        string? path;
        if (explicitPath is not null)
        {
            path = Path.GetFullPath(explicitPath, workingDirectory);
            if (!File.Exists(path))
                throw new OperatorException(ExitCode.UsageError, $"設定ファイル {path} がありません。--config のパスを確認してください。");
        }
        else
        {
            path = new[] { Path.Combine(workingDirectory, FileName), Path.Combine(executableDirectory, FileName) }.FirstOrDefault(File.Exists);
        }
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (path is null) return (values, null);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            Flatten(document.RootElement, "", values);
        }
        catch (JsonException e)
        {
            throw new OperatorException(ExitCode.UsageError, $"設定ファイル {path} の {e.LineNumber + 1} 行目が JSON として読めません。書式を確認してください。");
        }
        return (values, path);
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string> values)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
                Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", values);
        }
        else if (element.ValueKind is not JsonValueKind.Null and not JsonValueKind.Array)
        {
            values[prefix] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
        }
    }
}
