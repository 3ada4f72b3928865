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
