using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Members;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Audit;
using NenkinBatch.Persistence.Members;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.LoadMembers;

/// <summary>
/// <c>nenkin-admin load-members FILE</c>: the first load of the city's own records (members-csv).
/// Idempotent by 宛名番号 + 資格 period: the same file again changes nothing; a changed row updates
/// that person, with an audit row. Works in chunks, each committed with its checkpoint.
/// </summary>
public sealed class LoadMembersJob(string path) : Job
{
    public const string JobName = "load-members";
    private InputFile? _input;

    public override string Name => JobName;

    public override string[] CountNames => ["read", "inserted", "updated", "unchanged", "rejected", "warnings"];

    public override async Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken)
    {
        _input = await InputFile.InspectUtf8Async(path, cancellationToken);
        _input.EnsureLastLineEnded();
        return ($"ファイル {_input.Name}（{_input.Length:N0} バイト、SHA-256 {_input.Sha256[..12]}…）", _input.Sha256);
    }

    public override async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var input = _input ?? throw new InvalidOperationException("IdentifyAsync must run first");
        var storeKind = context.Store.Kind;
        var protector = await context.OpenIndividualNumberProtectorAsync(cancellationToken);
        var writer = context.Store.CreateMemberWriter();
        var reader = new MembersCsvReader(context.Codes);
        var resumeLine = LineCheckpoint.LineOf(context.ResumeCheckpoint);
        var chunk = new List<MemberReadResult>(context.Settings.ChunkSize);
        long lastLine = resumeLine;

        await foreach (var result in reader.ReadAsync(input.Path, resumeLine, cancellationToken))
        {
            // A chunk ends only between two people, so every row of a person (when the file keeps them together) is decided in one transaction.
            if (chunk.Count >= context.Settings.ChunkSize && !SamePerson(chunk[^1], result))
            {
                await CommitAsync(chunk);
                chunk.Clear();
                cancellationToken.ThrowIfCancellationRequested();
            }
            chunk.Add(result);
            lastLine = result.Line;
        }
        if (chunk.Count > 0) await CommitAsync(chunk);

        var counts = context.Counts;
        context.Log.Info("{0}: 読込 {1:N0} 行 — 追加 {2:N0}、更新 {3:N0}、変更なし {4:N0}、除外 {5:N0}、警告 {6:N0}",
            input.Name, counts["read"], counts["inserted"], counts["updated"], counts["unchanged"], counts["rejected"], counts["warnings"]);
        if (counts["rejected"] > 0)
            context.Log.Warn("除外した行があります。nenkin-admin runs show {0} で一覧（行・項目・理由）を確認し、元データを直して再実行してください。", context.RunId);
        return new JobOutcome(counts["rejected"] > 0);

        async Task CommitAsync(List<MemberReadResult> rows)
        {
            var problems = rows.SelectMany(r => r.Problems).ToList();
            foreach (var problem in problems.Where(p => p.Severity == ProblemSeverity.Error))
                context.Log.Warn("除外: {0}", problem.Describe());
            var end = rows[^1].Line;
            await context.CommitChunkAsync(
                (connection, transaction, ct) => ApplyAsync(context, writer, protector, rows, connection, transaction, ct),
                LineCheckpoint.Of(end), problems);
            context.Progress.Report(context.Counts["read"], reader.Fraction);
        }
    }

    private static bool SamePerson(MemberReadResult previous, MemberReadResult next) =>
        previous.Row is { } a && next.Row is { } b && string.Equals(a.Person.AtenaNumber, b.Person.AtenaNumber, StringComparison.Ordinal);

    /// <summary>Decides each row against what is stored (and what earlier rows of the chunk changed) and writes only the differences.</summary>
    private static async Task<RunCounts> ApplyAsync(JobContext context, IMemberWriter writer, IndividualNumberProtector protector,
        IReadOnlyList<MemberReadResult> rows, System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        CancellationToken ct)
    {
        var m = context.Municipality.Value;
        var delta = new RunCounts("read", "inserted", "updated", "unchanged", "rejected", "warnings");
        var valid = rows.Where(r => r.Row is not null).Select(r => r.Row!).ToList();
        var keys = valid.Select(r => r.Person.AtenaNumber).Distinct(StringComparer.Ordinal).ToList();
        var stored = keys.Count == 0 ? [] : await writer.ReadStoredAsync(connection, transaction, context.Municipality, keys, ct);

        var people = new Dictionary<string, PersonRecord>(StringComparer.Ordinal);
        var periods = new Dictionary<(string, DateOnly), QualificationRecord>();
        var numbers = new Dictionary<string, SealedNumber>(StringComparer.Ordinal);
        var changes = new MemberChanges();

        foreach (var result in rows)
        {
            delta["read"]++;
            delta["warnings"] += result.Problems.Count(p => p.Severity == ProblemSeverity.Warning);
            if (result.Row is not { } row)
            {
                delta["rejected"]++;
                continue;
            }
            var atena = row.Person.AtenaNumber;

            stored.TryGetValue(atena, out var before);
            var rowInserted = false;
            var rowUpdated = false;

            if (before is null)
            {
                before = new StoredMember(row.Person);
                stored[atena] = before;
                people[atena] = row.Person;
                changes.Audit.Add(new AuditEntry(AuditKey.Person(context.Municipality, atena), "INSERT", null, AuditEntry.Snapshot(row.Person), false));
                rowInserted = true;
            }
            else if (before.Person != row.Person)
            {
                changes.Audit.Add(new AuditEntry(AuditKey.Person(context.Municipality, atena), "UPDATE", AuditEntry.Snapshot(before.Person), AuditEntry.Snapshot(row.Person), false));
                before.Person = row.Person;
                people[atena] = row.Person;
                rowUpdated = true;
            }

            if (row.IndividualNumber is { } number)
            {
                var digest = protector.Digest(m, number);
                if (before.NumberDigest is null || !before.NumberDigest.AsSpan().SequenceEqual(digest))
                {
                    changes.Audit.Add(new AuditEntry(AuditKey.IndividualNumber(context.Municipality, atena), before.NumberDigest is null ? "INSERT" : "UPDATE", null, null, true));
                    numbers[atena] = new SealedNumber(atena, digest, protector.Seal(m, atena, number));
                    before.NumberDigest = digest;
                    rowUpdated |= !rowInserted;
                }
            }

            if (row.Qualification is { } period)
            {
                var key = AuditKey.Qualification(context.Municipality, atena, period.AcquiredOn);
                if (!before.Periods.TryGetValue(period.AcquiredOn, out var storedPeriod))
                {
                    changes.Audit.Add(new AuditEntry(key, "INSERT", null, AuditEntry.Snapshot(period), false));
                    rowInserted = true;
                }
                else if (storedPeriod != period)
                {
                    changes.Audit.Add(new AuditEntry(key, "UPDATE", AuditEntry.Snapshot(storedPeriod), AuditEntry.Snapshot(period), false));
                    rowUpdated = true;
                }
                if (storedPeriod != period)
                {
                    before.Periods[period.AcquiredOn] = period;
                    periods[(atena, period.AcquiredOn)] = period;
                }
            }

            if (rowInserted) delta["inserted"]++;
            else if (rowUpdated) delta["updated"]++;
            else delta["unchanged"]++;
        }

        changes.People.AddRange(people.Values);
        changes.Periods.AddRange(periods.Select(p => (p.Key.Item1, p.Value)));
        changes.Numbers.AddRange(numbers.Values);
        if (!changes.IsEmpty)
            await writer.WriteAsync(connection, transaction, context.Municipality, context.RunId, context.JobName, context.Clock.GetUtcNow(), changes, ct);
        return delta;
    }
}
