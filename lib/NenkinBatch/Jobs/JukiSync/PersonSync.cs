using NenkinBatch.Domain;
using NenkinBatch.Formats.Juki;
using NenkinBatch.Persistence.Audit;
using NenkinBatch.Persistence.Juki;
using NenkinBatch.Persistence.Members;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.JukiSync;

/// <summary>
/// One row on its way to a person: read from a file now, or waiting in <c>juki_pending</c> since an earlier run. A row from a file
/// comes with its 個人番号 digested but not sealed: most rows of a history are superseded by a later one, so only the number the
/// person keeps, or a row that waits, is sealed (<see cref="PersonSync"/>).
/// </summary>
public sealed record IncomingRow(JukiChangeRow Row, byte[]? NumberDigest, byte[]? NumberSealed, long FileId, bool RaisesFollowUps, DateOnly FirstSeenOn, bool Waiting);

/// <summary>
/// Applies one person's rows in 履歴番号 order, never by 異動日 (docs/architecture.md, "住基 sync"): a row at or below the last one
/// applied is a duplicate; the next one is applied; one further on waits until the rows before it have come. Pure: what it
/// decides goes into <see cref="JukiWrites"/>, written by the caller in the chunk's transaction.
/// </summary>
/// <param name="seal">Seals the 個人番号 of a row read from a file now (one whose <see cref="IncomingRow.NumberSealed"/> is null).</param>
public sealed class PersonSync(MunicipalityCode municipality, FollowUpRules rules, RunCounts counts, Func<JukiChangeRow, byte[]> seal)
{
    /// <param name="stored">The person as stored; null when not on file.</param>
    /// <param name="history">The person's stored history, read when a 取消し is among the rows; null otherwise.</param>
    public void Apply(string atena, StoredResident? stored, StoredHistory? history, List<IncomingRow> rows, JukiWrites writes)
    {
        rows.Sort((a, b) => a.Row.HistoryNumber != b.Row.HistoryNumber ? a.Row.HistoryNumber.CompareTo(b.Row.HistoryNumber) : b.Waiting.CompareTo(a.Waiting));
        var before = stored?.Snapshot;
        var beforeNumber = stored?.HistoryNumber ?? 0;
        var current = before;
        var last = beforeNumber;
        var digest = stored?.NumberDigest;
        var hasOpenQualification = stored?.HasOpenQualification ?? false;
        var changes = stored?.Changes ?? [];
        var addresses = history?.Addresses ?? [];
        var names = history?.Names ?? [];
        var newFollowUps = new List<FollowUp>();
        IncomingRow? numberFrom = null;
        var numberChanged = false;
        var waiting = new List<IncomingRow>();
        var applied = 0;

        foreach (var incoming in rows)
        {
            var row = incoming.Row;
            var h = row.HistoryNumber;
            if (h <= last)
            {
                Duplicate(incoming);
                continue;
            }
            // A person the store does not know starts with 履歴番号 1, or with a 記載 (転入, 出生, 職権記載) that begins them here.
            var starts = last == 0 && JukiChangeReasons.IsEntry(row.ChangeReason);
            if (h != last + 1 && !starts)
            {
                waiting.Add(incoming);
                continue;
            }

            var snapshot = ResidentSnapshot.From(row);
            if (JukiChangeReasons.IsCancellation(row.ChangeReason)) Cancel(atena, h, row.ChangeReason, beforeNumber, changes, addresses, names, newFollowUps, writes);
            changes.Add(new AppliedChange(h, row.ChangeReason, row.ChangedOn));
            // A history row only where the value became different: the place (or name) that held from this change's 異動日.
            // Without its stored history read (no 取消し among the rows, so no entry is undone here), the value stored before this
            // run stands for the latest stored entry; for a person stored without any 履歴番号, or not stored, nothing does.
            var onFile = history is null && beforeNumber > 0;
            var lastPlace = LatestStanding(addresses, onFile ? before?.Place : null);
            if (lastPlace is null || lastPlace.Value != snapshot.Place)
            {
                var entry = new HistoryEntry<(string?, string, string?)>(atena, h, row.ChangeReason, row.ChangedOn, snapshot.Place);
                addresses.Add(entry);
                writes.Addresses.Add(entry);
            }
            var lastNames = LatestStanding(names, onFile ? before?.Names : null);
            if (lastNames is null || lastNames.Value != snapshot.Names)
            {
                var entry = new HistoryEntry<(string, string, string?)>(atena, h, row.ChangeReason, row.ChangedOn, snapshot.Names);
                names.Add(entry);
                writes.Names.Add(entry);
            }
            if (incoming.NumberDigest is { } d && (digest is null || !digest.AsSpan().SequenceEqual(d)))
            {
                digest = d;
                numberFrom = incoming;
                numberChanged = true;
            }
            if (incoming.RaisesFollowUps) newFollowUps.AddRange(rules.For(atena, row, hasOpenQualification));
            if (incoming.Waiting)
            {
                writes.PendingRemoved.Add((atena, h));
                counts["released"]++;
            }
            if (current is not null && current.DisclosureBlock != snapshot.DisclosureBlock) counts[snapshot.DisclosureBlock ? "blocks_set" : "blocks_lifted"]++;
            current = snapshot;
            last = h;
            applied++;
        }

        foreach (var incoming in waiting)
        {
            if (incoming.Row.HistoryNumber <= last) Duplicate(incoming);
            else if (!incoming.Waiting)
            {
                writes.PendingAdded.Add(new PendingRow(atena, incoming.Row.HistoryNumber, incoming.FileId, incoming.Row.Line,
                    PendingSnapshots.Serialize(incoming.Row), incoming.NumberDigest, Sealed(incoming), incoming.FirstSeenOn, incoming.RaisesFollowUps));
                counts["held"]++;
            }
        }
        writes.FollowUps.AddRange(newFollowUps);
        if (applied == 0) return;

        counts["applied"] += applied;
        counts[before is null ? "people_created" : "people_updated"]++;
        writes.People.Add(new PersonWrite(atena, current!, last, JukiChangeLog.Format(changes), IsNew: stored is null));
        // One audit row per person and chunk, without the 個人番号, and whether the 個人番号 was written. An update keeps before and
        // after; a creation only the 履歴番号 it reached, for its values are the row it created (and the next update's "before"):
        // a first load would otherwise copy the whole register into the log.
        writes.Audit.Add(before is null
            ? new AuditEntry(AuditKey.Person(municipality, atena), "INSERT", null, AuditEntry.Snapshot(new AuditedCreation(last)), numberChanged)
            : new AuditEntry(AuditKey.Person(municipality, atena), "UPDATE", AuditEntry.Snapshot(new AuditedResident(beforeNumber, before)),
                AuditEntry.Snapshot(new AuditedResident(last, current!)), numberChanged));
        if (numberChanged) writes.Numbers.Add((new SealedNumber(atena, digest!, Sealed(numberFrom!)!), stored?.NumberDigest is null));

        byte[]? Sealed(IncomingRow incoming) => incoming.NumberSealed ?? (incoming.Row.IndividualNumber is null ? null : seal(incoming.Row));

        void Duplicate(IncomingRow incoming)
        {
            counts["duplicates"]++;
            if (incoming.Waiting) writes.PendingRemoved.Add((atena, incoming.Row.HistoryNumber));
        }
    }

