using System.Text.Json;
using NenkinBatch.Domain;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Jobs.Reconcile;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Audit;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Jobs.Import;
using NenkinBatch.Tests.Jobs.Reconcile;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Persistence;

public class AuditLogTests
{
    private static readonly MunicipalityCode M = TestDatabase.Municipality;
    private static readonly MunicipalityCode Other = MunicipalityCode.Parse("131016").Value;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Jobs_WriteEveryKeyInTheScheme_AndUndoReadsThemBack(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var city = Path.Combine(AdminProcess.RepositoryRoot, "samples", "city");
        await ReconcileJobTests.LoadAndImportAsync(database, city, CityFiles.JpsCsvFile, CityFiles.JpsFixedFile);
        var (reimport, _) = await ImportJobTests.ImportAsync(database, new ImportOptions { Files = [Path.Combine(city, CityFiles.JpsCsvFile)], Reimport = true });
        reimport.ExitCode.ShouldBe(0, reimport.Error);
        var apply = await InProcess.RunAsync(new ReconcileJob(new ReconcileOptions { Apply = true }), database.Settings());
        apply.ExitCode.ShouldBe(0, apply.Error);
        using (var summary = JsonDocument.Parse(apply.Summary!))
        {
            var undo = await InProcess.RunAsync(new ReconcileUndoJob(summary.RootElement.GetProperty("run_id").GetInt64()), database.Settings());
            undo.ExitCode.ShouldBe(0, undo.Error);
        }

        var rows = await database.RowsAsync("SELECT municipality_code, job, table_name, record_key FROM audit_log ORDER BY audit_id");
        rows.Count.ShouldBeGreaterThan(100);
        var written = new HashSet<string>();
        foreach (var row in rows)
        {
            var (municipality, job, table, recordKey) = row.Split('|') is [var m, var j, var t, var k] ? (m, j, t, k) : throw new InvalidDataException(row);
            AuditKey.TryParse(recordKey, out var key).ShouldBeTrue(row);
            (key.Municipality.Value, key.Table).ShouldBe((municipality, table), row);
            written.Add($"{job} {table}");
        }
        written.ShouldBe([
            "load-members person", "load-members person_individual_number", "load-members qualification",
            "juki-sync person",
            "import jps_result_file",
            "reconcile person", "reconcile qualification", "reconcile jps_filing_processed",
            "reconcile-undo person", "reconcile-undo qualification", "reconcile-undo jps_filing_processed",
        ], ignoreOrder: true);
        (await database.RowsAsync("SELECT job, action FROM audit_log WHERE record_key = '121002/person/1000001380' ORDER BY audit_id"))
            .ShouldBe(["load-members|INSERT", "juki-sync|UPDATE", "reconcile|UPDATE", "reconcile-undo|UPDATE"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Migration3_RewritesEveryOldFormat_IntoTheScheme_AndTheLogStaysAppendOnly(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var migrator = new Migrator(database.Store, TimeProvider.System);
        (await migrator.MigrateAsync(upTo: 2, default)).Select(m => m.Version).ShouldBe([1, 2]);
        var run = await new RunRegistry(database.Store, TimeProvider.System).StartAsync(M, "test", "", "", null, default);
        // Each format as its writer left it, then what it must become. 宛名番号 121002 spells like the municipality on purpose.
        (string Municipality, string Job, string Table, string Old, string New)[] rows =
        [
            ("121002", "load-members", "person", "121002/1000000019", "121002/person/1000000019"),
            ("121002", "load-members", "person_individual_number", "121002/1000000019", "121002/person_individual_number/1000000019"),
            ("121002", "load-members", "qualification", "121002/1000000019/2020-04-01", "121002/qualification/1000000019/2020-04-01"),
            ("121002", "reconcile", "person", "1000000019", "121002/person/1000000019"),
            ("121002", "reconcile", "qualification", "1000000019/2020-04-01", "121002/qualification/1000000019/2020-04-01"),
            ("121002", "reconcile", "jps_filing_processed", "3/17", "121002/jps_filing_processed/3/17"),
            ("121002", "reconcile-undo", "person", "1000000019", "121002/person/1000000019"),
            ("121002", "reconcile-undo", "qualification", "1000000019/2019-04-01", "121002/qualification/1000000019/2019-04-01"),
            ("121002", "reconcile-undo", "jps_filing_processed", "3/17", "121002/jps_filing_processed/3/17"),
            ("121002", "import", "jps_result_file", "121002/3", "121002/jps_result_file/3"),
            ("121002", "load-members", "person", "121002/121002", "121002/person/121002"),
            ("121002", "load-members", "qualification", "121002/121002/2020-04-01", "121002/qualification/121002/2020-04-01"),
            ("121002", "reconcile", "person", "121002", "121002/person/121002"),
            ("121002", "reconcile", "qualification", "121002/2020-04-01", "121002/qualification/121002/2020-04-01"),
            ("131016", "load-members", "person", "131016/121002", "131016/person/121002"),
            ("131016", "reconcile", "jps_filing_processed", "12/1", "131016/jps_filing_processed/12/1"),
        ];
        await using (var connection = await database.Store.OpenAsync(default))
        {
            foreach (var row in rows)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = $"""
                    INSERT INTO audit_log (municipality_code, run_id, job, table_name, record_key, action, individual_number_accessed, recorded_at)
                    VALUES ('{row.Municipality}', {run}, '{row.Job}', '{row.Table}', '{row.Old}', 'UPDATE', {(kind == TestDatabase.Sqlite ? "0, '2026-01-01'" : "false, now()")})
                    """;
                await insert.ExecuteNonQueryAsync();
            }
        }

        (await migrator.MigrateAsync(upTo: 3, default)).Select(m => m.Version).ShouldBe([3]);

        (await database.RowsAsync("SELECT record_key FROM audit_log ORDER BY audit_id")).ShouldBe(rows.Select(r => r.New));
        (await database.RowsAsync("SELECT table_name, record_key FROM audit_log ORDER BY audit_id"))
            .ShouldAllBe(r => AuditKey.Parse(r.Split('|', 2)[1]).Table == r.Split('|', 2)[0]);
        await using (var connection = await database.Store.OpenAsync(default))
        await using (var change = connection.CreateCommand())
        {
            change.CommandText = "UPDATE audit_log SET record_key = 'x'";
            (await Should.ThrowAsync<System.Data.Common.DbException>(() => change.ExecuteNonQueryAsync())).Message.ShouldContain("append-only");
        }
        (await database.RowsAsync("SELECT record_key FROM audit_log ORDER BY audit_id")).ShouldBe(rows.Select(r => r.New));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task HistoryOfPerson_ThatPersonsRowsOfEveryTable_InOrder_NotOneWhose宛名番号StartsTheSame(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        var run = await registry.StartAsync(M, "test", "", "", null, default);
        var otherRun = await registry.StartAsync(Other, "test", "", "", null, default);
        var april = new DateOnly(2020, 4, 1);
        AuditEntry Entry(AuditKey key) => new(key, "INSERT", null, null, key is AuditKey.IndividualNumberKey);
        // Interleaved, so the history's order is the log's and not its tables'.
        AuditEntry[] entries =
        [
            Entry(AuditKey.Person(M, "12")),
            Entry(AuditKey.Person(M, "123")),
            Entry(AuditKey.Qualification(M, "12", april.AddYears(1))),
            Entry(AuditKey.Qualification(M, "123", april)),
            Entry(AuditKey.IndividualNumber(M, "123")),
            Entry(AuditKey.Qualification(M, "120", april)),
            Entry(AuditKey.IndividualNumber(M, "12")),
            Entry(AuditKey.Filing(M, 12, 1)),
            Entry(AuditKey.File(M, 12)),
            Entry(AuditKey.Qualification(M, "12", april)),
            Entry(AuditKey.Person(M, "12")),
        ];
        await using var connection = await database.Store.OpenAsync(default);
        var writer = database.Store.CreateAuditWriter();
        foreach (var entry in entries)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await writer.WriteAsync(connection, transaction, M, run, "test", DateTimeOffset.UtcNow, [entry], default);
            // The same 宛名番号 in another municipality is another person.
            await writer.WriteAsync(connection, transaction, Other, otherRun, "test", DateTimeOffset.UtcNow,
                [entry with { Key = AuditKey.Parse(Other.Value + entry.RecordKey[6..]) }], default);
            await transaction.CommitAsync();
        }

        var history = await AuditLog.HistoryOfPersonAsync(connection, M, "12", default);

        history.Select(h => h.Key.Value).ShouldBe([
            "121002/person/12", "121002/qualification/12/2021-04-01", "121002/person_individual_number/12", "121002/qualification/12/2020-04-01",
            "121002/person/12",
        ]);
        history.Select(h => h.AuditId).ShouldBeInOrder(SortDirection.Ascending);
        history.ShouldAllBe(h => h.RunId == run && h.Job == "test" && h.Action == "INSERT");
        history.Select(h => h.IndividualNumberAccessed).ShouldBe([false, false, true, false, false]);
        (await AuditLog.HistoryOfPersonAsync(connection, M, "123", default)).Select(h => h.Key.Value)
            .ShouldBe(["121002/person/123", "121002/qualification/123/2020-04-01", "121002/person_individual_number/123"]);
        (await AuditLog.HistoryOfPersonAsync(connection, M, "1", default)).ShouldBeEmpty();
        (await AuditLog.HistoryOfPersonAsync(connection, Other, "12", default)).Select(h => h.Key.Municipality).Distinct().ShouldBe([Other]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task HistoryOfPerson_EachBranchIsAnIndexLookup_OnMunicipalityTableAndKey(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        await using var connection = await database.Store.OpenAsync(default);
        await using var command = AuditLog.HistoryCommand(connection, M, "12");
        if (kind == TestDatabase.Postgres)
        {
            // On an empty table any plan is cheap; forbidding the full scan shows whether the index can answer at all.
            await using var noSeqScan = connection.CreateCommand();
            noSeqScan.CommandText = "SET enable_seqscan = off";
            await noSeqScan.ExecuteNonQueryAsync();
        }
        command.CommandText = (kind == TestDatabase.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + command.CommandText;
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                plan.Add(reader.GetString(reader.FieldCount - 1));
        var text = string.Join("\n", plan);

        if (kind == TestDatabase.Sqlite)
        {
            plan.Count(p => p.Contains("USING INDEX ix_audit_log_record (municipality_code=? AND table_name=? AND record_key=?)", StringComparison.Ordinal)).ShouldBe(2, text);
            plan.Count(p => p.Contains("USING INDEX ix_audit_log_record (municipality_code=? AND table_name=? AND record_key>? AND record_key<?)", StringComparison.Ordinal)).ShouldBe(1, text);
        }
        else
        {
            // Keys compare byte by byte, as on SQLite, whatever the database's own collation: the range is exact.
            (await database.RowsAsync("""
                SELECT collation_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'audit_log' AND column_name = 'record_key'
                """)).ShouldBe(["C"]);
            text.ShouldNotContain("Seq Scan");
            text.ShouldNotContain("Filter", customMessage: text);
            plan.Count(p => p.Contains("Index Cond: ((municipality_code = ", StringComparison.Ordinal) && p.Contains("(table_name = ", StringComparison.Ordinal)
                && p.Contains("(record_key ", StringComparison.Ordinal)).ShouldBe(3, text);
        }
    }
}
