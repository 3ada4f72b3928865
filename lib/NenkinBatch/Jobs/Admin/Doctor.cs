using System.Globalization;
using System.Reflection;
using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Foundation;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Admin;

/// <summary>What <c>nenkin-admin doctor</c> checks besides the settings: the inboxes the scheduled jobs read, and the free space below which it warns.</summary>
public sealed record DoctorOptions(IReadOnlyList<string> Inboxes, double MinFreeGigabytes);

/// <summary>
/// <c>nenkin-admin doctor</c>: the installation checked the way the jobs will use it, one line per check, each ✓, ⚠ or ✗
/// with what to do, so that an operator who set up a server (or moved one) learns tonight, not at 02:00, that the key
/// file is not the one the numbers were sealed with or the report folder is a file. It reads and creates nothing but
/// a probe file it deletes at once: no schema is migrated, no key created, no check value recorded, no number opened —
/// the key is compared with the store by its check value alone. Exit 0 when nothing failed (warnings allowed), 40 when a
/// check failed.
/// </summary>
public sealed class Doctor(
    Settings.CommandLine commandLine,
    Func<string, string?> environment,
    string workingDirectory,
    string executableDirectory,
    TextWriter output,
    DoctorOptions options,
    TimeProvider clock)
{
    private const string Ok = "✓", Warning = "⚠", Failed = "✗", Skipped = "－";

    private int _failed, _warnings;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var version = typeof(Doctor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        output.WriteLine($"nenkin-admin doctor（版 {version.Split('+')[0]}）: {Environment.MachineName}、利用者 {Environment.UserName}、{BusinessClock.Now(clock):yyyy-MM-dd HH:mm}（日本時間）");

        var settings = CheckSettings();
        if (settings is not null)
        {
            var store = await CheckDatabaseAsync(settings, cancellationToken);
            try
            {
                if (store is null) Line(Skipped, "スキーマ", "データベースに接続できるまで点検できません");
                var applied = store is null ? null : await CheckSchemaAsync(store, cancellationToken);
                await CheckKeyAsync(settings, store, applied, cancellationToken);
                CheckCodeTables(settings);
                CheckFolders(settings);
                CheckFreeSpace(settings);
            }
            finally
            {
                if (store is not null) await store.DisposeAsync();
            }
        }
        else
        {
            Line(Skipped, "データベース・鍵・フォルダー", "設定を直すまで点検できません");
        }
        CheckTimeZone();
        CheckAccount();

        output.WriteLine(_failed > 0
            ? $"結果: ✗ {_failed} 件、⚠ {_warnings} 件。✗ の項目を直してから、もう一度 nenkin-admin doctor を実行してください（終了コード {(int)ExitCode.CheckFailed}）。"
            : _warnings > 0
                ? $"結果: ✗ なし、⚠ {_warnings} 件。ジョブは実行できます。⚠ の項目も確認してください。"
                : "結果: すべて問題ありません。");
        return (int)(_failed > 0 ? ExitCode.CheckFailed : ExitCode.Success);
    }

    private void Line(string mark, string what, string text, string? action = null)
    {
        if (mark == Failed) _failed++;
        else if (mark == Warning) _warnings++;
        output.WriteLine(action is null ? $"{mark} {what}: {text}" : $"{mark} {what}: {text} → {action}");
    }

    private void Detail(string text) => output.WriteLine($"    {text}");

    /// <summary>The file in force, each setting and where it came from, and the municipality; null when the jobs could not start with them.</summary>
    private Settings? CheckSettings()
    {
        SettingOrigins origins;
        try
        {
            origins = Settings.Origins(commandLine, environment, workingDirectory, executableDirectory);
        }
        catch (OperatorException e)
        {
            Line(Failed, "設定ファイル", e.Message);
            return null;
        }
        if (origins.ConfigFile is null)
            Line(Warning, "設定ファイル", $"{Settings.FileName} がありません（作業フォルダー {workingDirectory}、実行ファイルのフォルダー {executableDirectory} のどちらにも）。設定は環境変数と既定値だけです",
                $"実行ファイルと同じフォルダーの nenkinbatch.sample.json を {Settings.FileName} にコピーして編集してください");
        else
            Line(Ok, "設定ファイル", $"{origins.ConfigFile}（{WhereFound(origins.ConfigFile)}）");
        if (origins.UnknownKeys.Count > 0)
            Line(Warning, "設定ファイル", $"使われない設定があります: {string.Join("、", origins.UnknownKeys)}（綴りの誤りならジョブはその設定を無視して既定値で動きます）",
                "README の「Configuration」の設定名と照らし合わせてください");

        var municipality = origins.Settings.First(s => s.Key == "municipalityCode").Value;
        var parsed = MunicipalityCode.Parse(municipality);
        if (municipality is null)
        {
            Line(Failed, "市区町村コード", "設定されていません", "nenkinbatch.json の municipalityCode（または環境変数 NENKIN_MUNICIPALITY_CODE）に6桁の市区町村コードを書いてください");
            return null;
        }
        if (!parsed.Ok)
        {
            Line(Failed, "市区町村コード", $"「{municipality}」は正しくありません（{parsed.Error}）", "検査数字を含む6桁の市区町村コードを設定してください");
            return null;
        }
        Line(Ok, "市区町村コード", $"{municipality}（検査数字が合っています）");
        Settings? settings = null;
        try
        {
            settings = Settings.Resolve(commandLine, environment, workingDirectory, executableDirectory);
        }
        catch (OperatorException e)
        {
            Line(Failed, "設定", e.Message);
        }
        output.WriteLine("  各設定の値と出どころ（コマンドライン > 環境変数 > 設定ファイル > 既定値）:");
        foreach (var setting in origins.Settings)
        {
            var value = setting.Value is null ? $"（既定値{DefaultShown(setting.Key, settings)}）" : setting.Key == "db" ? DatabaseTarget.Masked(setting.Value) : setting.Value;
            var source = setting.Source switch
            {
                SettingSource.CommandLine => $"コマンドライン {Settings.CommandLineOptionOf(setting.Key)}",
                SettingSource.Environment => $"環境変数 {setting.Variable}",
                SettingSource.File => "設定ファイル",
                _ => null,
            };
            if (source is not null) Detail($"{setting.Key} = {value}（{source}）");
            else if (setting.Key is "db" or "logDir" or "reportDir" or "keyFile") Detail($"{setting.Key} = {value}");
        }
        return settings;
    }

    /// <summary>What a default comes to here, for the settings whose default depends on the others: the paths.</summary>
    private static string DefaultShown(string key, Settings? settings) => (key, settings) switch
    {
        (_, null) => "",
        ("db", _) => ": " + settings.Database,
        ("logDir", _) => ": " + settings.LogDirectory,
        ("reportDir", _) => ": " + settings.ReportDirectory,
        ("keyFile", _) => DatabaseTarget.IsConnectionString(settings.Database) ? "なし（PostgreSQL では必須）" : $": {settings.Database}.key",
        _ => "",
    };

    private string WhereFound(string path)
    {
        if (commandLine.ConfigFile is not null) return "--config で指定";
        return string.Equals(Path.GetDirectoryName(path), Path.TrimEndingDirectorySeparator(Path.GetFullPath(workingDirectory)), StringComparison.Ordinal)
            ? "作業フォルダーのもの。実行ファイルと同じフォルダーのものより優先されます"
            : "実行ファイルと同じフォルダーのもの";
    }

    /// <summary>The store, reachable; null when the jobs could not open it.</summary>
    private async Task<Store?> CheckDatabaseAsync(Settings settings, CancellationToken cancellationToken)
    {
        Store? created = null;
        try
        {
            created = Store.Create(DatabaseTarget.Parse(settings.Database, commandLine.Database is not null));
            created.CheckUsable(creating: false);
        }
        catch (OperatorException e)
        {
            if (created is not null) await created.DisposeAsync();
            Line(Failed, "データベース", e.Message);
            return null;
        }
        var store = created;
        var started = clock.GetTimestamp();
        try
        {
            await using var connection = await store.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.DisposeAsync();
            Line(Failed, "データベース", $"{store.Target.Display} に接続できません（{Reason(e)}）",
                store.Kind == StoreKind.Postgres
                    ? "サーバーが動いているか、接続文字列（Host・Port・Database・Username）とパスワード（NENKIN_DB・設定ファイル・PGPASSWORD・.pgpass）を確認してください"
                    : "ファイルの場所と権限を確認してください");
            return null;
        }
        Line(Ok, "データベース", $"{store.Target.Display} に接続できます（{clock.GetElapsedTime(started).TotalMilliseconds:F0} ms）");
        return store;
    }

    /// <summary>The versions applied, or null when they could not be read.</summary>
    private async Task<HashSet<int>?> CheckSchemaAsync(Store store, CancellationToken cancellationToken)
    {
        try
        {
            if (await store.IsNewAsync(cancellationToken))
            {
                Line(Failed, "スキーマ", "テーブルがありません（マイグレーションが一度も適用されていません）", "nenkin-admin db migrate を実行してください");
                return [];
            }
            var migrator = new Migrator(store, clock);
            var applied = await migrator.AppliedAsync(cancellationToken);
            var shipped = migrator.Available.ToDictionary(m => m.Version);
            var changed = applied.Where(a => shipped.TryGetValue(a.Version, out var m) && !string.Equals(m.Checksum, a.Checksum, StringComparison.Ordinal)).ToList();
            var newer = applied.Where(a => !shipped.ContainsKey(a.Version)).ToList();
            var versions = applied.Select(a => a.Version).ToHashSet();
            var pending = migrator.Available.Where(m => !versions.Contains(m.Version)).ToList();
            if (changed.Count > 0)
                Line(Failed, "スキーマ", $"適用済みのマイグレーション {string.Join("、", changed.Select(m => $"{m.Version:D4}_{m.Name}"))} が、この版のものと違います（ジョブは終了コード 30 で止まります）",
                    "配布物とデータベースの版が合っているか確認してください");
            else if (newer.Count > 0)
                Line(Failed, "スキーマ", $"このデータベースには、この実行ファイルより新しい版のマイグレーション {string.Join("、", newer.Select(m => $"{m.Version:D4}_{m.Name}"))} が適用されています",
                    "新しい版の実行ファイルを使ってください");
            else if (pending.Count > 0)
                Line(Failed, "スキーマ", $"未適用のマイグレーションが {pending.Count} 件あります（{string.Join("、", pending.Select(m => $"{m.Version:D4}_{m.Name}"))}）。ジョブは終了コード 30 で止まります",
                    "nenkin-admin db migrate を実行してください");
            else
                Line(Ok, "スキーマ", $"最新です（マイグレーション {applied.Count} 件適用済み、最後は {applied[^1].Version:D4}_{applied[^1].Name}）");
            return versions;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Line(Failed, "スキーマ", $"マイグレーションの記録を読めません（{Reason(e)}）", "nenkin-admin db status で確認してください");
            return null;
        }
    }

    /// <summary>The 個人番号 key: present, owner-only, a key, and the one the stored numbers were sealed with (by the check value, never by opening a number).</summary>
    private async Task CheckKeyAsync(Settings settings, Store? store, HashSet<int>? applied, CancellationToken cancellationToken)
    {
        string path;
        try
        {
            // The jobs' own rule; the database need not answer for it (a configured key file is checked whatever the database setting says).
            path = settings.KeyFile
                ?? IndividualNumberKeys.KeyFileOf(store?.Target ?? DatabaseTarget.Parse(settings.Database, commandLine.Database is not null), null);
        }
        catch (OperatorException e)
        {
            Line(Failed, "鍵ファイル", e.Message);
            return;
        }
        // The canary needs the check table (migration 0004) and the tables numbers are stored in.
        var canReadStore = store is not null && applied is not null && applied.Contains(4);

        if (Directory.Exists(path))
        {
            Line(Failed, "鍵ファイル", $"{path} はフォルダーです", "設定 keyFile（環境変数 NENKIN_KEY_FILE）に鍵ファイルのパスを指定してください");
            return;
        }
        if (!File.Exists(path))
        {
            long stored = 0;
            if (canReadStore)
            {
                await using var connection = await store!.OpenAsync(cancellationToken);
                stored = await IndividualNumberKeys.CountStoredAsync(connection, null, settings.Municipality, cancellationToken);
            }
            if (stored > 0)
                Line(Failed, "鍵ファイル", $"{path} がありません。保存済みの個人番号が {stored:N0} 件あります（この鍵がないと読めず、照合もできません）",
                    "データベースと一緒にバックアップした鍵ファイルを戻すか、設定 keyFile で正しい鍵ファイルを指定してください。新しい鍵を作らないでください");
            else
                Line(Warning, "鍵ファイル", $"{path} はまだありません（個人番号はまだ保存されていません）。最初に個人番号を扱うジョブ（load-members、import）が所有者だけの権限で作ります",
                    "作られたら、データベースと一緒にバックアップしてください");
            return;
        }

        IndividualNumberProtector protector;
        try
        {
            protector = IndividualNumberProtector.FromKeyFile(path, createIfMissing: false);
        }
        catch (UnauthorizedAccessException)
        {
            Line(Failed, "鍵ファイル", $"{path} をこの利用者（{Environment.UserName}）は読めません", "ジョブを実行するサービスアカウントで点検するか、鍵ファイルの所有者をサービスアカウントにしてください");
            return;
        }
        catch (OperatorException e)
        {
            Line(Failed, "鍵ファイル", e.Message, "データベースと一緒にバックアップした鍵ファイルを戻してください");
            return;
        }
        Line(Ok, "鍵ファイル", $"{path} があり、32バイトの鍵として読めます");
        CheckKeyPermissions(path);

        if (!canReadStore)
        {
            Line(Skipped, "鍵の照合", "データベースかスキーマの問題を直すまで点検できません");
            return;
        }
        KeyInspection inspection;
        await using (var connection = await store!.OpenAsync(cancellationToken))
            inspection = await IndividualNumberKeys.InspectAsync(connection, protector, settings.Municipality, cancellationToken);
        switch (inspection)
        {
            case { Recorded: true, Matches: true }:
                Line(Ok, "鍵の照合", $"保存済みの個人番号（{inspection.NumbersStored:N0} 件）を暗号化した鍵です（照合値が一致）");
                break;
            case { Recorded: true, NumbersStored: > 0 }:
                Line(Failed, "鍵の照合", $"この鍵は、保存済みの個人番号（{inspection.NumbersStored:N0} 件）を暗号化した鍵と違います。個人番号を扱うジョブは終了コード 30 で止まります",
                    "データベースと一緒にバックアップした鍵ファイルを戻すか、設定 keyFile で正しい鍵ファイルを指定してください。新しい鍵を作らないでください");
                break;
            case { Recorded: true }:
                Line(Warning, "鍵の照合", "記録されている照合値は別の鍵のものですが、保存済みの個人番号はありません。次に個人番号を扱うジョブがこの鍵の照合値に置き換えます",
                    "この鍵を使い続けるつもりか確認してください");
                break;
            case { NumbersStored: > 0 }:
                Line(Warning, "鍵の照合", $"照合値がまだ記録されていません（照合値を記録しない古い版で保存した個人番号が {inspection.NumbersStored:N0} 件あります）。次に個人番号を扱うジョブがこの鍵の照合値を記録します",
                    "その前に、この鍵ファイルがデータベースと一緒にバックアップしたものか確認してください");
                break;
            default:
                Line(Ok, "鍵の照合", "個人番号はまだ保存されていません。最初に個人番号を扱うジョブがこの鍵の照合値を記録します");
                break;
        }
    }

    private void CheckKeyPermissions(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var others = OthersWhoCanRead(path, directory: false);
            if (others.Count == 0)
                Line(Ok, "鍵ファイルの権限", "読めるのは SYSTEM、Administrators、この利用者（と所有者）だけです（ACL）");
            else
                Line(Failed, "鍵ファイルの権限", $"ほかに {string.Join("、", others)} が読めます",
                    $"icacls \"{path}\" /inheritance:r /grant:r \"*S-1-5-18:F\" \"*S-1-5-32-544:F\" \"{Environment.UserDomainName}\\{Environment.UserName}:R\"");
            return;
        }
        var mode = File.GetUnixFileMode(path);
        if ((mode & PrivateFolder.GroupAndOthers) == 0)
            Line(Ok, "鍵ファイルの権限", $"所有者だけが読めます（{PrivateFolder.ModeText(mode)}）");
        else
            Line(Failed, "鍵ファイルの権限", $"所有者以外も読めます（{PrivateFolder.ModeText(mode)}）", $"chmod 600 {path}");
    }

    private void CheckCodeTables(Settings settings)
    {
        if (settings.CodeTablesFile is not { } path) return;
        try
        {
            _ = CodeTables.LoadFile(path);
            Line(Ok, "コード表", $"{path} を読めます");
        }
        catch (Exception e) when (e is OperatorException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Line(Failed, "コード表", $"{path} を読めません（{Reason(e)}）", "設定 codeTables のパスと内容を確認してください");
        }
    }

    /// <summary>The folders the jobs write into, checked as the jobs would: a file created and deleted in each.</summary>
    private void CheckFolders(Settings settings)
    {
        var folders = new List<(string What, string Path, string Names)>
        {
            ("ログの出力先", settings.LogDirectory, "設定 logDir（環境変数 NENKIN_LOG_DIR、--log-dir）"),
            ("報告書の出力先", settings.ReportDirectory, "設定 reportDir（環境変数 NENKIN_REPORT_DIR）"),
        };
        folders.AddRange(options.Inboxes.Select(inbox => ("受信フォルダー", Path.GetFullPath(inbox, workingDirectory), "--inbox")));
        foreach (var (what, path, names) in folders)
        {
            if (File.Exists(path))
            {
                Line(Failed, what, $"{path} はファイルです", $"{names} にフォルダーのパスを指定してください");
                continue;
            }
            if (!Directory.Exists(path))
            {
                Line(Failed, what, $"{path} がありません",
                    OperatingSystem.IsWindows() ? $"所有者だけの ACL で作成してください（README の「File permissions」の icacls）" : $"mkdir -p -m 700 {path}（ジョブを実行するサービスアカウントで）");
                continue;
            }
            try
            {
                using (new FileStream(Path.Combine(path, $".nenkin-doctor-{Environment.ProcessId}-{Guid.NewGuid():N}"),
                    PrivateFolder.OwnerOnlyFileOptions(FileMode.CreateNew, FileAccess.Write, options: FileOptions.DeleteOnClose)))
                {
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Line(Failed, what, $"{path} に書き込めません（{(e is UnauthorizedAccessException ? "権限がありません" : Reason(e))}）",
                    $"この利用者（{Environment.UserName}）に書き込み権限を与えるか、{names} を見直してください");
                continue;
            }
            if (OperatingSystem.IsWindows())
            {
                var others = OthersWhoCanRead(path, directory: true);
                if (others.Count > 0)
                {
                    Line(Warning, what, $"{path} に書き込めますが、ほかに {string.Join("、", others)} が読めます（個人情報を含みます）",
                        "README の「File permissions」の icacls で継承をやめ、必要な利用者だけにしてください");
                    continue;
                }
            }
            else if (PrivateFolder.OpenToOthers(path) is { } mode)
            {
                Line(Warning, what, $"{path} に書き込めますが、他の利用者も読める権限（{mode}）です（個人情報を含みます）", $"chmod 700 {path}");
                continue;
            }
            Line(Ok, what, $"{path} に書き込めます");
        }
    }

    /// <summary>Free space on each disk the jobs write to, once per disk.</summary>
    private void CheckFreeSpace(Settings settings)
    {
        var paths = new List<string> { settings.LogDirectory, settings.ReportDirectory };
        if (!DatabaseTarget.IsConnectionString(settings.Database)) paths.Insert(0, Path.GetDirectoryName(Path.GetFullPath(settings.Database))!);
        paths.AddRange(options.Inboxes.Select(inbox => Path.GetFullPath(inbox, workingDirectory)));
        DriveInfo[] drives;
        try
        {
            drives = DriveInfo.GetDrives();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Line(Warning, "空き容量", $"ディスクの一覧を読めません（{Reason(e)}）");
            return;
        }
        foreach (var group in paths.Select(p => (Path: p, Drive: DriveOf(p, drives))).Where(p => p.Drive is not null).GroupBy(p => p.Drive!.RootDirectory.FullName, StringComparer.Ordinal))
        {
            var drive = group.First().Drive!;
            long free;
            try
            {
                free = drive.AvailableFreeSpace;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Line(Warning, "空き容量", $"{group.Key} の空き容量を読めません（{Reason(e)}）");
                continue;
            }
            var gigabytes = free / (1024.0 * 1024 * 1024);
            var text = $"{group.Key} {gigabytes.ToString("F1", CultureInfo.InvariantCulture)} GB（{string.Join("、", group.Select(p => p.Path).Distinct(StringComparer.Ordinal))}）";
            if (gigabytes < options.MinFreeGigabytes)
                Line(Warning, "空き容量", $"{text}。基準の {options.MinFreeGigabytes.ToString(CultureInfo.InvariantCulture)} GB を下回っています",
                    "古いログや報告書の整理（nenkin-purge）、ディスクの増設を検討してください");
            else
                Line(Ok, "空き容量", text);
        }
    }

    /// <summary>The disk a path is on: the longest mount point (drive root) it lies under; the path itself need not exist yet.</summary>
    private static DriveInfo? DriveOf(string path, DriveInfo[] drives)
    {
        var full = Path.GetFullPath(path);
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return drives
            .Where(d => full.StartsWith(d.RootDirectory.FullName, comparison)
                && (full.Length == d.RootDirectory.FullName.Length || d.RootDirectory.FullName.EndsWith(Path.DirectorySeparatorChar) || full[d.RootDirectory.FullName.Length] == Path.DirectorySeparatorChar))
            .MaxBy(d => d.RootDirectory.FullName.Length);
    }

    /// <summary>Business dates, log times and the schedules' times are Tokyo's: the zone must resolve, whatever the machine's own.</summary>
    private void CheckTimeZone()
    {
        var local = TimeZoneInfo.Local;
        var offset = local.GetUtcOffset(clock.GetUtcNow());
        var machine = $"このマシンのタイムゾーンは {local.Id}（UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm}）";
        var resolved = TimeZoneInfo.TryFindSystemTimeZoneById("Asia/Tokyo", out _) || TimeZoneInfo.TryFindSystemTimeZoneById("Tokyo Standard Time", out _);
        if (!resolved)
        {
            Line(Failed, "タイムゾーン", $"Asia/Tokyo を解決できません（タイムゾーンのデータがありません）。{machine}",
                "tzdata を入れてください（Debian: apt-get install tzdata）。crontab の CRON_TZ=Asia/Tokyo や systemd の OnCalendar も、これがないと日本時間になりません");
            return;
        }
        Line(Ok, "タイムゾーン", offset == TimeSpan.FromHours(9)
            ? $"Asia/Tokyo を解決できます。{machine}"
            : $"Asia/Tokyo を解決できます。{machine}。ログと業務日付は日本時間で記録します。スケジュールは日本時間で書いてください（crontab の CRON_TZ、systemd の OnCalendar の Asia/Tokyo、タスク スケジューラの +09:00）");
    }

    /// <summary>Permissions are only proven for the account that runs the jobs: root (or an administrator) reads everything.</summary>
    private void CheckAccount()
    {
        if (!OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess)
            Line(Warning, "実行した利用者", "root で点検しました。root はどのファイルも読めるため、権限の点検はジョブを実行するサービスアカウントについて何も保証しません",
                "サービスアカウントで実行してください（例: sudo -u nenkin nenkin-admin doctor）");
    }

    /// <summary>The innermost message, on one line: the operator needs the cause (a refused connection, a wrong password), not the wrapper.</summary>
    private static string Reason(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return $"{inner.GetType().Name}: {inner.Message.ReplaceLineEndings(" ").Trim()}";
    }

    /// <summary>
    /// Who besides SYSTEM, the administrators, the current account and the owner may read a file or folder: the ACL
    /// entries that allow reading its data, by account name. Windows has no mode bits; the ACL is what a clerk's account
    /// would be checked against.
    /// </summary>
    [SupportedOSPlatform("windows")]
    private static List<string> OthersWhoCanRead(string path, bool directory)
    {
        FileSystemSecurity security = directory ? new DirectoryInfo(path).GetAccessControl() : new FileInfo(path).GetAccessControl();
        var allowed = new HashSet<SecurityIdentifier>
        {
            new(WellKnownSidType.LocalSystemSid, null),
            new(WellKnownSidType.BuiltinAdministratorsSid, null),
            new(WellKnownSidType.CreatorOwnerSid, null),
        };
        if (WindowsIdentity.GetCurrent().User is { } me) allowed.Add(me);
        if (security.GetOwner(typeof(SecurityIdentifier)) is SecurityIdentifier owner) allowed.Add(owner);
        var others = new List<string>();
        foreach (FileSystemAccessRule rule in security.GetAccessRules(includeExplicit: true, includeInherited: true, typeof(SecurityIdentifier)))
        {
            if (rule.AccessControlType != AccessControlType.Allow || (rule.FileSystemRights & FileSystemRights.ReadData) == 0) continue;
            if (rule.IdentityReference is not SecurityIdentifier sid || allowed.Contains(sid)) continue;
            string name;
            try
            {
                name = sid.Translate(typeof(NTAccount)).Value;
            }
            catch (IdentityNotMappedException)
            {
                name = sid.Value;
            }
            if (!others.Contains(name, StringComparer.OrdinalIgnoreCase)) others.Add(name);
        }
        return others;
    }
}