    /// <summary>
    /// A 取消し (19/29/39) undoes the latest change of its category (記載, 消除, 修正) not undone yet: that change is marked in the
    /// histories (a cancelled 転居's address is no former address) and the follow-ups it raised are withdrawn.
    /// </summary>
    private void Cancel(string atena, int h, string reason, int storedThrough, List<AppliedChange> changes, List<HistoryEntry<(string?, string, string?)>> addresses,
        List<HistoryEntry<(string, string, string?)>> names, List<FollowUp> newFollowUps, JukiWrites writes)
    {
        var category = JukiChangeReasons.Category(reason);
        var target = changes.LastOrDefault(c => c.CancelledBy is null && c.HistoryNumber < h && !JukiChangeReasons.IsCancellation(c.ChangeReason)
                                                && JukiChangeReasons.Category(c.ChangeReason) == category);
        if (target is null)
        {
            counts["cancellations_unmatched"]++;
            return;
        }
        counts["cancelled"]++;
        target.CancelledBy = h;
        foreach (var entry in addresses.Where(e => e.HistoryNumber == target.HistoryNumber)) entry.CancelledBy = h;
        foreach (var entry in names.Where(e => e.HistoryNumber == target.HistoryNumber)) entry.CancelledBy = h;
        // Marked in memory for history rows this chunk writes; by an update for rows stored before (the change log goes with the person).
        if (target.HistoryNumber <= storedThrough) writes.Cancelled.Add((atena, target.HistoryNumber, h));
        var key = FollowUp.ChangeKey(atena, target.HistoryNumber);
        for (var i = 0; i < newFollowUps.Count; i++)
            if (newFollowUps[i].SourceKey == key) newFollowUps[i] = newFollowUps[i] with { Status = FollowUpStatus.Withdrawn };
        writes.Withdrawn.Add((atena, target.HistoryNumber));
    }

    /// <summary>The value of the latest entry not cancelled; without one, <paramref name="onFile"/>.</summary>
    private static T? LatestStanding<T>(List<HistoryEntry<T>> entries, T? onFile) where T : struct
    {
        for (var i = entries.Count - 1; i >= 0; i--)
            if (entries[i].CancelledBy is null) return entries[i].Value;
        return onFile;
    }

    /// <summary>The audit log's before and after of a person: the snapshot and the 履歴番号 it is at (never the 個人番号).</summary>
    private sealed record AuditedResident(int HistoryNumber, ResidentSnapshot Resident);

    private sealed record AuditedCreation(int HistoryNumber);
}

/// <summary>A waiting row as <c>juki_pending</c> keeps it: the whole row as JSON, its 個人番号 left out (kept sealed beside it).</summary>
public static class PendingSnapshots
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public static string Serialize(JukiChangeRow row) => System.Text.Json.JsonSerializer.Serialize(row with { IndividualNumber = null }, Json);

    public static JukiChangeRow Deserialize(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<JukiChangeRow>(json, Json) ?? throw new InvalidDataException("empty pending snapshot");
}
