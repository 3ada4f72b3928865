using System.Text.Json;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs;

public class LoadMembersJobTests
{
    private static async Task<(InProcess.Run Run, Dictionary<string, long> Counts)> LoadAsync(TestDatabase database, string file, int chunkSize = 5000, bool dryRun = false)
    {
        var run = await InProcess.RunAsync(new LoadMembersJob(file), database.Settings(chunkSize), dryRun);
        run.Summary.ShouldNotBeNull(run.Error);
        using var summary = JsonDocument.Parse(run.Summary);
        var counts = summary.RootElement.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        summary.RootElement.GetProperty("exit_code").GetInt32().ShouldBe(run.ExitCode);
        return (run, counts);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Load_5000Rows_InsertsAll_SecondLoadChangesNothing(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        if (kind == TestDatabase.Postgres) await new Migrator(database.Store, TimeProvider.System).MigrateAsync(default);
        var file = MemberFile.Synthetic(5000).Write(Path.Combine(database.Directory, "members.csv"));

        var (first, firstCounts) = await LoadAsync(database, file, chunkSize: 700);
        first.ExitCode.ShouldBe((int)ExitCode.Success, first.Error);
        firstCounts["read"].ShouldBe(5000);
        firstCounts["inserted"].ShouldBe(5000);
        firstCounts["rejected"].ShouldBe(0);
        (await database.CountAsync("person")).ShouldBe(5000);
        (await database.CountAsync("qualification")).ShouldBe(5000);
        (await database.CountAsync("person_individual_number")).ShouldBe(1667);
        var audit = await database.CountAsync("audit_log");
        audit.ShouldBe(5000 + 5000 + 1667);

        var (second, secondCounts) = await LoadAsync(database, file, chunkSize: 700);
        second.ExitCode.ShouldBe((int)ExitCode.Success);
        (secondCounts["unchanged"], secondCounts["inserted"], secondCounts["updated"]).ShouldBe((5000L, 0L, 0L));
        (await database.CountAsync("audit_log")).ShouldBe(audit);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Load_ChangedRow_UpdatesThatPersonWithAuditRows(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var original = MemberFile.Synthetic(20);
        await LoadAsync(database, original.Write(Path.Combine(database.Directory, "v1.csv")));
        var audit = await database.CountAsync("audit_log");

        var changed = MemberFile.Synthetic(20);
        changed.Rows[5][7] = "千葉県千葉市美浜区新港1番地";       // 転居: the person changes
        changed.Rows[6][14] = "20210331"; changed.Rows[6][15] = "16"; // 資格喪失: the period changes
        changed.Rows[9][16] = MemberFile.IndividualNumberFor(99);     // 個人番号 corrected
        var (run, counts) = await LoadAsync(database, changed.Write(Path.Combine(database.Directory, "v2.csv")));

        run.ExitCode.ShouldBe(0);
        (counts["updated"], counts["unchanged"], counts["inserted"]).ShouldBe((3L, 17L, 0L));
        var rows = await database.RowsAsync("SELECT table_name, action, individual_number_accessed FROM audit_log ORDER BY audit_id");
        rows.Skip((int)audit).ShouldBe(["person|UPDATE|" + False(kind), "qualification|UPDATE|" + False(kind), "person_individual_number|UPDATE|" + True(kind)]);
        var acquired = DateOnly.ParseExact(changed.Rows[6][12], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await database.RowsAsync("SELECT record_key FROM audit_log ORDER BY audit_id")).Skip((int)audit).ShouldBe([
            $"121002/person/{changed.Rows[5][0]}", $"121002/qualification/{changed.Rows[6][0]}/{acquired}", $"121002/person_individual_number/{changed.Rows[9][0]}"]);
        (await database.RowsAsync($"SELECT address FROM person WHERE atena_number = '{changed.Rows[5][0]}'")).ShouldBe(["千葉県千葉市美浜区新港1番地"]);
        var after = await database.RowsAsync("SELECT after_data FROM audit_log WHERE table_name = 'person' AND action = 'UPDATE'");
        after.Single().ShouldContain("美浜区");
    }

    private static string False(string kind) => kind == TestDatabase.Sqlite ? "0" : "False";
    private static string True(string kind) => kind == TestDatabase.Sqlite ? "1" : "True";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Load_BadRows_GoodRowsKept_BadRowsListedMasked_ExitCompletedWithRowErrors(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = MemberFile.Synthetic(30);
        file.Rows[4][4] = "19991340";                                                  // bad date
        file.Rows[9][16] = MemberFile.WithWrongCheckDigit(file.Rows[9][16]); // bad check digit
        file.Rows[12][0] = "";                                                         // missing 宛名番号
        var (run, counts) = await LoadAsync(database, file.Write(Path.Combine(database.Directory, "bad.csv")));

        run.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors);
        (counts["read"], counts["inserted"], counts["rejected"]).ShouldBe((30L, 27L, 3L));
        (await database.CountAsync("person")).ShouldBe(27);
        var problems = await database.RowsAsync("SELECT file_name, line_number, field, value FROM run_problem WHERE severity = 'error' ORDER BY line_number");
        problems.ShouldBe(["bad.csv|6|生年月日|19991340", "bad.csv|11|個人番号|************", "bad.csv|14|宛名番号|∅"]);   // the file's lines: the header is line 1
        run.Error.ShouldContain("bad.csv 11行目 項目「個人番号」");
        foreach (var number in file.IndividualNumbers.Append(file.Rows[9][16]))
        {
            run.Out.ShouldNotContain(number);
            run.Error.ShouldNotContain(number);
            database.AllLogText().ShouldNotContain(number);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Load_RowsOfOnePersonThatDisagree_LaterRowRejected(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = MemberFile.Synthetic(3);
        var second = MemberFile.Person(1);
        second[12] = "20150401"; // another period of person 1 …
        second[2] = "別人　名前"; // … but a different name
        file.Rows.Insert(2, second);
        var (run, counts) = await LoadAsync(database, file.Write(Path.Combine(database.Directory, "m.csv")));
        run.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors);
        counts["rejected"].ShouldBe(1);
        (await database.RowsAsync("SELECT line_number, field FROM run_problem")).ShouldBe(["4|宛名番号"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Load_LastLineCutOff_RefusedWhole_NothingStored(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var path = MemberFile.Synthetic(30).Write(Path.Combine(database.Directory, "cut.csv"));
        var bytes = await File.ReadAllBytesAsync(path);
        // Cut inside the last row's 宛名番号: what is left is valid UTF-8, and one field short.
        var lastLine = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
        await File.WriteAllBytesAsync(path, bytes[..(lastLine + 5)]);

        var (run, _) = await LoadAsync(database, path);

        run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
        run.Error.ShouldContain("cut.csv: 最後の行（31行目）が改行で終わっていません");
        (await database.CountAsync("person")).ShouldBe(0);
        (await database.CountAsync("qualification")).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Load_ControlCharacterRejected_ExactDuplicateWarnedWithBothLines(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = MemberFile.Synthetic(10);
        file.Rows[3][2] = "佐藤\u0000太郎";
        file.Add([.. file.Rows[5]]);
        var (run, counts) = await LoadAsync(database, file.Write(Path.Combine(database.Directory, "m.csv")));

        run.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, run.Error);
        (counts["read"], counts["inserted"], counts["unchanged"], counts["rejected"], counts["warnings"]).ShouldBe((11L, 9L, 1L, 1L, 1L));
        run.Error.ShouldContain("m.csv 5行目 項目「氏名」: 氏名に制御文字（U+0000）があります");
        run.Error.ShouldNotContain("\u0000");
        (await database.RowsAsync("SELECT line_number, reason FROM run_problem WHERE severity = 'warning'")).ShouldBe(["12|7行目とまったく同じ内容の行です（重複）"]);
        (await database.CountAsync("person")).ShouldBe(9);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Load_DryRun_ComputesCountsAndKeepsNothing(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var (run, counts) = await LoadAsync(database, MemberFile.Synthetic(50).Write(Path.Combine(database.Directory, "m.csv")), dryRun: true);
        run.ExitCode.ShouldBe(0);
        counts["inserted"].ShouldBe(50);
        (await database.CountAsync("person")).ShouldBe(0);
        (await database.CountAsync("audit_log")).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Load_IndividualNumbers_StoredSealedNeverInTheClear(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = MemberFile.Synthetic(30);
        await LoadAsync(database, file.Write(Path.Combine(database.Directory, "m.csv")));

        var stored = string.Join("\n", await database.RowsAsync("SELECT * FROM person"))
                     + string.Join("\n", await database.RowsAsync("SELECT * FROM audit_log"));
        // The sealed and digested values are bytes: look for the number's own ASCII bytes in them, not in their hex.
        var sealedBytes = await database.RowsAsync("SELECT number_digest, number_sealed FROM person_individual_number");
        var raw = string.Concat(sealedBytes.SelectMany(r => r.Split('|')).Select(hex => System.Text.Encoding.Latin1.GetString(Convert.FromHexString(hex))));
        file.IndividualNumbers.Count.ShouldBe(10);
        foreach (var number in file.IndividualNumbers)
        {
            stored.ShouldNotContain(number);
            raw.ShouldNotContain(number);
        }
        if (kind == TestDatabase.Sqlite)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var bytes = System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(database.Database));
            foreach (var number in file.IndividualNumbers) bytes.ShouldNotContain(number);
        }

        // The key opens what was sealed, and only for the person it was sealed for.
        var protector = IndividualNumberProtector.FromKeyFile(database.KeyFile, createIfMissing: false);
        var row = MemberFile.Person(3);
        var sealedHex = (await database.RowsAsync($"SELECT number_sealed FROM person_individual_number WHERE atena_number = '{row[0]}'")).Single();
        var opened = protector.Open("121002", row[0], Convert.FromHexString(sealedHex));
        opened.ShouldBe(NenkinBatch.Domain.IndividualNumber.Parse(row[16]).Value);
        Should.Throw<System.Security.Cryptography.CryptographicException>(() => protector.Open("121002", MemberFile.Person(6)[0], Convert.FromHexString(sealedHex)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Load_WhileAnotherRunHoldsTheLock_ExitsAlreadyRunningNamingThatRun(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        await using var held = await database.Store.TryLockJobAsync(LoadMembersJob.JobName, TestDatabase.Municipality, default);
        held.ShouldNotBeNull();
        var holder = await registry.StartAsync(TestDatabase.Municipality, LoadMembersJob.JobName, "other", "k", null, default);

        var (run, _) = await LoadAsync(database, MemberFile.Synthetic(5).Write(Path.Combine(database.Directory, "m.csv")));

        run.ExitCode.ShouldBe((int)ExitCode.AlreadyRunning);
        run.Error.ShouldContain($"実行番号 {holder} で実行中");
        (await database.CountAsync("person")).ShouldBe(0);
        (await registry.GetAsync(holder, default))!.Status.ShouldBe(RunStatus.Started);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Load_AfterAKilledRun_MarksItFailedAndResumesFromItsCheckpoint(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var path = MemberFile.Synthetic(100).Write(Path.Combine(database.Directory, "m.csv"));
        var sha = (await NenkinBatch.Formats.InputFile.InspectUtf8Async(path, default)).Sha256;
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        // A run that committed the first 40 rows (lines 2–41) and then died: STARTED, with its checkpoint, and its rows in the store.
        await LoadAsync(database, MemberFile.Synthetic(40).Write(Path.Combine(database.Directory, "first40.csv")));
        var killed = await registry.StartAsync(TestDatabase.Municipality, LoadMembersJob.JobName, "m.csv", sha, null, default);
        await using (var connection = await database.Store.OpenAsync(default))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await RunRegistry.CheckpointAsync(connection, transaction, killed, "line:41", """{"read":40,"inserted":40,"updated":0,"unchanged":0,"rejected":0,"warnings":0}""", default);
            await transaction.CommitAsync();
        }

        var (run, counts) = await LoadAsync(database, path, chunkSize: 7);

        run.ExitCode.ShouldBe(0, run.Error);
        run.Error.ShouldContain($"実行番号 {killed} は途中で終了していた");
        (await registry.GetAsync(killed, default))!.Status.ShouldBe(RunStatus.Failed);
        (counts["read"], counts["inserted"]).ShouldBe((100L, 100L));
        (await database.CountAsync("person")).ShouldBe(100);
        var resumed = (await registry.RecentAsync(TestDatabase.Municipality, 1, false, default)).Single();
        resumed.ResumedFromRunId.ShouldBe(killed);
    }
}
