using System.Security.Cryptography;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Persistence;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>
/// <c>nenkin-admin doctor</c> on installations as an operator leaves them: healthy it exits 0; each fault — a key that is not
/// the one the numbers were sealed with, a folder that is missing or open to others, an outdated schema, a database that
/// does not answer — is a ✗ line naming it and what to do, and the exit code is 40. It changes nothing it checks.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class DoctorTests
{
    private static string SampleCity => Path.Combine(AdminProcess.RepositoryRoot, "samples", "city");

    /// <summary>A migrated store with the sample city's members loaded (numbers sealed, the key's check value recorded) and its folders made owner-only.</summary>
    private static async Task<(TestDatabase Database, Dictionary<string, string> Env)> HealthyAsync(string kind)
    {
        var database = await TestDatabase.CreateMigratedAsync(kind);
        if (kind == TestDatabase.Postgres) await File.WriteAllTextAsync(database.KeyFile, NewKey());
        var load = await InProcess.RunAsync(new LoadMembersJob(Path.Combine(SampleCity, CityFiles.MembersFile)), database.Settings());
        load.ExitCode.ShouldBe(0);
        Directory.CreateDirectory(database.ReportDirectory, PrivateFolder.OwnerOnly);
        File.SetUnixFileMode(database.KeyFile, PrivateFolder.OwnerOnlyFile);
        var env = database.Environment();
        if (kind == TestDatabase.Sqlite) env.Remove("NENKIN_KEY_FILE");
        if (kind == TestDatabase.Sqlite) File.Move(database.KeyFile, database.Database + ".key");
        return (database, env);
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string KeyFileOf(TestDatabase database) => database.Kind == TestDatabase.Sqlite ? database.Database + ".key" : database.KeyFile;

    private static Task<AdminProcess.Result> DoctorAsync(TestDatabase database, Dictionary<string, string> env, params string[] args) =>
        AdminProcess.RunAsync(database.Directory, env, ["doctor", .. args]);

    private static string[] Failures(AdminProcess.Result result) => result.Out.Split('\n').Where(l => l.StartsWith("✗", StringComparison.Ordinal)).ToArray();

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task HealthyInstall_EveryCheckPasses_Exit0(string kind)
    {
        var (database, env) = await HealthyAsync(kind);
        await using var _ = database;
        var inbox = Path.Combine(database.Directory, "inbox");
        Directory.CreateDirectory(inbox, PrivateFolder.OwnerOnly);

        var result = await DoctorAsync(database, env, "--inbox", inbox);

        result.ExitCode.ShouldBe(0, result.All);
        Failures(result).ShouldBeEmpty();
        result.Out.ShouldContain("✓ 市区町村コード: 121002");
        result.Out.ShouldContain("に接続できます");
        result.Out.ShouldContain("✓ スキーマ: 最新です");
        result.Out.ShouldContain($"✓ 鍵ファイル: {KeyFileOf(database)} があり");
        result.Out.ShouldContain("✓ 鍵ファイルの権限: 所有者だけが読めます（0600）");
        result.Out.ShouldContain("✓ 鍵の照合: 保存済みの個人番号");
        result.Out.ShouldContain($"✓ ログの出力先: {database.LogDirectory} に書き込めます");
        result.Out.ShouldContain($"✓ 報告書の出力先: {database.ReportDirectory} に書き込めます");
        result.Out.ShouldContain($"✓ 受信フォルダー: {inbox} に書き込めます");
        result.Out.ShouldContain("✓ 空き容量: ");
        result.Out.ShouldContain("✓ タイムゾーン: Asia/Tokyo を解決できます。このマシンのタイムゾーンは ");
        result.Out.ShouldContain("db = ");
        result.Out.ShouldContain("（環境変数 NENKIN_DB）");
        // The probe files it wrote to test the folders are gone.
        Directory.GetFiles(database.ReportDirectory).ShouldBeEmpty();
        Directory.GetFiles(inbox).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task WrongKey_MissingFolders_OutdatedSchema_EachNamed_Exit40_NothingChanged(string kind)
    {
        var (database, env) = await HealthyAsync(kind);
        await using var _ = database;
        var keyFile = KeyFileOf(database);
        await File.WriteAllTextAsync(keyFile, NewKey());
        File.SetUnixFileMode(keyFile, PrivateFolder.OwnerOnlyFile);
        var missingReports = Path.Combine(database.Directory, "no-such", "reports");
        env["NENKIN_REPORT_DIR"] = missingReports;
        var missingInbox = Path.Combine(database.Directory, "no-such-inbox");
        // An older release's schema: the last migration taken back.
        var last = new Migrator(database.Store, TimeProvider.System).Available[^1];
        await database.ExecuteAsync($"DELETE FROM schema_migration WHERE version = {last.Version}");
        var checkBefore = await database.RowsAsync("SELECT key_check, recorded_run_id FROM individual_number_key_check");

        var result = await DoctorAsync(database, env, "--inbox", missingInbox);

        result.ExitCode.ShouldBe((int)ExitCode.CheckFailed, result.All);
        var failures = Failures(result);
        failures.ShouldContain(l => l.StartsWith("✗ 鍵の照合: この鍵は、保存済みの個人番号", StringComparison.Ordinal) && l.Contains("終了コード 30") && l.Contains("新しい鍵を作らないでください"));
        failures.ShouldContain($"✗ 報告書の出力先: {missingReports} がありません → mkdir -p -m 700 {missingReports}（ジョブを実行するサービスアカウントで）");
        failures.ShouldContain(l => l.StartsWith($"✗ 受信フォルダー: {missingInbox} がありません", StringComparison.Ordinal));
        failures.ShouldContain(l => l.StartsWith($"✗ スキーマ: 未適用のマイグレーションが 1 件あります（{last.Version:D4}_{last.Name}）", StringComparison.Ordinal) && l.EndsWith("→ nenkin-admin db migrate を実行してください", StringComparison.Ordinal));
        failures.Length.ShouldBe(4, result.Out);
        result.Out.ShouldContain("結果: ✗ 4 件");
        // It only looked: no folder made, no check value recorded over the stored one, no migration applied.
        Directory.Exists(missingReports).ShouldBeFalse();
        Directory.Exists(missingInbox).ShouldBeFalse();
        (await database.RowsAsync("SELECT key_check, recorded_run_id FROM individual_number_key_check")).ShouldBe(checkBefore);
        (await database.CountAsync("schema_migration", $"version = {last.Version}")).ShouldBe(0);
    }

    [Fact]
    public async Task PostgresUnreachable_NamedWithTheCause_PasswordMasked_Exit40()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var env = database.Environment();
        // A port nothing listens on: connections are refused at once.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        env["NENKIN_DB"] = $"Host=127.0.0.1;Port={port};Username=nenkin_batch;Password=s3cret-pw;Database=nenkin";
        await File.WriteAllTextAsync(database.KeyFile, NewKey());
        File.SetUnixFileMode(database.KeyFile, PrivateFolder.OwnerOnlyFile);

        var result = await DoctorAsync(database, env);

        result.ExitCode.ShouldBe((int)ExitCode.CheckFailed, result.All);
        Failures(result).ShouldContain(l => l.StartsWith($"✗ データベース: PostgreSQL 127.0.0.1:{port}/nenkin に接続できません（", StringComparison.Ordinal) && l.Contains("PGPASSWORD"));
        result.Out.ShouldContain("Password=********");
        result.All.ShouldNotContain("s3cret-pw");
        // Nothing that needs the database is claimed either way.
        result.Out.ShouldContain("－ 鍵の照合: データベースかスキーマの問題を直すまで点検できません");
        result.Out.ShouldNotContain("✓ スキーマ");
    }

    [Fact]
    public async Task SqliteFileMissing_Named_Exit40_NoDatabaseCreated()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var env = database.Environment();
        var typo = Path.Combine(database.Directory, "typo", "nenkn.db");
        env["NENKIN_DB"] = typo;

        var result = await DoctorAsync(database, env);

        result.ExitCode.ShouldBe((int)ExitCode.CheckFailed, result.All);
        Failures(result).ShouldContain(l => l.StartsWith($"✗ データベース: データベース {typo} がありません", StringComparison.Ordinal) && l.Contains("nenkin-admin db migrate"));
        Directory.Exists(Path.GetDirectoryName(typo)).ShouldBeFalse();
    }

    [Fact]
    public async Task KeyReadableByOthers_AndFolderOpenToOthers_KeyFails_FolderWarns()
    {
        var (database, env) = await HealthyAsync(TestDatabase.Sqlite);
        await using var _ = database;
        var keyFile = KeyFileOf(database);
        File.SetUnixFileMode(keyFile, PrivateFolder.OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(database.ReportDirectory, PrivateFolder.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var result = await DoctorAsync(database, env);

        result.ExitCode.ShouldBe((int)ExitCode.CheckFailed, result.All);
        Failures(result).ShouldBe([$"✗ 鍵ファイルの権限: 所有者以外も読めます（0644） → chmod 600 {keyFile}"]);
        result.Out.ShouldContain($"⚠ 報告書の出力先: {database.ReportDirectory} に書き込めますが、他の利用者も読める権限（0755）です（個人情報を含みます） → chmod 700 {database.ReportDirectory}");
    }

    [Fact]
    public async Task NoSchemaYet_And_NoKeyYet_SchemaFails_KeyOnlyWarns()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var env = database.Environment();
        env.Remove("NENKIN_KEY_FILE");
        Directory.CreateDirectory(database.LogDirectory, PrivateFolder.OwnerOnly);
        Directory.CreateDirectory(database.ReportDirectory, PrivateFolder.OwnerOnly);

        var result = await DoctorAsync(database, env);

        result.ExitCode.ShouldBe((int)ExitCode.CheckFailed, result.All);
        Failures(result).ShouldBe(["✗ スキーマ: テーブルがありません（マイグレーションが一度も適用されていません） → nenkin-admin db migrate を実行してください"]);
        result.Out.ShouldContain($"⚠ 鍵ファイル: {database.Database}.key はまだありません");
        File.Exists(database.Database + ".key").ShouldBeFalse();
    }

    [Fact]
    public async Task SettingsFromEveryLayer_EachNamedWithItsSource_UnknownKeyWarned_BadMunicipalityFails()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var config = Path.Combine(database.Directory, "nenkinbatch.json");
        await File.WriteAllTextAsync(config, """
            {
              // comments are allowed, as in the shipped template
              "municipalityCode": "121002",
              "logDir": "file-logs",
              "reportsDir": "typo",
              "retry": { "maxAttempts": 3 }
            }
            """);
        var env = new Dictionary<string, string> { ["NENKIN_DB"] = database.Database, ["NENKIN_CHUNK_SIZE"] = "100" };

        var result = await DoctorAsync(database, env, "--municipality", "121002");

        result.Out.ShouldContain($"✓ 設定ファイル: {config}（作業フォルダーのもの。実行ファイルと同じフォルダーのものより優先されます）");
        result.Out.ShouldContain("    municipalityCode = 121002（コマンドライン --municipality）");
        result.Out.ShouldContain("（環境変数 NENKIN_DB）");
        result.Out.ShouldContain("    chunkSize = 100（環境変数 NENKIN_CHUNK_SIZE）");
        result.Out.ShouldContain("    logDir = file-logs（設定ファイル）");
        result.Out.ShouldContain("    retry.maxAttempts = 3（設定ファイル）");
        result.Out.ShouldContain($"    reportDir = （既定値: {Path.Combine(database.Directory, "reports")}）");
        result.Out.ShouldContain("⚠ 設定ファイル: 使われない設定があります: reportsDir");

        var bad = await DoctorAsync(database, env, "--municipality", "121003");

        bad.ExitCode.ShouldBe((int)ExitCode.CheckFailed, bad.All);
        Failures(bad).ShouldContain(l => l.StartsWith("✗ 市区町村コード: 「121003」は正しくありません（市区町村コードの検査数字が一致しません）", StringComparison.Ordinal));
        bad.Out.ShouldContain("－ データベース・鍵・フォルダー: 設定を直すまで点検できません");
    }
}
