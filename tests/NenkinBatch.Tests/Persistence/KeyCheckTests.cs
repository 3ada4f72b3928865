using System.Security.Cryptography;
using System.Text.Json;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Persistence;

public class KeyCheckTests
{
    private static string SampleCity => Path.Combine(AdminProcess.RepositoryRoot, "samples", "city");

    /// <summary>
    /// The key file as an installation has it: on SQLite none configured (so <c>&lt;db&gt;.key</c> beside the file),
    /// on PostgreSQL the keyFile setting.
    /// </summary>
    private static (Settings Settings, string KeyFile) CreateSut(TestDatabase database) =>
        database.Kind == TestDatabase.Sqlite
            ? (database.Settings() with { KeyFile = null }, database.Database + ".key")
            : (database.Settings(), database.KeyFile);

    /// <summary>Everything a job with a key could change: numbers, people, lists, audit rows and the key's check value.</summary>
    private static async Task<List<string>> StoredAsync(TestDatabase database) =>
    [
        .. await database.RowsAsync("SELECT atena_number, number_digest, number_sealed, updated_run_id FROM person_individual_number ORDER BY atena_number"),
        .. await database.RowsAsync("SELECT atena_number, updated_run_id FROM person ORDER BY atena_number"),
        .. await database.RowsAsync("SELECT file_id, file_name, sha256 FROM jps_result_file ORDER BY file_id"),
        .. await database.RowsAsync("SELECT file_id, line_number, number_digest FROM jps_result ORDER BY file_id, line_number"),
        .. await database.RowsAsync("SELECT audit_id FROM audit_log ORDER BY audit_id"),
        .. await database.RowsAsync("SELECT municipality_code, key_check, recorded_run_id FROM individual_number_key_check"),
    ];

    private static async Task<InProcess.Run> ImportAsync(Settings settings, string file, bool dryRun = false) =>
        await InProcess.RunAsync(new ImportJob(new ImportOptions { Files = [Path.Combine(SampleCity, file)] }), settings, dryRun);

