using System.CommandLine;
using NenkinBatch.Domain;
using NenkinBatch.Jobs.Admin;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Runtime;
using NenkinBatch.Runtime.Cli;

var common = new CommonOptions();
var root = new RootCommand("nenkin-admin: 国民年金バッチのデータベース・実行記録・初期移行の管理");
common.AddConnectionOptionsTo(root);

async Task<int> Admin(ParseResult parse, Func<AdminCommands, Task<int>> action)
{
    await using var admin = new AdminCommands(common.ResolveSettings(parse), parse.GetValue(common.Database) is not null, Console.Out, TimeProvider.System);
    return await action(admin);
}

var db = new Command("db", "データベースのスキーマ");
var migrate = new Command("migrate", "未適用のマイグレーションを適用する。SQLite のデータベースファイルがなければ作成する（ジョブは作成しない）。2回目以降は何もしない");
migrate.SetAction(CommandLineHost.Guard((parse, ct) => Admin(parse, admin => admin.MigrateAsync(ct))));
var status = new Command("status", "適用済み・未適用のマイグレーションを表示する");
status.SetAction(CommandLineHost.Guard((parse, ct) => Admin(parse, admin => admin.StatusAsync(ct))));
db.Subcommands.Add(migrate);
db.Subcommands.Add(status);
root.Subcommands.Add(db);

var membersFile = new Argument<FileInfo>("FILE") { Description = "members-csv レイアウトのファイル（UTF-8、見出し行あり）" };
var loadMembers = new Command("load-members", "市の既存データ（宛名・資格）を初期移行する。同じファイルの再実行では何も変わらない") { membersFile };
loadMembers.SetAction(CommandLineHost.Guard((parse, ct) =>
    JobRunner.RunAsync(new LoadMembersJob(parse.GetValue(membersFile)!.FullName), common.Invocation(parse), ct)));
common.AddJobOptionsTo(loadMembers);
root.Subcommands.Add(loadMembers);

var people = new Option<int>("--people") { Description = "住民の数", Required = true };
var seed = new Option<ulong>("--seed") { Description = "乱数の種（同じ種からは同じバイト列のファイルができる）", DefaultValueFactory = _ => 1 };
var outDir = new Option<DirectoryInfo>("--out") { Description = "出力フォルダー", Required = true };
var jpsRows = new Option<int?>("--jps-rows") { Description = "処理結果一覧表の行数（既定: 住民の10分の1）" };
var jukiChanges = new Option<int?>("--juki-changes") { Description = "住基の日次差分1日分の行数（既定: 住民の50分の1、少なくとも24）" };
var retentionPeople = new Option<int?>("--retention-people") { Description = "保存期間の確認用に、何年も前に転出・死亡した人などをこの人数だけ members-retention.csv に作る（正解表 retention-truth.csv、保存の継続 retention-holds.csv、古いファイル old-files/ も）" };
var generate = new Command("generate", "合成の市（架空の住民）のファイル一式を作る: members.csv、処理結果一覧表（CSV・固定長）、住基の初期履歴と日次差分2日分、正解表 truth.csv と juki-followups-truth.csv")
{
    people, seed, outDir, jpsRows, jukiChanges, retentionPeople,
};
generate.Validators.Add(result =>
{
    if (result.TryGetValue(people, out var count) && count < 1)
        result.AddError("--people は1以上です。");
    else if (result.TryGetValue(retentionPeople, out var old) && old < 0)
        result.AddError("--retention-people は0以上です。");
    else if (result.TryGetValue(common.Municipality, out var code) && !MunicipalityCode.Parse(code).Ok)
        result.AddError($"市区町村コード「{code}」が正しくありません。");
});
generate.SetAction(CommandLineHost.Guard((parse, ct) => GenerateCommand.RunAsync(new NenkinBatch.Synthetic.CityOptions
{
    People = parse.GetValue(people),
    Seed = parse.GetValue(seed),
    JpsRows = parse.GetValue(jpsRows) ?? -1,
    JukiChanges = parse.GetValue(jukiChanges) ?? -1,
    RetentionPeople = parse.GetValue(retentionPeople) ?? 0,
    MunicipalityCode = parse.GetValue(common.Municipality) ?? "121002",
}, parse.GetValue(outDir)!.FullName, Console.Out, ct)));
root.Subcommands.Add(generate);

var failedOnly = new Option<bool>("--failed") { Description = "失敗・放棄した実行だけを表示する" };
var limit = new Option<int>("--limit") { Description = "表示する件数", DefaultValueFactory = _ => 20 };
var runs = new Command("runs", "最近の実行（実行番号・ジョブ・状態・開始・所要・件数・終了コード）") { failedOnly, limit };
runs.SetAction(CommandLineHost.Guard((parse, ct) => Admin(parse, admin => admin.ListRunsAsync(parse.GetValue(limit), parse.GetValue(failedOnly), ct))));
var runId = new Argument<long>("ID") { Description = "実行番号" };
var show = new Command("show", "1件の実行と、その除外行・警告・エラーを表示する") { runId };
show.SetAction(CommandLineHost.Guard((parse, ct) => Admin(parse, admin => admin.ShowRunAsync(parse.GetValue(runId), ct))));
var recoverId = new Argument<long>("ID") { Description = "実行番号" };
var recover = new Command("recover", "プロセスが既に終了している STARTED の実行を失敗（FAILED）にする") { recoverId };
recover.SetAction(CommandLineHost.Guard((parse, ct) => Admin(parse, admin => admin.RecoverRunAsync(parse.GetValue(recoverId), ct))));
runs.Subcommands.Add(show);
runs.Subcommands.Add(recover);
root.Subcommands.Add(runs);

var doctorInboxes = new Option<string[]>("--inbox")
{
    Description = "あわせて点検する受信フォルダー（nenkin-juki-sync・nenkin-import の --inbox と同じもの。複数回指定できる）",
    AllowMultipleArgumentsPerToken = false,
};
var minFreeGb = new Option<double>("--min-free-gb") { Description = "空き容量がこれより少なければ警告する（GB）", DefaultValueFactory = _ => 5 };
var doctor = new Command("doctor", "設定と環境を点検する（何も変更しない）: 設定ファイルと各設定の出どころ、市区町村コード、データベースの接続とスキーマ、鍵ファイル（有無・権限・照合）、フォルダーへの書き込み、空き容量、タイムゾーン。✗ があれば終了コード 40")
{
    doctorInboxes, minFreeGb,
};
doctor.SetAction(CommandLineHost.Guard((parse, ct) => new Doctor(
    new Settings.CommandLine(parse.GetValue(common.Database), parse.GetValue(common.Municipality), null, parse.GetValue(common.Config)),
    Environment.GetEnvironmentVariable, Environment.CurrentDirectory, AppContext.BaseDirectory, Console.Out,
    new DoctorOptions(parse.GetValue(doctorInboxes) ?? [], parse.GetValue(minFreeGb)), TimeProvider.System).RunAsync(ct)));
root.Subcommands.Add(doctor);

return await CommandLineHost.RunAsync(root, args);
