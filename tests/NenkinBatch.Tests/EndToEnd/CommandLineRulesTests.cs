using NenkinBatch.Foundation;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>
/// Rules between options are the parser's: a broken rule is a command-line error (exit 64, the host's
/// prefix and the pointer to --help), found before any setting is read or any database opened.
/// </summary>
public class CommandLineRulesTests
{
    // No municipality anywhere: had a rule waited for the action, the missing setting would be reported instead.
    private static readonly Dictionary<string, string> NoSettings = new() { ["NENKIN_MUNICIPALITY_CODE"] = "", ["NENKIN_DB"] = "" };

    [Theory]
    [InlineData("reconcile", "--since 2024-13-01", "--since の日付「2024-13-01」は YYYY-MM-DD で指定してください。")]
    [InlineData("reconcile", "--since 2024/01/02", "--since の日付「2024/01/02」は YYYY-MM-DD で指定してください。")]
    [InlineData("reconcile", "--apply --dry-run", "--apply と --dry-run は同時に指定できません。")]
    [InlineData("reconcile", "--file 3 --since 2024-01-02", "--file と --since は同時に指定できません。")]
    [InlineData("reconcile", "--since 2024-13-01 --file 3", "--since の日付「2024-13-01」は YYYY-MM-DD で指定してください。")] // the date first, as before
    [InlineData("import", "", "取り込むファイルか --inbox を指定してください。")]
    [InlineData("admin", "generate --people 0 --out city", "--people は1以上です。")]
    [InlineData("admin", "generate --people 3 --out city --municipality 121003", "市区町村コード「121003」が正しくありません。")]
    [InlineData("admin", "--municipality 121003 generate --people 3 --out city", "市区町村コード「121003」が正しくありません。")]
    // Unknown options, in every executable and subcommand; an argument that looks like an option is one, even where FILE… could take it.
    [InlineData("import", "--foo", "不明なオプション「--foo」です。nenkin-import で使えるオプションは --help で確認できます。")]
    [InlineData("import", "a.csv --foo", "不明なオプション「--foo」です。nenkin-import で使えるオプションは --help で確認できます。")]
    [InlineData("import", "a.csv --reimprot", "不明なオプション「--reimprot」です（--reimport のことですか？）。")]
    [InlineData("import", "--db --foo a.csv", "不明なオプション「--foo」です。nenkin-import で使えるオプションは --help で確認できます。")]
    [InlineData("reconcile", "--aply", "不明なオプション「--aply」です（--apply のことですか？）。")]
    [InlineData("reconcile", "undo 3 --foo", "不明なオプション「--foo」です。undo で使えるオプションは --help で確認できます。")]
    [InlineData("reconcile", "undo 3 --aply", "不明なオプション「--aply」です。undo で使えるオプションは --help で確認できます。")]
    [InlineData("admin", "runs --faild", "不明なオプション「--faild」です（--failed のことですか？）。")]
    [InlineData("admin", "db migrate --foo", "不明なオプション「--foo」です。migrate で使えるオプションは --help で確認できます。")]
    [InlineData("admin", "load-members m.csv --dry-rn", "不明なオプション「--dry-rn」です（--dry-run のことですか？）。")]
    // The parser's own errors, in Japanese, naming the option or argument and what it takes.
    [InlineData("reconcile", "--file abc", "--file の値「abc」は整数で指定してください。")]
    [InlineData("reconcile", "--file", "--file の後に整数を指定してください。")]
    [InlineData("reconcile", "extra", "余分な引数「extra」です。nenkin-reconcile に渡せる引数はありません（コマンドは undo、decide）。")]
    [InlineData("reconcile", "undo", "undo には RUN（取り消す nenkin-reconcile --apply の実行番号）を指定してください。")]
    [InlineData("reconcile", "undo abc", "RUN の値「abc」は整数で指定してください。")]
    [InlineData("reconcile", "undo 3 4", "余分な引数「4」です。undo に渡せる引数は RUN だけです。")]
    [InlineData("import", "--encoding x a.csv", "--encoding の値「x」は使えません。auto、cp932、utf-8 のどれかを指定してください。")]
    [InlineData("import", "--inbox", "--inbox の後にフォルダーのパスを指定してください。")]
    [InlineData("admin", "db", "db の後には migrate、status のどれかを指定してください。")]
    [InlineData("admin", "db migrat", "不明なコマンド「migrat」です（migrate のことですか？）。db の後には migrate、status のどれかを指定してください。")]
    [InlineData("admin", "runs show", "show には ID（実行番号）を指定してください。")]
    [InlineData("admin", "runs show 1 123456789018", "余分な引数「************」です。show に渡せる引数は ID だけです。")]
    [InlineData("admin", "runs --limit x", "--limit の値「x」は整数で指定してください。")]
    [InlineData("admin", "generate --people 3", "--out（出力フォルダー）を指定してください。")]
    [InlineData("admin", "generate --people 3 --seed -1 --out city", "--seed の値「-1」は0以上の整数で指定してください。")]
    public async Task BrokenRule_CommandLineErrorWithItsMessage_Exit64(string executable, string arguments, string message)
    {
        var dll = executable switch { "import" => AdminProcess.ImportDll, "reconcile" => AdminProcess.ReconcileDll, _ => AdminProcess.AdminDll };
        var directory = Directory.CreateTempSubdirectory("nenkin-cli-").FullName;
        try
        {
            var result = await AdminProcess.RunDllAsync(dll, directory, NoSettings, arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));

            result.ExitCode.ShouldBe((int)ExitCode.UsageError, result.All);
            result.Error.ReplaceLineEndings("\n").ShouldBe($"コマンドラインの誤り: {message}\n使い方は nenkin-{executable} --help で確認できます。\n");
            result.Out.ShouldBeEmpty();
            Directory.EnumerateFileSystemEntries(directory).ShouldBeEmpty(); // no log folder, no database, no city
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