    private static async Task<InProcess.Run> LoadMembersAsync(Settings settings, string file, bool dryRun = false) =>
        await InProcess.RunAsync(new LoadMembersJob(file), settings, dryRun);

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static async Task<(string Status, long ExitCode)> LastRunAsync(TestDatabase database)
    {
        var row = (await database.RowsAsync("SELECT status, exit_code FROM batch_run ORDER BY run_id DESC LIMIT 1")).Single().Split('|');
        return (row[0], long.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Jobs_KeyFileSwappedForAnother_StopWithSafetyExitNamingTheFile_ChangeNothing_AndRunWithTheRightKeyBack(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var (settings, keyFile) = CreateSut(database);
        if (kind == TestDatabase.Postgres) await File.WriteAllTextAsync(keyFile, NewKey());
        (await LoadMembersAsync(settings, Path.Combine(SampleCity, CityFiles.MembersFile))).ExitCode.ShouldBe(0);
        (await ImportAsync(settings, CityFiles.JpsCsvFile)).ExitCode.ShouldBe(0);
        File.Exists(keyFile).ShouldBeTrue();
        var keyA = await File.ReadAllTextAsync(keyFile);
        var recordedCheck = await database.RowsAsync("SELECT key_check FROM individual_number_key_check");
        recordedCheck.Count.ShouldBe(1);
        var before = await StoredAsync(database);

        await File.WriteAllTextAsync(keyFile, NewKey());
        var import = await ImportAsync(settings, CityFiles.JpsFixedFile);
        var load = await LoadMembersAsync(settings, Path.Combine(SampleCity, CityFiles.MembersFile));
        var dryRun = await ImportAsync(settings, CityFiles.JpsFixedFile, dryRun: true);

        foreach (var refused in new[] { import, load, dryRun })
        {
            refused.ExitCode.ShouldBe((int)ExitCode.RefusedBySafetyRule, refused.Out + refused.Error);
            refused.Error.ShouldContain($"個人番号の暗号鍵ファイル {keyFile} の鍵は、このデータベースに保存済みの個人番号");
            refused.Error.ShouldContain("鍵ファイルを正しいもの（データベースと一緒にバックアップした鍵）に戻す");
            refused.Error.ShouldContain("鍵ファイルを新しく作らないでください");
            refused.Error.ShouldNotContain("   at ");
            using var summary = JsonDocument.Parse(refused.Summary!);
            summary.RootElement.GetProperty("message").GetString().ShouldNotBeNull().ShouldContain(keyFile);
        }
        (await LastRunAsync(database)).ShouldBe((RunStatus.Failed, (long)ExitCode.RefusedBySafetyRule));
        (await StoredAsync(database)).ShouldBe(before);

        await File.WriteAllTextAsync(keyFile, keyA);
        var restored = await ImportAsync(settings, CityFiles.JpsFixedFile);
        restored.ExitCode.ShouldBe(0, restored.Error);
        (await database.CountAsync("jps_result_file")).ShouldBe(2);
        (await database.RowsAsync("SELECT key_check FROM individual_number_key_check")).ShouldBe(recordedCheck);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_StoreWithNumbersButNoCheckValue_RecordsTheKeyInForceWithAWarning_ThenRefusesAnother(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var (settings, keyFile) = CreateSut(database);
        if (kind == TestDatabase.Postgres) await File.WriteAllTextAsync(keyFile, NewKey());
        (await LoadMembersAsync(settings, Path.Combine(SampleCity, CityFiles.MembersFile))).ExitCode.ShouldBe(0);
        // As an installation from before the check has it after migrating: numbers stored, nothing recorded of their key.
        await using (var connection = await database.Store.OpenAsync(default))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM individual_number_key_check";
            await command.ExecuteNonQueryAsync();
        }
        var numbers = await database.CountAsync("person_individual_number");
        numbers.ShouldBeGreaterThan(0);

        var first = await ImportAsync(settings, CityFiles.JpsCsvFile);

        first.ExitCode.ShouldBe(0, first.Error);
        first.Error.ShouldContain($"番号の暗号鍵ファイル {keyFile} を、保存済みの暗号化された番号 {numbers:N0} 件の鍵として記録しました");
        var recorded = await database.RowsAsync("SELECT key_check FROM individual_number_key_check");
        recorded.Count.ShouldBe(1);
        Convert.FromHexString(recorded[0]).ShouldBe(IndividualNumberProtector.FromKeyFile(keyFile, createIfMissing: false).KeyCheck(TestDatabase.Municipality.Value));

        await File.WriteAllTextAsync(keyFile, NewKey());
        var second = await ImportAsync(settings, CityFiles.JpsFixedFile);
        second.ExitCode.ShouldBe((int)ExitCode.RefusedBySafetyRule, second.Error);
        (await database.CountAsync("jps_result_file")).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task LoadMembers_NoNumberStored_ANewKey_ReplacesTheCheckValue_WhileADryRunRecordsNone(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var (settings, keyFile) = CreateSut(database);
        if (kind == TestDatabase.Postgres) await File.WriteAllTextAsync(keyFile, NewKey());
        var withoutNumbers = new MemberFile();
        for (var i = 0; i < 6; i++) withoutNumbers.Add(MemberFile.Person(i, withNumber: false));
        var file = withoutNumbers.Write(Path.Combine(database.Directory, "members.csv"));

        (await LoadMembersAsync(settings, file, dryRun: true)).ExitCode.ShouldBe(0);
        (await database.CountAsync("individual_number_key_check")).ShouldBe(0);
        (await LoadMembersAsync(settings, file)).ExitCode.ShouldBe(0);
        var firstCheck = await database.RowsAsync("SELECT key_check FROM individual_number_key_check");
        firstCheck.Count.ShouldBe(1);

        // No number was ever sealed with the old key, so a new one strands nothing: it becomes the store's key.
        if (kind == TestDatabase.Sqlite) File.Delete(keyFile);
        else await File.WriteAllTextAsync(keyFile, NewKey());
        var again = await LoadMembersAsync(settings, file);

        again.ExitCode.ShouldBe(0, again.Error);
        again.Error.ShouldContain($"番号の暗号鍵ファイル {keyFile} は以前に記録した鍵と違いますが、保存済みの暗号化された番号がないため");
        var check = await database.RowsAsync("SELECT key_check FROM individual_number_key_check");
        check.ShouldNotBe(firstCheck);
        Convert.FromHexString(check.Single()).ShouldBe(IndividualNumberProtector.FromKeyFile(keyFile, createIfMissing: false).KeyCheck(TestDatabase.Municipality.Value));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ImportExecutable_KeyFileReplaced_Exit30WithTheMessageOnly_ThenRunsWithTheKeyRestored(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var environment = database.Environment();
        var keyFile = database.KeyFile;
        if (kind == TestDatabase.Sqlite)
        {
            environment.Remove("NENKIN_KEY_FILE");
            keyFile = database.Database + ".key";
        }
        else await File.WriteAllTextAsync(keyFile, NewKey());
        string Sample(string file) => Path.Combine(SampleCity, file);
        var first = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, environment, Sample(CityFiles.JpsCsvFile));
        first.ExitCode.ShouldBe(0, first.All);
        var keyA = await File.ReadAllTextAsync(keyFile);

        await File.WriteAllTextAsync(keyFile, NewKey());
        var refused = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, environment, Sample(CityFiles.JpsFixedFile));

        refused.ExitCode.ShouldBe((int)ExitCode.RefusedBySafetyRule, refused.All);
        var digests = await database.CountAsync("jps_result", "number_digest IS NOT NULL");
        digests.ShouldBeGreaterThan(0);
        refused.Error.ShouldContain($"個人番号の暗号鍵ファイル {keyFile} の鍵は、このデータベースに保存済みの個人番号（{digests} 件）を暗号化した鍵と違います。何も変更せずに停止しました。");
        refused.All.ShouldNotContain("   at ");
        refused.All.ShouldNotContain("Exception");
        (await database.CountAsync("jps_result_file")).ShouldBe(1);

        await File.WriteAllTextAsync(keyFile, keyA);
        var restored = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, environment, Sample(CityFiles.JpsFixedFile));
        restored.ExitCode.ShouldBe(0, restored.All);
        (await database.CountAsync("jps_result_file")).ShouldBe(2);
    }

    [Fact]
    public void KeyCheck_SameKeyAndMunicipality_SameValue_AnotherKeyOrMunicipality_Another()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var sut = new IndividualNumberProtector(key);

        sut.KeyCheck("121002").ShouldBe(new IndividualNumberProtector(key).KeyCheck("121002"));
        sut.KeyCheck("121002").ShouldNotBe(new IndividualNumberProtector(RandomNumberGenerator.GetBytes(32)).KeyCheck("121002"));
        sut.KeyCheck("121002").ShouldNotBe(sut.KeyCheck("131016"));
        sut.KeyCheck("121002").Length.ShouldBe(32);
    }
}
