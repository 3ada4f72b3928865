using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NenkinBatch.Domain;
using NenkinBatch.Persistence.Audit;

namespace NenkinBatch.Persistence.Reconcile;

/// <summary>
/// A change <c>--apply</c> makes on its own: only these three kinds, each on a person matched beyond doubt. Kept as JSON in
/// the run's plan between deciding and applying (<see cref="ReconcilePlans"/>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(FillPensionNumber), "fill_pension_number")]
[JsonDerivedType(typeof(UpdatePeriod), "update_period")]
[JsonDerivedType(typeof(RecordFiling), "record_filing")]
public abstract record SafeChange(string AtenaNumber);

/// <summary>Fill a 基礎年金番号 the city does not have (and nobody else on file has).</summary>
public sealed record FillPensionNumber(string AtenaNumber, string Number, long UpdatedRunIdBefore) : SafeChange(AtenaNumber);

/// <summary>Set a 資格 period's dates, 種別 and 事由 to what JPS processed.</summary>
public sealed record UpdatePeriod(string AtenaNumber, PeriodOnFile Before, PeriodOnFile After) : SafeChange(AtenaNumber);

/// <summary>Record that JPS processed a filing of the person (the list line that says so).</summary>
public sealed record RecordFiling(string AtenaNumber, long FileId, long LineNumber, string FilingCode, DateOnly ReceivedOn, DateOnly ProcessedOn)
    : SafeChange(AtenaNumber)
{
    public static RecordFiling Of(string atenaNumber, StoredJpsRow row) => new(atenaNumber, row.FileId, row.LineNumber, row.FilingCode, row.ReceivedOn, row.ProcessedOn);
}

/// <summary>
/// Applies safe changes and reverts them. Every statement is conditional on the state the change was
/// decided on (or, for undo, on the state the apply left): a row changed in between is left alone and
/// reported, never overwritten. Each change writes its audit row in the same transaction.
/// </summary>
public static class SafeChanges
{
    public const string UndoJob = "reconcile-undo";

