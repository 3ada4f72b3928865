using System.Globalization;
using NenkinBatch.Formats;
using NenkinBatch.Foundation;
using NenkinBatch.Formats.Juki;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Juki;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.JukiSync;

/// <summary>
/// One 住基 file through the sync: skipped when its content is through already; else read in chunks that end between two
/// people, each applied and committed with its checkpoint (file digest and last line), so a rerun continues where a run stopped.
/// </summary>
internal sealed class FileSync(JobContext context, JukiStore store, IndividualNumberProtector protector, Layout layout, InputFile input,
    JukiSyncOptions options, FollowUpRules rules, RejectedRowsCsv rejectedCsv, DateOnly today, List<FollowUp> dryRunFollowUps)
{
    private const int ShownProblems = 20;
    private int _shown;
    // Where a file's time goes, for the log (--verbose): checking the rows (and, on a first load, deciding the people met
    // first), reading the store, deciding the rest, writing.
    // On a first load, the people of the chunks read so far (only the reading stage touches it): the only ones the store can
    // know by the time their next chunk is committed. The others are decided while reading, as the store cannot know them.
    private HashSet<string>? _seen;
    // The people whose refused rows show no address (支援措置): see RunAsync.
    private HashSet<string> _blocked = new(StringComparer.Ordinal);
    private readonly System.Diagnostics.Stopwatch _prepare = new(), _read = new(), _decide = new(), _write = new(), _total = new();

    /// <returns>True when the file is through (now or before).</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var known = await context.ReadAsync((connection, ct) => store.FindFileAsync(connection, context.Municipality, input.Sha256, ct), cancellationToken);
        if (known?.CompletedRunId is { } doneBy)
        {
            context.Counts["files_skipped"]++;
            context.Log.Info("{0} は実行番号 {1} で反映済みです（同じ内容）。", input.Name, doneBy);
            return true;
        }

        var reader = new JukiChangeReader(layout, context.Codes, today);
        // Read through on a rerun too: the people it finds whose 支援措置 a row sets (or leaves unreadable) are needed again.
        var survey = reader.Survey(input.Path, context.Municipality.Value, cancellationToken);
        // A file of another 市区町村 through and through is the wrong file, not a file of bad rows: refused whole, nothing stored,
        // rather than a follow-up for each of its rows.
        if (known is null && survey is { Rows: > 0 } && survey.OtherMunicipalityRows == survey.Rows)
            throw new InputRejectedException(input.Name, $"どの行（{survey.Rows:N0} 行）も別の市区町村（{survey.OtherMunicipality}）の行です。",
                $"この市区町村（{context.Municipality.Value}）の住基ファイルか確かめてください。");
        var newest = known is null ? survey.NewestProcessedOn : known.NewestProcessedOn;
        // Whose refused rows show no address: those under 支援措置 when the file starts (on file, or in a waiting row) and
        // those a row of the file may put under it. Taken once, before any chunk commits, so that it does not depend on how
        // far the store has got (a lift in this file leaves the person hidden to its end).
        _blocked = await context.ReadAsync((connection, ct) => store.ReadBlockedAsync(connection, context.Municipality, ct), cancellationToken);
        _blocked.UnionWith(survey.MayBeBlocked);
        var fileId = known?.FileId ?? 0;
        if (known is null && !context.DryRun)
            await context.CommitBesideAsync(async (connection, transaction, ct) =>
                fileId = await store.AddFileAsync(connection, transaction, context.Municipality, input.Name, input.Sha256, newest, context.RunId, ct));
        // A first load (nobody on file, nothing waiting) decides a person met in no earlier chunk while reading, and builds the
        // people's secondary indexes once at its end instead of row by row (the job has restored them before its first file).
        var firstLoad = await context.ReadAsync((connection, ct) => store.IsEmptyAsync(connection, context.Municipality, ct), cancellationToken);
        if (firstLoad) _seen = new(StringComparer.Ordinal);
        if (firstLoad && !context.DryRun)
            await context.CommitBesideAsync((connection, transaction, ct) => store.DropFirstLoadIndexesAsync(connection, transaction, ct));
        var followUpsFrom = newest?.AddDays(-(options.FollowUpWindowDays ?? context.Settings.JukiFollowUpWindowDays)) ?? DateOnly.MinValue;
        var skipThrough = ResumeLine();
        context.Log.Info("{0} を反映します（{1:N0} バイト、最新の処理日 {2}{3}）。", input.Name, input.Length, newest?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "なし",
            skipThrough > 0 ? $"、{skipThrough} 行目まで反映済みのため続きから" : "");

        _total.Start();
        // Two stages on two cores: reading and checking the next chunk (on a first load, deciding its new people too) while the
        // store takes this one.
        await foreach (var batch in ReadAhead.Batches(ct => PreparedChunksAsync(reader, skipThrough, checkFirst: known is not null, fileId, followUpsFrom, ct), 1, 2, cancellationToken))
        {
            foreach (var chunk in batch) await CommitAsync(chunk);
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (!context.DryRun)
            await context.CommitBesideAsync(async (connection, transaction, ct) =>
            {
                if (firstLoad)
                {
                    var indexing = System.Diagnostics.Stopwatch.StartNew();
                    await store.EnsureFirstLoadIndexesAsync(connection, transaction, ct);
                    context.Log.Debug("{0}: 索引の作成 {1:F1} 秒", input.Name, indexing.Elapsed.TotalSeconds);
                }
                await store.CompleteFileAsync(connection, transaction, fileId, context.RunId, ct);
            });
        context.Counts["files_done"]++;
        context.Log.Debug("{0}: 計 {1:F1} 秒（読込側: 行の検査と初出の人の判断 {2:F1}; 反映側: 既存の記録の読込 {3:F1}、判断 {4:F1}、書込 {5:F1}）", input.Name,
            _total.Elapsed.TotalSeconds, _prepare.Elapsed.TotalSeconds, _read.Elapsed.TotalSeconds, _decide.Elapsed.TotalSeconds, _write.Elapsed.TotalSeconds);
        return true;
    }

    /// <summary>The last line a failed run committed of this file, from its checkpoint ("digest:line").</summary>
    private long ResumeLine()
    {
        var checkpoint = context.ResumeCheckpoint;
        if (checkpoint is null || !checkpoint.StartsWith(input.Sha256 + ":", StringComparison.Ordinal)) return 0;
        return long.TryParse(checkpoint.AsSpan(input.Sha256.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var line) ? line : 0;
    }

    /// <summary>The file's rows in chunks that end between two people, each checked and its 個人番号 digested.</summary>
    private async IAsyncEnumerable<PreparedChunk> PreparedChunksAsync(JukiChangeReader reader, long skipThrough, bool checkFirst, long fileId, DateOnly followUpsFrom,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunk = new List<JukiReadResult>(context.Settings.ChunkSize);
        await foreach (var result in reader.ReadAsync(input.Path, skipThrough, checkFirst, cancellationToken))
        {
            // A chunk ends only between two people, so a person's rows that the file keeps together are applied together.
            if (chunk.Count >= context.Settings.ChunkSize && chunk[^1].AtenaNumber != result.AtenaNumber)
            {
                yield return Prepare(reader, chunk, fileId, followUpsFrom);
                chunk = new List<JukiReadResult>(context.Settings.ChunkSize);
            }
            chunk.Add(result);
        }
        if (chunk.Count > 0) yield return Prepare(reader, chunk, fileId, followUpsFrom);
    }

    /// <param name="Decided">What the rows of the people decided while reading come to (and the refused rows' follow-ups).</param>
    /// <param name="Deferred">The rows of the people the store may know: decided in the chunk's transaction.</param>
    /// <param name="Read">How many rows the chunk has; <paramref name="LastLine"/>, the line its checkpoint names.</param>
    private sealed record PreparedChunk(int Read, long LastLine, List<RowProblem> Problems, JukiWrites Decided, RunCounts DecidedCounts,
        Dictionary<string, List<IncomingRow>> Deferred, List<FollowUp> RejectedFollowUps, long Rejected, long Warnings);

    private PersonSync Sync(RunCounts counts) =>
        new(context.Municipality, rules, counts, row => protector.Seal(context.Municipality.Value, row.AtenaNumber, row.IndividualNumber!));

    private PreparedChunk Prepare(JukiChangeReader reader, List<JukiReadResult> results, long fileId, DateOnly followUpsFrom)
    {
        _prepare.Start();
        var m = context.Municipality.Value;
        var problems = new List<RowProblem>();
        var incoming = new List<IncomingRow>(results.Count);
        var rejectedFollowUps = new List<FollowUp>();
        long rejected = 0, warnings = 0;
        foreach (var result in results)
        {
            // A person in _blocked: no address, whatever the row's own 支援措置 reads.
            var rowProblems = (result is { AtenaNumber: { } atena, Problems.Count: > 0 } && _blocked.Contains(atena)
                ? reader.HideAddresses(result.Problems) : result.Problems).ToList();
            if (result.Row is { MunicipalityCode: { } code } && code != m)
                rowProblems.Add(RowProblem.Error(input.Name, result.Line, layout.Field("municipality_code").Label, code, $"この市区町村（{m}）の行ではありません"));
            warnings += rowProblems.Count(p => p.Severity == ProblemSeverity.Warning);
            problems.AddRange(rowProblems);
            var errors = rowProblems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                rejected++;
                rejectedFollowUps.Add(FollowUpRules.ForRejectedRow(input.Sha256, input.Name, result.Line, result.AtenaNumber,
                    string.Join("。", errors.Select(e => (e.Field is null ? "" : $"{e.Field}: ") + e.Reason)), today));
                continue;
            }
            var row = result.Row!;
            var digest = row.IndividualNumber is { } number ? protector.Digest(m, number) : null;
            incoming.Add(new IncomingRow(row, digest, null, fileId, row.ProcessedOn >= followUpsFrom, today, Waiting: false));
        }

        var byPerson = new Dictionary<string, List<IncomingRow>>(StringComparer.Ordinal);
        foreach (var row in incoming) Add(byPerson, row);
        // One person's 履歴番号 twice, with different contents: the register sent one change two ways. The later line is
        // applied and the other refused and listed, so that a clerk checks which is right (an exact repeat is a duplicate).
        foreach (var rows in byPerson.Values)
        {
            if (!HasRepeatedHistoryNumber(rows)) continue;
            var refused = new HashSet<IncomingRow>(ReferenceEqualityComparer.Instance);
            foreach (var same in rows.GroupBy(r => r.Row.HistoryNumber).Where(g => g.Skip(1).Any()))
            {
                var kept = same.MaxBy(r => r.Row.Line)!;
                foreach (var other in same.Where(r => !ReferenceEquals(r, kept) && !SameContent(r, kept)))
                {
                    var reason = $"同じ宛名番号・履歴番号の行が {kept.Row.Line} 行目にもあり、内容が違います。{kept.Row.Line} 行目を反映し、この行は反映しません";
                    problems.Add(RowProblem.Error(input.Name, other.Row.Line, layout.Field("history_number").Label, same.Key.ToString(CultureInfo.InvariantCulture), reason));
                    rejected++;
                    rejectedFollowUps.Add(FollowUpRules.ForRejectedRow(input.Sha256, input.Name, other.Row.Line, other.Row.AtenaNumber,
                        $"{layout.Field("history_number").Label}: {reason}", today));
                    refused.Add(other);
                }
            }
            rows.RemoveAll(refused.Contains);
        }
        var decided = new JukiWrites();
        var decidedCounts = new RunCounts();
        var deferred = byPerson;
        if (_seen is not null)
        {
            // A first load: a person no earlier chunk had is on file nowhere and waits for nothing, so is decided here, on this
            // stage's core, while the store takes the chunk before.
            deferred = new(StringComparer.Ordinal);
            var sync = Sync(decidedCounts);
            foreach (var (atena, rows) in byPerson)
            {
                if (_seen.Contains(atena)) deferred[atena] = rows;
                else sync.Apply(atena, null, null, rows, decided);
            }
            _seen.UnionWith(byPerson.Keys);
        }
        foreach (var problem in problems)
        {
            rejectedCsv.Add(problem);
            if (problem.Severity != ProblemSeverity.Error) continue;
            // The first few refused rows in the log, then once that the rest are in the list.
            if (_shown < ShownProblems) context.Log.Warn("除外: {0}", problem.Describe());
            else if (_shown == ShownProblems) context.Log.Warn("…ほかの除外は除外行 CSV にあります。");
            _shown++;
        }
        _prepare.Stop();
        return new PreparedChunk(results.Count, results[^1].Line, problems, decided, decidedCounts, deferred, rejectedFollowUps, rejected, warnings);
    }

    private async Task CommitAsync(PreparedChunk chunk)
    {
        var (read, lastLine, problems, decided, decidedCounts, deferred, rejectedFollowUps, rejected, warnings) = chunk;

        await context.CommitChunkAsync(async (connection, transaction, ct) =>
        {
            var counts = new RunCounts("read", "applied", "duplicates", "held", "released", "rejected", "warnings", "people_created", "people_updated", "cancelled");
            counts["read"] = read;
            counts["rejected"] = rejected;
            counts["warnings"] = warnings;
            counts.Add(decidedCounts);
            // Fresh lists each attempt (a retried chunk starts again): the waiting rows are added to them.
            var byPerson = deferred.ToDictionary(p => p.Key, p => new List<IncomingRow>(p.Value), StringComparer.Ordinal);
            var keys = byPerson.Keys.ToList();
            _read.Start();
            var stored = await store.ReadResidentsAsync(connection, transaction, context.Municipality, keys, ct);
            foreach (var waiting in await store.ReadPendingAsync(connection, transaction, context.Municipality, keys, ct))
            {
                var row = PendingSnapshots.Deserialize(waiting.Snapshot);
                Add(byPerson, new IncomingRow(row, waiting.NumberDigest, waiting.NumberSealed, waiting.FileId, waiting.RaisesFollowUps, waiting.FirstSeenOn, Waiting: true));
            }
            var cancelling = byPerson.Where(p => p.Value.Exists(r => JukiChangeReasons.IsCancellation(r.Row.ChangeReason))).Select(p => p.Key).ToList();
            var histories = await store.ReadHistoryAsync(connection, transaction, context.Municipality, cancelling, ct);

            _read.Stop();
            _decide.Start();
            var writes = new JukiWrites();
            writes.Add(decided);
            var sync = Sync(counts);
            foreach (var (atena, rows) in byPerson) sync.Apply(atena, stored.GetValueOrDefault(atena), histories.GetValueOrDefault(atena), rows, writes);
            writes.FollowUps.AddRange(rejectedFollowUps);
            _decide.Stop();
            _write.Start();
            await store.WriteAsync(connection, transaction, context.Municipality, context.RunId, context.JobName, context.Clock.GetUtcNow(), writes,
                context.Store.CreateAuditWriter(), ct);
            _write.Stop();
            if (context.DryRun)
            {
                dryRunFollowUps.RemoveAll(f => writes.FollowUps.Any(n => n.SourceKey == f.SourceKey && n.Kind == f.Kind));
                dryRunFollowUps.AddRange(writes.FollowUps);
            }
            return new ChunkResult(counts, problems);
        }, $"{input.Sha256}:{lastLine.ToString(CultureInfo.InvariantCulture)}");
        context.Progress.Report(context.Counts["read"], null);
    }

    /// <summary>Whether two of a person's rows share a 履歴番号 (pairwise for the few rows a person has, by set for a flood).</summary>
    private static bool HasRepeatedHistoryNumber(List<IncomingRow> rows)
    {
        if (rows.Count > 16)
        {
            var seen = new HashSet<int>();
            return rows.Exists(r => !seen.Add(r.Row.HistoryNumber));
        }
        for (var i = 1; i < rows.Count; i++)
            for (var j = 0; j < i; j++)
                if (rows[i].Row.HistoryNumber == rows[j].Row.HistoryNumber) return true;
        return false;
    }

    /// <summary>Whether two rows say the same: every field but the line, and the same 個人番号 (by digest).</summary>
    private static bool SameContent(IncomingRow a, IncomingRow b) =>
        a.Row with { Line = 0, IndividualNumber = null } == b.Row with { Line = 0, IndividualNumber = null }
        && (a.NumberDigest ?? []).AsSpan().SequenceEqual(b.NumberDigest ?? []);

    private static void Add(Dictionary<string, List<IncomingRow>> byPerson, IncomingRow row)
    {
        if (!byPerson.TryGetValue(row.Row.AtenaNumber, out var rows)) byPerson[row.Row.AtenaNumber] = rows = [];
        rows.Add(row);
    }
}
