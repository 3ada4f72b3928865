using System.CommandLine;

namespace NenkinBatch.Runtime.Cli;

/// <summary>The options every job takes (docs/architecture.md, "Command line"); option names in English, help in Japanese.</summary>
public sealed class CommonOptions
{
    public Option<string?> Database { get; } = new("--db")
    {
        Description = "データベース: SQLite ファイルのパス、または PostgreSQL の接続文字列（Host=…）/ URI（postgresql://…）。既定は設定ファイルまたは NENKIN_DB、なければ ./nenkin.db。パスワードはここに書かず NENKIN_DB か .pgpass へ",
        Recursive = true,
    };
    public Option<string?> Config { get; } = new("--config") { Description = "設定ファイル（既定: 作業フォルダーまたは実行ファイルと同じ場所の nenkinbatch.json）", Recursive = true };
    public Option<string?> Municipality { get; } = new("--municipality") { Description = "市区町村コード（6桁、検査数字付き）。既定は設定の municipalityCode", Recursive = true };
    public Option<string?> LogDirectory { get; } = new("--log-dir") { Description = "ログの出力先フォルダー（既定: 設定の logDir、なければ ./logs）" };
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "すべての処理を行い、最後に取り消す（何も保存しない）" };
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "詳しいログを出す" };
    public Option<bool> Quiet { get; } = new("--quiet") { Description = "警告とエラーだけを表示する" };
    public Option<string?> Summary { get; } = new("--summary") { Description = "終了時に実行結果の JSON（実行番号・状態・終了コード・件数）を書くファイル" };

    /// <summary>Where and for whom: every command of an executable takes these (they are recursive).</summary>
    public void AddConnectionOptionsTo(Command root)
    {
        foreach (var option in new Option[] { Database, Config, Municipality })
            root.Options.Add(option);
    }

    /// <summary>What a job run takes on top: only commands that run a job through the run registry.</summary>
    /// <param name="withDryRun">False for a job whose normal run changes nothing (reconcile), which says so with its own options.</param>
    public void AddJobOptionsTo(Command job, bool withDryRun = true)
    {
        foreach (var option in new Option[] { LogDirectory, DryRun, Verbose, Quiet, Summary })
        {
            if (option != DryRun || withDryRun) job.Options.Add(option);
        }
    }

    public Settings ResolveSettings(ParseResult parse) => Settings.Resolve(
        new Settings.CommandLine(parse.GetValue(Database), parse.GetValue(Municipality), parse.GetValue(LogDirectory), parse.GetValue(Config)),
        Environment.GetEnvironmentVariable, Environment.CurrentDirectory, AppContext.BaseDirectory);

    public JobInvocation Invocation(ParseResult parse) => new(
        ResolveSettings(parse),
        DatabaseFromCommandLine: parse.GetValue(Database) is not null,
        DryRun: parse.GetResult(DryRun) is not null && parse.GetValue(DryRun),
        Verbose: parse.GetValue(Verbose),
        Quiet: parse.GetValue(Quiet),
        SummaryFile: parse.GetValue(Summary));
}
