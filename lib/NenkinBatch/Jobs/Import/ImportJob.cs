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
    private IncomingFiles? _incoming;

    public override string Name => JobName;

    /// <summary>Files are committed whole and known by content, so a rerun simply skips those already in.</summary>
    public override bool ResumesFromCheckpoint => false;

    public override string[] CountNames => ["read", "imported", "rejected", "warnings", "duplicates", "files_imported", "files_skipped", "files_rejected"];

    public override async Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken)
    {
        _incoming = await IncomingFiles.GatherAsync(options.Files, options.Inbox, options.Settle, options.Clock,
            (path, ct) => InputFile.InspectAsync(path, options.Encoding, ct),
            "取り込むファイルがありません。ファイルを指定するか --inbox で受信フォルダーを指定してください。", cancellationToken);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", _incoming.Files.Select(f => f.Input?.Sha256 ?? f.Path).Order(StringComparer.Ordinal)))));
        return ($"ファイル {_incoming.Describe()}{(options.Reimport ? "（--reimport）" : "")}", key);
    }

    public override async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var incoming = _incoming ?? throw new InvalidOperationException("IdentifyAsync must run first");
        incoming.LogGrowing(context, "次回の実行で取り込みます。");
        var protector = await context.OpenIndividualNumberProtectorAsync(cancellationToken);
        var jps = context.Store.CreateJpsResultStore();
        var layouts = options.Layout is { } forced ? [Layout.Resolve(forced)] : Layout.BuiltInNames.Where(n => n.StartsWith("jps-result", StringComparison.Ordinal)).Select(Layout.Resolve).ToList();
        var tally = new Tally();
        var rejectedCsv = new RejectedRowsCsv(Path.Combine(context.Settings.LogDirectory, $"import-rejected-{context.RunId}.csv"));

        foreach (var file in incoming.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (file.Rejected is { } inspectionRejected) throw inspectionRejected;
                var layout = layouts.Count == 1 ? layouts[0] : await LayoutDetector.DetectAsync(file.Input!, layouts, cancellationToken);
                // A file named on the command line stays where it is.
                if (await new FileImport(context, jps, protector, layout, file.Input!, options, tally, rejectedCsv).RunAsync(cancellationToken))
                    incoming.Done(context, file);
            }
            catch (InputRejectedException rejected)
            {
                await incoming.RefuseAsync(context, file, rejected, rejectedCsv, "何も保存していません");
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
