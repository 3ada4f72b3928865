using System.CommandLine;
using System.Globalization;
using NenkinBatch.Jobs.Purge;
using NenkinBatch.Persistence.Purge;
using NenkinBatch.Runtime;
using NenkinBatch.Runtime.Cli;

var common = new CommonOptions();
var root = new RootCommand("nenkin-purge: 保存期間を過ぎた記録を消去する（計画 → 報告書の承認 → 件数を確認して実行）。保存の継続（ホールド）中の記録は消去しない");
common.AddConnectionOptionsTo(root);

// The built-in DateOnly conversion follows the machine's culture; a scheduled task's argument must mean the same on every machine.
Option<DateOnly?> DateOption(string name, string description, bool required = false) => new(name)
{
    Description = description,
    Required = required,
    CustomParser = result =>
    {
        var text = result.Tokens[^1].Value;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        result.AddError($"{name} の日付「{text}」は YYYY-MM-DD で指定してください。");
        return null;
    },
};

var asOf = DateOption("--as-of", "基準日（YYYY-MM-DD、既定: 当日）。この日に保存期間を過ぎている記録を計画する");
var inbox = new Option<DirectoryInfo[]>("--inbox") { Description = "受信フォルダー（processed/ と rejected/ の控えを対象にする。複数可。既定: 設定 purge.inboxDirs）", AllowMultipleArgumentsPerToken = false };
var plan = new Command("plan", "保存期間を過ぎた記録の削除計画を作り、承認用の報告書（CSV と xlsx）を書く。何も削除しない。最後に実行のコマンドを表示する") { asOf, inbox };
common.AddJobOptionsTo(plan);
plan.SetAction(CommandLineHost.Guard(async (parse, ct) =>
{
    var inboxes = parse.GetValue(inbox) is { Length: > 0 } given ? given.Select(d => d.FullName).ToList() : null;
    var job = new PurgePlanJob(parse.GetValue(asOf), inboxes);
    var code = await JobRunner.RunAsync(job, WithReports(common.Invocation(parse)), ct);
    // The last line is the one command that executes exactly this plan, to be run once its report is signed.
    if (code == 0 && job.Command is { } command) Console.Out.WriteLine(command);
    return code;
}));
root.Subcommands.Add(plan);

var planId = new Argument<long>("PLAN") { Description = "nenkin-purge plan が作った削除計画の番号" };
var confirmCount = new Option<long>("--confirm-count") { Description = "承認された報告書の件数（計画の件数と違えば何も削除しない）", Required = true };
var overCap = new Option<bool>("--over-cap") { Description = "削除する宛名が上限（設定 purge.capPercent）を超える計画を、承認のうえ実行する" };
var execute = new Command("execute", "保存した削除計画のとおりに消去する。各記録は削除の直前に保存期間と保存の継続を確認し直し、該当しなくなったものは残して一覧にする")
{
    planId, confirmCount, overCap,
};
common.AddJobOptionsTo(execute);
execute.SetAction(CommandLineHost.Guard((parse, ct) =>
    JobRunner.RunAsync(new PurgeExecuteJob(parse.GetValue(planId), parse.GetValue(confirmCount), parse.GetValue(overCap)), WithReports(common.Invocation(parse)), ct)));
root.Subcommands.Add(execute);

var person = new Option<string?>("--person") { Description = "宛名番号（その人の宛名・履歴・資格・個人番号と、その人の監査ログを保存する）" };
var jpsFile = new Option<long?>("--jps-file") { Description = "処理結果一覧表のファイル番号（その一覧表の行と記録を保存する）" };
var reason = new Option<string>("--reason") { Description = "理由（訴訟、監査、情報公開請求など）", Required = true };
var until = DateOption("--until", "保存を続ける最後の日（YYYY-MM-DD）", required: true);
var hold = new Command("hold", "保存の継続（訴訟・照会等のため削除の対象から外す）");
var holdAdd = new Command("add", "保存の継続を設定する（監査ログに残る）") { person, jpsFile, reason, until };
var holdRemove = new Command("remove", "保存の継続を解除する（監査ログに残る）") { person, jpsFile, reason };
foreach (var command in new[] { holdAdd, holdRemove })
{
    command.Validators.Add(result =>
    {
        var hasPerson = result.GetResult(person) is { Implicit: false };
        var hasFile = result.GetResult(jpsFile) is { Implicit: false };
        if (hasPerson == hasFile) result.AddError("--person か --jps-file のどちらか一つを指定してください。");
    });
    common.AddJobOptionsTo(command);
}
HoldTarget Target(ParseResult parse) => parse.GetValue(person) is { } atena
    ? new HoldTarget(PurgeHold.PersonKind, atena)
    : new HoldTarget(PurgeHold.JpsFileKind, parse.GetValue(jpsFile)!.Value.ToString(CultureInfo.InvariantCulture));
holdAdd.SetAction(CommandLineHost.Guard((parse, ct) =>
    JobRunner.RunAsync(new PurgeHoldJob(Target(parse), add: true, parse.GetValue(reason)!, parse.GetValue(until)), common.Invocation(parse), ct)));
holdRemove.SetAction(CommandLineHost.Guard((parse, ct) =>
    JobRunner.RunAsync(new PurgeHoldJob(Target(parse), add: false, parse.GetValue(reason)!), common.Invocation(parse), ct)));
var all = new Option<bool>("--all") { Description = "解除・期限切れのものも表示する" };
var holdList = new Command("list", "保存の継続を一覧にする") { all };
holdList.SetAction(CommandLineHost.Guard((parse, ct) => Queries(parse, queries => queries.ListHoldsAsync(parse.GetValue(all), ct))));
hold.Subcommands.Add(holdAdd);
hold.Subcommands.Add(holdRemove);
hold.Subcommands.Add(holdList);
root.Subcommands.Add(hold);

var kind = new Argument<string>("KIND") { Description = "種類: person（宛名番号）、individualNumber（宛名番号）、jpsFile（ファイル番号）、run、audit、reportFile など" };
var key = new Argument<string>("KEY") { Description = "宛名番号・ファイル番号・実行番号など（ファイルはパス）" };
var wasErased = new Command("was-erased", "その記録が消去されたかを消去の記録（鍵付きダイジェスト）で調べる") { kind, key };
wasErased.SetAction(CommandLineHost.Guard((parse, ct) => Queries(parse, queries => queries.WasErasedAsync(parse.GetValue(kind)!, parse.GetValue(key)!, ct))));
root.Subcommands.Add(wasErased);

async Task<int> Queries(ParseResult parse, Func<PurgeQueries, Task<int>> action)
{
    await using var queries = new PurgeQueries(common.ResolveSettings(parse), parse.GetValue(common.Database) is not null, Console.Out, TimeProvider.System);
    return await action(queries);
}

// The report folder is checked, and made owner-only, before the run: a path naming a file is the operator's to correct (exit 64).
static JobInvocation WithReports(JobInvocation invocation) => invocation with
{
    OutputFolders = [new OutputFolder(invocation.Settings.ReportDirectory, "削除計画の報告書の出力先", "設定 reportDir、環境変数 NENKIN_REPORT_DIR")],
};

return await CommandLineHost.RunAsync(root, args);
