using System.CommandLine;
using NenkinBatch.Jobs.JukiSync;
using NenkinBatch.Runtime;
using NenkinBatch.Runtime.Cli;

var common = new CommonOptions();
var files = new Argument<FileInfo[]>("FILE") { Description = "住基の異動データ（初期の全履歴または日次の差分、複数可。指定した順に反映）", Arity = ArgumentArity.ZeroOrMore };
var inbox = new Option<DirectoryInfo?>("--inbox") { Description = "受信フォルダー: 新しいファイルを名前順にすべて反映し、済んだものは processed/ へ、受け付けられないものは理由を添えて rejected/ へ移す" };
var layout = new Option<string>("--layout") { Description = "レイアウト名かレイアウトファイルのパス", DefaultValueFactory = _ => "juki-change-csv" };
var reportDir = new Option<DirectoryInfo?>("--report-dir") { Description = "要対応の一覧の出力先（既定: 設定 reportDir）" };
var gapDays = new Option<int?>("--gap-days") { Description = "欠番がこの日数続いたら要対応に挙げる（既定: 設定 jukiSync.gapFollowUpDays、3）" };

var root = new RootCommand("nenkin-juki-sync: 住民基本台帳の異動を宛名に反映し、住所・氏名の履歴と要対応の一覧を残す（同じ内容のファイルは二度反映しない）")
{
    files, inbox, layout, reportDir, gapDays,
};
root.Validators.Add(result =>
{
    if (result.GetResult(files) is not { Tokens.Count: > 0 } && result.GetResult(inbox) is null)
        result.AddError("反映するファイルか --inbox を指定してください。");
    if (result.GetValue(gapDays) is < 0)
        result.AddError("--gap-days は 0 以上です。");
});
common.AddConnectionOptionsTo(root);
common.AddJobOptionsTo(root);
root.SetAction(CommandLineHost.Guard((parse, ct) =>
{
    var options = new JukiSyncOptions
    {
        Files = parse.GetValue(files)?.Select(f => f.FullName).ToList() ?? [],
        Inbox = parse.GetValue(inbox)?.FullName,
        Layout = parse.GetValue(layout)!,
        ReportDirectory = parse.GetValue(reportDir)?.FullName,
        GapFollowUpDays = parse.GetValue(gapDays),
    };
    var invocation = common.Invocation(parse);
    invocation = invocation with
    {
        OutputFolders = [new OutputFolder(options.ReportDirectory ?? invocation.Settings.ReportDirectory, "要対応の一覧の出力先", "--report-dir、設定 reportDir、環境変数 NENKIN_REPORT_DIR")],
    };
    return JobRunner.RunAsync(new JukiSyncJob(options), invocation, ct);
}));
return await CommandLineHost.RunAsync(root, args);
