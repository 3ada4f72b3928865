using System.Globalization;
using System.Security.Cryptography;
using NenkinBatch.Domain;
using NenkinBatch.Persistence;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Purge;

/// <summary>
/// Writes histories straight into a test database for one municipality: people with their 資格 and 個人番号, lists, audit rows,
/// runs and holds, at any dates. The purge reads only the tables, so a history it must judge can be laid down as it would stand
/// after years of jobs, without running them. Each municipality is a world of its own in the shared database.
/// </summary>
public sealed class PurgeWorld(TestDatabase database, MunicipalityCode municipality)
{
    private long? _setupRun;

    public MunicipalityCode Municipality => municipality;

    /// <summary>A valid 市区町村コード for index <paramref name="i"/>: five digits and the check digit (weights 6..2).</summary>
    public static MunicipalityCode CodeFor(int i)
    {
        var body = (20000 + i % 70000).ToString("D5", CultureInfo.InvariantCulture);
        var sum = 0;
        for (var d = 0; d < 5; d++) sum += (body[d] - '0') * (6 - d);
        return MunicipalityCode.Parse(body + ((11 - sum % 11) % 10).ToString(CultureInfo.InvariantCulture)).Value;
    }

    public static string Atena(int i)
    {
        var body = (300000000 + i).ToString("D9", CultureInfo.InvariantCulture);
        return AtenaNumber.WithCheckDigit(body);
    }

    /// <summary>An instant on a Tokyo date at a given hour (0–23 Tokyo: the UTC date is the day before for hours below 9).</summary>
    public static DateTimeOffset At(DateOnly tokyoDate, int hour) =>
        new DateTimeOffset(tokyoDate.ToDateTime(new TimeOnly(hour, 30)), TimeSpan.FromHours(9)).ToUniversalTime();

    private async Task ExecAsync(string sql, params (string, object?)[] parameters)
    {
        await using var connection = await database.Store.OpenAsync(CancellationToken.None);
        await using var command = DbCommands.Create(connection, null, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql, params (string, object?)[] parameters)
    {
        await using var connection = await database.Store.OpenAsync(CancellationToken.None);
        await using var command = DbCommands.Create(connection, null, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>A run of the registry, ended at <paramref name="endedAt"/> (import, sync …).</summary>
    public Task<long> AddRunAsync(string job, DateTimeOffset endedAt) => ScalarAsync("""
        INSERT INTO batch_run (municipality_code, job, parameters, parameters_key, status, started_at, ended_at, host, os_user, process_id, exit_code)
        VALUES (@m, @job, 'test', 'test', 'COMPLETED', @at, @at, 'test-host', 'test', 1, 0) RETURNING run_id
        """, ("m", municipality.Value), ("job", job), ("at", endedAt));

    /// <summary>The run that wrote the people, lists and audit rows of the world (ended today, never due itself).</summary>
    public async Task<long> SetupRunAsync(DateTimeOffset now) => _setupRun ??= await AddRunAsync("load-members", now);

    public async Task AddPersonAsync(string atena, string name, int residentStatus, DateOnly? removedOn, IEnumerable<(DateOnly Acquired, DateOnly? Lost)> periods,
        bool withNumber, DateTimeOffset now, string address = "千葉県千葉市中央区中央１丁目２番３号", bool disclosureBlock = false)
    {
        var run = await SetupRunAsync(now);
        await ExecAsync("""
            INSERT INTO person (municipality_code, atena_number, name, name_kana, sex, address, resident_status, removed_on, disclosure_block, created_run_id, updated_run_id)
            VALUES (@m, @a, @name, 'テスト', 1, @address, @status, @removed, @block, @run, @run)
            """, ("m", municipality.Value), ("a", atena), ("name", name), ("address", address), ("status", residentStatus), ("removed", removedOn),
            ("block", disclosureBlock), ("run", run));
        foreach (var (acquired, lost) in periods.DistinctBy(p => p.Acquired))
            await ExecAsync("""
                INSERT INTO qualification (municipality_code, atena_number, acquired_on, insured_category, lost_on, created_run_id, updated_run_id)
                VALUES (@m, @a, @acq, 1, @lost, @run, @run)
                """, ("m", municipality.Value), ("a", atena), ("acq", acquired), ("lost", lost), ("run", run));
        if (withNumber)
            await ExecAsync("""
                INSERT INTO person_individual_number (municipality_code, atena_number, number_digest, number_sealed, updated_run_id) VALUES (@m, @a, @d, @s, @run)
                """, ("m", municipality.Value), ("a", atena), ("d", RandomNumberGenerator.GetBytes(32)), ("s", RandomNumberGenerator.GetBytes(40)), ("run", run));
    }

    public async Task<long> AddJpsFileAsync(DateTimeOffset importedAt, DateTimeOffset now)
    {
        var run = await SetupRunAsync(now);
        return await ScalarAsync("""
            INSERT INTO jps_result_file (municipality_code, file_name, sha256, layout, encoding, imported_run_id, imported_at)
            VALUES (@m, 'list.csv', @sha, 'jps-result-csv', 'utf-8', @run, @at) RETURNING file_id
            """, ("m", municipality.Value), ("sha", Convert.ToHexString(RandomNumberGenerator.GetBytes(32))), ("run", run), ("at", importedAt));
    }

    public async Task<long> AddAuditRowAsync(string recordKey, DateTimeOffset recordedAt, DateTimeOffset now)
    {
        var run = await SetupRunAsync(now);
        var table = recordKey.Split('/')[1];
        return await ScalarAsync("""
            INSERT INTO audit_log (municipality_code, run_id, job, table_name, record_key, action, after_data, individual_number_accessed, recorded_at)
            VALUES (@m, @run, 'load-members', @table, @key, 'INSERT', '{}', @no, @at) RETURNING audit_id
            """, ("m", municipality.Value), ("run", run), ("table", table), ("key", recordKey), ("no", false), ("at", recordedAt));
    }

    public Task AddHoldAsync(string kind, string key, DateOnly until, bool removed, DateTimeOffset now) => ExecAsync("""
        INSERT INTO purge_hold (municipality_code, kind, record_key, reason, until, added_run_id, added_at, removed_at) VALUES (@m, @kind, @key, '訴訟', @until, 0, @now, @removed)
        """, ("m", municipality.Value), ("kind", kind), ("key", key), ("until", until), ("now", now), ("removed", removed ? now : null));
}
