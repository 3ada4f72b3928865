using System.CommandLine;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Runtime;
using NenkinBatch.Runtime.Cli;

var common = new CommonOptions();
var files = new Argument<FileInfo[]>("FILE") { Description = "処理結果一覧表のファイル（複数可）", Arity = ArgumentArity.ZeroOrMore };
var inbox = new Option<DirectoryInfo?>("--inbox") { Description = "受信フォルダー: 新しいファイルをすべて取り込み、済んだものは processed/ へ、受け付けられないものは理由を添えて rejected/ へ移す" };
var layout = new Option<string?>("--layout") { Description = "レイアウト名（jps-result-csv、jps-result-fixed）かレイアウトファイルのパス。既定はファイルから判別" };
var encoding = new Option<string>("--encoding") { Description = "文字コード: auto（UTF-8 として正しければ UTF-8、でなければ CP932）、cp932、utf-8", DefaultValueFactory = _ => "auto" };
encoding.AcceptOnlyFromAmong("auto", "cp932", "utf-8");
var reimport = new Option<bool>("--reimport") { Description = "取り込み済みの同じ内容のファイルを取り込み直す（前回の行を置き換え、監査ログに残す）" };

var root = new RootCommand("nenkin-import: 日本年金機構の処理結果一覧表を取り込む（同じ内容のファイルは二度取り込まない）") { files, inbox, layout, encoding, reimport };
// The host adds "使い方は nenkin-import --help で確認できます。" after every command-line error.
root.Validators.Add(result =>
{
    if (result.GetResult(files) is not { Tokens.Count: > 0 } && result.GetResult(inbox) is null)
        result.AddError("取り込むファイルか --inbox を指定してください。");
});
common.AddConnectionOptionsTo(root);
common.AddJobOptionsTo(root);
root.SetAction(CommandLineHost.Guard((parse, ct) =>
{
    var options = new ImportOptions
    {
        Files = parse.GetValue(files)?.Select(f => f.FullName).ToList() ?? [],
        Inbox = parse.GetValue(inbox)?.FullName,
        Layout = parse.GetValue(layout),
        Encoding = parse.GetValue(encoding)!,
        Reimport = parse.GetValue(reimport),
    };
    return JobRunner.RunAsync(new ImportJob(options), common.Invocation(parse), ct);
}));
return await CommandLineHost.RunAsync(root, args);