    /// <summary>
    /// Applies the changes, each only where its row is still as it was when the change was decided; returns the audit rows
    /// of those applied and how many found their row changed since (left alone). A filing recorded already is neither.
    /// </summary>
    public static async Task<(List<AuditEntry> Applied, int NotApplied)> ApplyAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId,
        IReadOnlyList<SafeChange> changes, CancellationToken cancellationToken)
    {
        var audit = new List<AuditEntry>();
        var notApplied = 0;
        foreach (var change in changes)
        {
            switch (change)
            {
                case FillPensionNumber fill:
                    if (await Sql(connection, transaction, municipality, cancellationToken).ExecuteAsync("""
                        UPDATE person SET basic_pension_number = @n, updated_run_id = @run
                        WHERE municipality_code = @m AND atena_number = @a AND basic_pension_number IS NULL AND updated_run_id = @before
                          AND NOT EXISTS (SELECT 1 FROM person o WHERE o.municipality_code = @m AND o.basic_pension_number = @n)
                        """, ("n", fill.Number), ("run", runId), ("a", fill.AtenaNumber), ("before", fill.UpdatedRunIdBefore)) == 1)
                        audit.Add(new AuditEntry(AuditKey.Person(municipality, fill.AtenaNumber), "UPDATE",
                            AuditEntry.Snapshot(new PensionState(null, fill.UpdatedRunIdBefore)), AuditEntry.Snapshot(new PensionState(fill.Number, runId)), false));
                    else notApplied++;
                    break;
                case UpdatePeriod update:
                    var (b, a) = (update.Before, update.After);
                    if (await Sql(connection, transaction, municipality, cancellationToken).ExecuteAsync("""
                        UPDATE qualification SET acquired_on = @acquired, insured_category = @category, acquisition_reason = @acqReason,
                            lost_on = @lost, loss_reason = @lossReason, updated_run_id = @run
                        WHERE municipality_code = @m AND atena_number = @a AND acquired_on = @oldAcquired AND insured_category = @oldCategory
                          AND lost_on IS NOT DISTINCT FROM @oldLost AND updated_run_id = @oldRun
                        """, ("acquired", a.AcquiredOn), ("category", a.InsuredCategory), ("acqReason", a.AcquisitionReason), ("lost", a.LostOn),
                        ("lossReason", a.LossReason), ("run", runId), ("a", update.AtenaNumber), ("oldAcquired", b.AcquiredOn),
                        ("oldCategory", b.InsuredCategory), ("oldLost", b.LostOn), ("oldRun", b.UpdatedRunId)) == 1)
                        audit.Add(new AuditEntry(AuditKey.Qualification(municipality, update.AtenaNumber, a.AcquiredOn), "UPDATE",
                            AuditEntry.Snapshot(PeriodState.Of(b)), AuditEntry.Snapshot(PeriodState.Of(a with { UpdatedRunId = runId })), false));
                    else notApplied++;
                    break;
                case RecordFiling row:
                    if (await Sql(connection, transaction, municipality, cancellationToken).ExecuteAsync("""
                        INSERT INTO jps_filing_processed (municipality_code, file_id, line_number, atena_number, filing_code, received_on, processed_on, recorded_run_id)
                        VALUES (@m, @f, @l, @a, @code, @received, @processed, @run)
                        ON CONFLICT (municipality_code, file_id, line_number) DO NOTHING
                        """, ("f", row.FileId), ("l", row.LineNumber), ("a", row.AtenaNumber), ("code", row.FilingCode),
                        ("received", row.ReceivedOn), ("processed", row.ProcessedOn), ("run", runId)) == 1)
                        audit.Add(new AuditEntry(AuditKey.Filing(municipality, row.FileId, row.LineNumber), "INSERT", null,
                            AuditEntry.Snapshot(new FilingState(row.AtenaNumber, row.FilingCode, CalendarDate.ToIso(row.ReceivedOn), CalendarDate.ToIso(row.ProcessedOn))), false));
                    break;
            }
        }
        return (audit, notApplied);
    }

    /// <summary>One audit row of an applied run, to revert.</summary>
    public sealed record AppliedChange(long AuditId, string Table, string RecordKey, string Action, string? Before, string? After);

    public static async Task<List<AppliedChange>> AppliedByAsync(DbConnection connection, MunicipalityCode municipality, long runId, CancellationToken cancellationToken)
    {
        var changes = new List<AppliedChange>();
        await using var command = ReconcileStore.Command(connection, null, """
            SELECT audit_id, table_name, record_key, action, before_data, after_data FROM audit_log
            WHERE municipality_code = @m AND run_id = @run AND job = 'reconcile' ORDER BY audit_id DESC
            """, ("m", municipality.Value), ("run", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            changes.Add(new AppliedChange(Convert.ToInt64(reader.GetValue(0), null), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        return changes;
    }

    /// <summary>Reverts one applied change if its row is still as the apply left it; returns its audit row, or null when it was changed since.</summary>
    public static async Task<AuditEntry?> RevertAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long appliedRunId,
        AppliedChange change, CancellationToken cancellationToken)
    {
        switch (KeyOf(change, municipality))
        {
            case AuditKey.PersonKey person:
            {
                var before = Read<PensionState>(change.Before);
                var after = Read<PensionState>(change.After);
                return await Sql(connection, transaction, municipality, cancellationToken).ExecuteAsync("""
                    UPDATE person SET basic_pension_number = @before, updated_run_id = @beforeRun
                    WHERE municipality_code = @m AND atena_number = @a AND basic_pension_number = @after AND updated_run_id = @run
                    """, ("before", before.BasicPensionNumber), ("beforeRun", before.UpdatedRunId), ("a", person.AtenaNumber), ("after", after.BasicPensionNumber),
                    ("run", appliedRunId)) == 1
                    ? new AuditEntry(person, "UPDATE", change.After, change.Before, false)
                    : null;
            }
            case AuditKey.QualificationKey period:
            {
                var before = Read<PeriodState>(change.Before);
                var after = Read<PeriodState>(change.After);
                return await Sql(connection, transaction, municipality, cancellationToken).ExecuteAsync("""
                    UPDATE qualification SET acquired_on = @acquired, insured_category = @category, acquisition_reason = @acqReason,
                        lost_on = @lost, loss_reason = @lossReason, updated_run_id = @beforeRun
                    WHERE municipality_code = @m AND atena_number = @a AND acquired_on = @afterAcquired AND updated_run_id = @run
                    """, ("acquired", Date(before.AcquiredOn)), ("category", before.InsuredCategory), ("acqReason", before.AcquisitionReason),
                    ("lost", DateOrNull(before.LostOn)), ("lossReason", before.LossReason), ("beforeRun", before.UpdatedRunId), ("a", period.AtenaNumber),
                    ("afterAcquired", Date(after.AcquiredOn)), ("run", appliedRunId)) == 1
                    ? new AuditEntry(AuditKey.Qualification(municipality, period.AtenaNumber, Date(before.AcquiredOn)), "UPDATE", change.After, change.Before, false)
                    : null;
            }
            case AuditKey.FilingKey filing:
            {
                return await Sql(connection, transaction, municipality, cancellationToken).ExecuteAsync("""
                    DELETE FROM jps_filing_processed WHERE municipality_code = @m AND file_id = @f AND line_number = @l AND recorded_run_id = @run
                    """, ("f", filing.FileId), ("l", filing.LineNumber), ("run", appliedRunId)) == 1
                    ? new AuditEntry(filing, "DELETE", change.After, null, false)
                    : null;
            }
            case AuditKey.DecisionKey decision:
                // A clerk's decision (nenkin-reconcile decide) is forgotten with the changes it brought.
                return await ClerkDecisions.RemoveAsync(connection, transaction, municipality, decision.FileId, decision.LineNumber, decision.AtenaNumber, appliedRunId, cancellationToken)
                    ? new AuditEntry(decision, "DELETE", change.After, null, false)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>True when a change's row is already back as it was before the apply (an undo that ran before, perhaps killed half-way).</summary>
    public static async Task<bool> IsRevertedAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, AppliedChange change,
        CancellationToken cancellationToken)
    {
        switch (KeyOf(change, municipality))
        {
            case AuditKey.PersonKey person:
            {
                var before = Read<PensionState>(change.Before);
                return await Sql(connection, transaction, municipality, cancellationToken).CountAsync("""
                    SELECT count(*) FROM person WHERE municipality_code = @m AND atena_number = @a AND basic_pension_number IS NOT DISTINCT FROM @n AND updated_run_id = @run
                    """, ("a", person.AtenaNumber), ("n", before.BasicPensionNumber), ("run", before.UpdatedRunId)) == 1;
            }
            case AuditKey.QualificationKey period:
            {
                var before = Read<PeriodState>(change.Before);
                return await Sql(connection, transaction, municipality, cancellationToken).CountAsync("""
                    SELECT count(*) FROM qualification WHERE municipality_code = @m AND atena_number = @a AND acquired_on = @acquired AND updated_run_id = @run
                    """, ("a", period.AtenaNumber), ("acquired", Date(before.AcquiredOn)), ("run", before.UpdatedRunId)) == 1;
            }
            case AuditKey.FilingKey filing:
            {
                return await Sql(connection, transaction, municipality, cancellationToken).CountAsync("SELECT count(*) FROM jps_filing_processed WHERE municipality_code = @m AND file_id = @f AND line_number = @l",
                    ("f", filing.FileId), ("l", filing.LineNumber)) == 0;
            }
            case AuditKey.DecisionKey decision:
                return !await ClerkDecisions.ExistsAsync(connection, transaction, municipality, decision.FileId, decision.LineNumber, decision.AtenaNumber, cancellationToken);
            default:
                return false;
        }
    }

    /// <summary>An applied change's key, read back; one of another city or another table than its row says is corrupt audit data.</summary>
    private static AuditKey KeyOf(AppliedChange change, MunicipalityCode municipality)
    {
        var key = AuditKey.Parse(change.RecordKey);
        return key.Municipality == municipality && string.Equals(key.Table, change.Table, StringComparison.Ordinal)
            ? key
            : throw new InvalidDataException($"audit row {change.AuditId.ToString(CultureInfo.InvariantCulture)}: its key names another municipality or table than the row");
    }

    private static Statements Sql(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, CancellationToken cancellationToken) =>
        new(connection, transaction, municipality, cancellationToken);

    /// <summary>Runs this municipality's statements (bound as @m) in the caller's transaction.</summary>
    private readonly record struct Statements(DbConnection Connection, DbTransaction Transaction, MunicipalityCode Municipality, CancellationToken CancellationToken)
    {
        public async Task<int> ExecuteAsync(string sql, params (string, object?)[] parameters)
        {
            await using var command = ReconcileStore.Command(Connection, Transaction, sql, [("m", Municipality.Value), .. parameters]);
            return await command.ExecuteNonQueryAsync(CancellationToken);
        }

        public async Task<long> CountAsync(string sql, params (string, object?)[] parameters)
        {
            await using var command = ReconcileStore.Command(Connection, Transaction, sql, [("m", Municipality.Value), .. parameters]);
            return Convert.ToInt64(await command.ExecuteScalarAsync(CancellationToken), CultureInfo.InvariantCulture);
        }
    }

    private static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static DateOnly? DateOrNull(string? iso) => iso is null ? null : Date(iso);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static T Read<T>(string? json) => JsonSerializer.Deserialize<T>(json ?? "null", Json) ?? throw new InvalidDataException("audit row without its data");

    private sealed record PensionState(string? BasicPensionNumber, long UpdatedRunId);

    private sealed record FilingState(string AtenaNumber, string FilingCode, string ReceivedOn, string ProcessedOn);

    private sealed record PeriodState(string AcquiredOn, int InsuredCategory, string? AcquisitionReason, string? LostOn, string? LossReason, long UpdatedRunId)
    {
        public static PeriodState Of(PeriodOnFile p) =>
            new(CalendarDate.ToIso(p.AcquiredOn), p.InsuredCategory, p.AcquisitionReason, p.LostOn is { } l ? CalendarDate.ToIso(l) : null, p.LossReason, p.UpdatedRunId);
    }
}
