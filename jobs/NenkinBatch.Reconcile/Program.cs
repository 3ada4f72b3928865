using System.CommandLine;
using System.Globalization;
using NenkinBatch.Jobs.Reconcile;
using NenkinBatch.Runtime;
using NenkinBatch.Runtime.Cli;

var common = new CommonOptions();
var fileId = new Option<long?>("--file") { Description = "照合する一覧表のファイル番号（既定: まだ照合していない一覧表すべて。--apply では未適用のものすべて）" };
var since = new Option<DateOnly?>("--since")
{
    Description = "この日（YYYY-MM-DD）以降に取り込んだ一覧表を照合し直す",
    // The built-in DateOnly conversion follows the machine's culture; a scheduled task's argument must mean the same on every machine.
    CustomParser = result =>
    {
        var text = result.Tokens[^1].Value;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        result.AddError($"--since の日付「{text}」は YYYY-MM-DD で指定してください。");
        return null;
    },
};
var apply = new Option<bool>("--apply") { Description = "安全な提案だけを実行する（疑いなく照合できた人への基礎年金番号の記録、処理済の行による資格の日付・種別の更新、処理済の記録）。すべて監査ログに残り undo で取り消せる" };
var dryRun = new Option<bool>("--dry-run") { Description = "報告だけを作り、何も変更しない（既定の動作。明示したいときに）" };
var reportDir = new Option<DirectoryInfo?>("--report-dir") { Description = "照合結果（reconcile-<実行番号>.csv と .xlsx）の出力先（既定: 設定の reportDir、なければログフォルダーと同じ階層の reports）" };

var root = new RootCommand("nenkin-reconcile: 取り込んだ処理結果一覧表の各行を市の記録の該当者と照合し、相違・対応・機構未反映を報告する（既定はドライラン）")
{
    fileId, since, apply, dryRun, reportDir,
};
root.Validators.Add(result =>
{
    if (result.TryGetValue(apply, out var applying) && applying && result.TryGetValue(dryRun, out var dry) && dry)
        result.AddError("--apply と --dry-run は同時に指定できません。");
    else if (result.TryGetValue(since, out var date) && date is not null && result.TryGetValue(fileId, out var file) && file is not null)
        result.AddError("--file と --since は同時に指定できません。");
});
common.AddConnectionOptionsTo(root);
common.AddJobOptionsTo(root, withDryRun: false);
root.SetAction(CommandLineHost.Guard((parse, ct) =>
{
    var options = new ReconcileOptions
    {
        FileId = parse.GetValue(fileId),
        Since = parse.GetValue(since),
        Apply = parse.GetValue(apply),
        ReportDirectory = parse.GetValue(reportDir)?.FullName,
    };
    return JobRunner.RunAsync(new ReconcileJob(options), WithReports(common.Invocation(parse), options.ReportDirectory), ct);
}));

var runId = new Argument<long>("RUN") { Description = "取り消す nenkin-reconcile --apply の実行番号" };
var undo = new Command("undo", "適用した実行の変更を取り消す（その後で変更された行はそのままにして一覧にする）") { runId };
common.AddJobOptionsTo(undo, withDryRun: false);
undo.Options.Add(reportDir);
undo.SetAction(CommandLineHost.Guard((parse, ct) =>
    JobRunner.RunAsync(new ReconcileUndoJob(parse.GetValue(runId), parse.GetValue(reportDir)?.FullName), WithReports(common.Invocation(parse), parse.GetValue(reportDir)?.FullName), ct)));
root.Subcommands.Add(undo);

var workbook = new Argument<FileInfo>("WORKBOOK") { Description = "職員が判断欄・宛名番号（職員入力）を記入した照合結果のブック（reconcile-<実行番号>.xlsx。Excel・LibreOffice で保存したものでよい）" };
var applyDecisions = new Option<bool>("--apply") { Description = "確認できた判断を反映する（該当者への照合と安全な変更、判断の記録）。すべて監査ログに残り undo で取り消せる。なしでは確認だけ" };
var decide = new Command("decide", "照合結果のブックに職員が記入した判断を確認し、--apply で反映する（既定は確認だけ）") { workbook, applyDecisions };
common.AddJobOptionsTo(decide, withDryRun: false);
decide.Options.Add(reportDir);
decide.SetAction(CommandLineHost.Guard((parse, ct) =>
{
    var options = new DecideOptions { Workbook = parse.GetValue(workbook)!.FullName, Apply = parse.GetValue(applyDecisions), ReportDirectory = parse.GetValue(reportDir)?.FullName };
    return JobRunner.RunAsync(new ReconcileDecideJob(options), WithReports(common.Invocation(parse), options.ReportDirectory), ct);
}));
root.Subcommands.Add(decide);

// The report folder is checked, and made owner-only, before the run: a path naming a file is the operator's to correct (exit 64).
static JobInvocation WithReports(JobInvocation invocation, string? reportDirectory) => invocation with
{
    OutputFolders = [new OutputFolder(reportDirectory ?? invocation.Settings.ReportDirectory, "照合結果の出力先", "--report-dir、設定 reportDir、環境変数 NENKIN_REPORT_DIR")],
};

return await CommandLineHost.RunAsync(root, args);
