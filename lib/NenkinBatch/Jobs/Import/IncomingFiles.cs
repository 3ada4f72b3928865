using NenkinBatch.Foundation;
using NenkinBatch.Formats;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Import;

/// <summary>One input of a file-taking job: where it is, whether it came from the inbox, and the file as inspected or why it was refused.</summary>
internal sealed record IncomingFile(string Path, bool FromInbox, InputFile? Input, InputRejectedException? Rejected);

/// <summary>
/// The files a file-taking job (import, 住基 sync) is given: those named on the command line, in the order given (one still being
/// written is refused), then an inbox's settled files in name order (one still growing waits for the next run). Each is inspected
/// before the run is registered; a refused one is kept with its reason, so the run can record it and go on with the others.
/// </summary>
internal sealed class IncomingFiles
{
    private IncomingFiles(IReadOnlyList<IncomingFile> files, Inbox? inbox, IReadOnlyList<string> growing, string? inboxPath)
    {
        Files = files;
        Inbox = inbox;
        Growing = growing;
        _inboxPath = inboxPath;
    }

    private readonly string? _inboxPath;

    public IReadOnlyList<IncomingFile> Files { get; }
    public Inbox? Inbox { get; }
    /// <summary>Inbox files still being written: left for the next run.</summary>
    public IReadOnlyList<string> Growing { get; }

    /// <param name="none">The message when neither files nor an inbox were given (exit 64).</param>
    public static async Task<IncomingFiles> GatherAsync(IReadOnlyList<string> files, string? inboxPath, TimeSpan settle, TimeProvider clock,
        Func<string, CancellationToken, Task<InputFile>> inspect, string none, CancellationToken cancellationToken)
    {
        var named = files.Select(Path.GetFullPath).ToList();
        var (_, writing) = await SettledFiles.SplitAsync(named, settle, waitAlways: false, clock, cancellationToken);
        Inbox? inbox = null;
        IReadOnlyList<string> arrived = [], growing = [];
        if (inboxPath is not null)
        {
            inbox = new Inbox(inboxPath, settle);
            (arrived, growing) = await inbox.ScanAsync(clock, cancellationToken);
        }
        if (named.Count == 0 && inboxPath is null) throw new OperatorException(ExitCode.UsageError, none);
        var gathered = new List<IncomingFile>();
        foreach (var (path, fromInbox) in named.Select(p => (p, false)).Concat(arrived.Select(p => (p, true))))
        {
            try
            {
                if (!fromInbox && writing.Contains(path))
                    throw new InputRejectedException(InputFile.DisplayName(path),
                        $"書き込み中です（{settle.TotalSeconds:0.#} 秒の間に大きさか更新日時が変わりました）。", "書き込みが終わってから再実行してください。");
                gathered.Add(new IncomingFile(path, fromInbox, await inspect(path, cancellationToken), null));
            }
            catch (InputRejectedException rejected)
            {
                gathered.Add(new IncomingFile(path, fromInbox, null, rejected));
            }
        }
        return new IncomingFiles(gathered, inbox, growing, inboxPath);
    }

    /// <summary>The files as the run's parameters name them.</summary>
    public string Describe() =>
        Files.Count == 0 ? $"受信フォルダー {_inboxPath}（新しいファイルなし）" : string.Join("、", Files.Select(f => InputFile.DisplayName(f.Path)));

    public void LogGrowing(JobContext context, string later)
    {
        foreach (var growing in Growing) context.Log.Info("{0} は書き込み中のため、{1}", InputFile.DisplayName(growing), later);
    }

    /// <summary>A file the job took: an inbox's moves to processed/ (a dry run leaves the inbox as it found it).</summary>
    public void Done(JobContext context, IncomingFile file)
    {
        if (!context.DryRun && file.FromInbox) Inbox!.MoveToProcessed(file.Path);
    }

    /// <summary>
    /// A file refused whole: counted, logged, recorded with the run and in the rejected-rows list, and an inbox's moved to
    /// rejected/ with the reason beside it.
    /// </summary>
    public async Task RefuseAsync(JobContext context, IncomingFile file, InputRejectedException rejected, RejectedRowsCsv rejectedCsv, string nothingKept)
    {
        context.Counts["files_rejected"]++;
        var message = $"{rejected.File}: {rejected.Reason} {rejected.WhatToDo}";
        context.Log.Error("ファイルを受け付けません（{0}）: {1}", nothingKept, message);
        await context.RecordProblemsAsync([RowProblem.Error(rejected.File, null, null, null, rejected.Reason)]);
        rejectedCsv.Add(RowProblem.Error(rejected.File, null, null, null, rejected.Reason + " " + rejected.WhatToDo));
        if (!context.DryRun && file.FromInbox) Inbox!.MoveToRejected(file.Path, message);
    }
}
