using System.Security.Cryptography;
using System.Text;
using NenkinBatch.Foundation;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Jps;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Import;

public sealed record ImportOptions
{
    public IReadOnlyList<string> Files { get; init; } = [];
    public string? Inbox { get; init; }
    /// <summary>A built-in layout name or a layout file; null to recognise each file's layout.</summary>
    public string? Layout { get; init; }
    public string Encoding { get; init; } = "auto";
    public bool Reimport { get; init; }
    /// <summary>How long a file's size and modification time must hold still before it is read (<see cref="SettledFiles"/>).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(2);
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Rejected rows kept per file in the database and the run's list; the rejected-rows CSV has them all.</summary>
    public int MaxStoredRejectionsPerFile { get; init; } = 100_000;
}

/// <summary>
/// <c>nenkin-import</c>: takes in JPS's 処理結果一覧表. A file is its SHA-256: the same content again is
/// skipped (<c>--reimport</c> replaces it, audited). Each file is committed whole in one transaction
/// (streamed: one binary COPY on PostgreSQL) or not at all, so a rerun after a kill neither duplicates
/// nor loses a row. Import decides nothing about people: that is reconcile's work.
/// </summary>
public sealed class ImportJob(ImportOptions options) : Job
{
    public const string JobName = "import";
    private readonly List<(string Path, bool FromInbox, InputFile? Input, InputRejectedException? Rejected)> _files = [];
    private Inbox? _inbox;

    public override string Name => JobName;

    /// <summary>Files are committed whole and known by content, so a rerun simply skips those already in.</summary>
    public override bool ResumesFromCheckpoint => false;

    public override string[] CountNames => ["read", "imported", "rejected", "warnings", "duplicates", "files_imported", "files_skipped", "files_rejected"];

    public override async Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken)
    {
        var named = options.Files.Select(Path.GetFullPath).ToList();
        var (_, writing) = await SettledFiles.SplitAsync(named, options.Settle, waitAlways: false, options.Clock, cancellationToken);
        IReadOnlyList<string> arrived = [];
        if (options.Inbox is { } inboxPath)
        {
            _inbox = new Inbox(inboxPath, options.Settle);
            (arrived, GrowingFiles) = await _inbox.ScanAsync(options.Clock, cancellationToken);
        }
        if (named.Count == 0 && options.Inbox is null)
            throw new OperatorException(ExitCode.UsageError, "取り込むファイルがありません。ファイルを指定するか --inbox で受信フォルダーを指定してください。");
        foreach (var (path, fromInbox) in named.Select(p => (p, false)).Concat(arrived.Select(p => (p, true))))
        {
            try
            {
                if (!fromInbox && writing.Contains(path))
                    throw new InputRejectedException(InputFile.DisplayName(path),
                        $"書き込み中です（{options.Settle.TotalSeconds:0.#} 秒の間に大きさか更新日時が変わりました）。", "書き込みが終わってから再実行してください。");
                _files.Add((path, fromInbox, await InputFile.InspectAsync(path, options.Encoding, cancellationToken), null));
            }
            catch (InputRejectedException rejected)
            {
                _files.Add((path, fromInbox, null, rejected));
            }
        }
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", _files.Select(f => f.Input?.Sha256 ?? f.Path).Order(StringComparer.Ordinal)))));
        var described = _files.Count == 0 ? $"受信フォルダー {options.Inbox}（新しいファイルなし）" : string.Join("、", _files.Select(f => InputFile.DisplayName(f.Path)));
        return ($"ファイル {described}{(options.Reimport ? "（--reimport）" : "")}", key);
    }

    private IReadOnlyList<string> GrowingFiles { get; set; } = [];

    public override async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        foreach (var growing in GrowingFiles)
            context.Log.Info("{0} は書き込み中のため、次回の実行で取り込みます。", InputFile.DisplayName(growing));
        var protector = await context.OpenIndividualNumberProtectorAsync(cancellationToken);
        var jps = context.Store.CreateJpsResultStore();
        var layouts = options.Layout is { } forced ? [Layout.Resolve(forced)] : Layout.BuiltInNames.Where(n => n.StartsWith("jps-result", StringComparison.Ordinal)).Select(Layout.Resolve).ToList();
        var tally = new Tally();
        var rejectedCsv = new RejectedRowsCsv(Path.Combine(context.Settings.LogDirectory, $"import-rejected-{context.RunId}.csv"));

        foreach (var (path, fromInbox, input, inspectionRejected) in _files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (inspectionRejected is not null) throw inspectionRejected;
                var layout = layouts.Count == 1 ? layouts[0] : await LayoutDetector.DetectAsync(input!, layouts, cancellationToken);
                var file = new FileImport(context, jps, protector, layout, input!, options, tally, rejectedCsv);
                // A dry run keeps nothing, so it leaves the inbox as it found it too; a file named on the command line stays where it is.
                if (await file.RunAsync(cancellationToken) && !context.DryRun && fromInbox)
                    _inbox!.MoveToProcessed(path);
            }
            catch (InputRejectedException rejected)
            {
                context.Counts["files_rejected"]++;
                var message = $"{rejected.File}: {rejected.Reason} {rejected.WhatToDo}";
                context.Log.Error("ファイルを受け付けません（何も保存していません）: {0}", message);
                await context.RecordProblemsAsync([RowProblem.Error(rejected.File, null, null, null, rejected.Reason)]);
                rejectedCsv.Add(RowProblem.Error(rejected.File, null, null, null, rejected.Reason + " " + rejected.WhatToDo));
                if (!context.DryRun && fromInbox) _inbox!.MoveToRejected(path, message);
            }
        }

        rejectedCsv.Close();
        var counts = context.Counts;
        context.Log.Info("取込 {0:N0} 行（ファイル {1} 件）、除外 {2:N0} 行、警告 {3:N0}、取込済みのため省略 {4} 件、受付不可 {5} 件",
            counts["imported"], counts["files_imported"], counts["rejected"], counts["warnings"], counts["files_skipped"], counts["files_rejected"]);
        if (tally.Results.Count > 0)
        {
            context.Log.Info("処理結果別: {0}", tally.Describe(tally.Results, context.Codes["processingResult"]));
            context.Log.Info("届書別: {0}", tally.Describe(tally.Filings, context.Codes["filingKind"]));
        }
        if (rejectedCsv.Count > 0)
            context.Log.Warn("除外した行とファイルの一覧: {0}（nenkin-admin runs show {1} でも確認できます）", rejectedCsv.Path, context.RunId);
        else rejectedCsv.Delete();
        return new JobOutcome(counts["rejected"] > 0, InputRejected: counts["files_rejected"] > 0);
    }

    /// <summary>Counts of imported rows by 処理結果 and by 届書, for the operator's summary.</summary>
    internal sealed class Tally
    {
        public SortedDictionary<string, long> Results { get; } = new(StringComparer.Ordinal);
        public SortedDictionary<string, long> Filings { get; } = new(StringComparer.Ordinal);

        public void Add(Tally other)
        {
            foreach (var (k, v) in other.Results) Results[k] = Results.GetValueOrDefault(k) + v;
            foreach (var (k, v) in other.Filings) Filings[k] = Filings.GetValueOrDefault(k) + v;
        }

        public string Describe(SortedDictionary<string, long> counts, Domain.Codes.CodeTable table) =>
            string.Join("、", counts.Select(c => $"{table.Describe(c.Key)} {c.Value:N0}"));
    }
}
