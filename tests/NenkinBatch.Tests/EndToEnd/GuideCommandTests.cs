using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NenkinBatch.Runtime.Cli;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>
/// Every command line the operator's guide (docs/運用手順書.md) and the scheduler files tell an operator to run is one the
/// executables accept: each is parsed by the real executable with NENKIN_CHECK_COMMAND_LINE=1 (the same parser and
/// messages, nothing run), so a renamed command or option fails here instead of on a server at night.
/// </summary>
public partial class GuideCommandTests
{
    private static readonly string Root = AdminProcess.RepositoryRoot;

    private static readonly Dictionary<string, string> Projects = new(StringComparer.Ordinal)
    {
        ["nenkin-admin"] = "NenkinBatch.Admin",
        ["nenkin-import"] = "NenkinBatch.Import",
        ["nenkin-juki-sync"] = "NenkinBatch.JukiSync",
        ["nenkin-reconcile"] = "NenkinBatch.Reconcile",
        ["nenkin-purge"] = "NenkinBatch.Purge",
    };

    private static string Dll(string executable)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        return Path.Combine(Root, "jobs", Projects[executable], "bin", configuration, "net10.0", executable + ".dll");
    }

    /// <summary>A job that is not in this repository yet (its project folder is missing) cannot be checked; every other one must be.</summary>
    private static bool Exists(string executable) => Directory.Exists(Path.Combine(Root, "jobs", Projects[executable]));

    /// <summary>The words of a command line as a POSIX shell splits them (quotes, no expansion), without a trailing comment.</summary>
    internal static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in line)
        {
            if (quote is not null)
            {
                if (c == quote) quote = null;
                else word.Append(c);
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    /// <summary>The guide's command lines: in its code blocks, after a "$ " prompt, starting with one of the executables.</summary>
    public static TheoryData<string> GuideCommands()
    {
        var data = new TheoryData<string>();
        foreach (var command in GuideCommandLines()) data.Add(command);
        return data;
    }

    private static List<string> GuideCommandLines()
    {
        var data = new List<string>();
        var inCode = false;
        foreach (var line in File.ReadAllLines(Path.Combine(Root, "docs", "運用手順書.md")))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal)) inCode = !inCode;
            else if (inCode && Prompted().Match(trimmed) is { Success: true } command && !data.Contains(command.Groups[1].Value)) data.Add(command.Groups[1].Value);
        }
        return data;
    }

    [GeneratedRegex(@"^\$ (nenkin-[a-z-]+(?:\.exe)?(?: .*)?)$")]
    private static partial Regex Prompted();

    private static async Task ShouldParseAsync(IReadOnlyList<string> words, string source)
    {
        var executable = words[0].EndsWith(".exe", StringComparison.Ordinal) ? words[0][..^4] : words[0];
        Projects.ShouldContainKey(executable, source);
        if (!Exists(executable)) return;
        var env = new Dictionary<string, string> { [CommandLineHost.CheckOnlyVariable] = "1", ["LANG"] = "C.UTF-8" };
        var result = await AdminProcess.RunDllAsync(Dll(executable), Path.GetTempPath(), env, [.. words.Skip(1)]);
        result.ExitCode.ShouldBe(0, $"{source}: {result.All}");
        if (!words.Contains("--help")) result.Out.ShouldContain("コマンドラインは正しく読めます", customMessage: source);
    }

    [Fact]
    public void TheGuide_HasCommandsOfEveryJob()
    {
        var executables = GuideCommandLines().Select(c => Split(c)[0]).Distinct().ToList();
        executables.ShouldBe(["nenkin-admin", "nenkin-juki-sync", "nenkin-import", "nenkin-reconcile", "nenkin-purge"], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(GuideCommands))]
    public async Task GuideCommand_ParsesWithTheRealExecutable(string command)
    {
        await ShouldParseAsync(Split(command), $"docs/運用手順書.md: $ {command}");
    }

    [Fact]
    public async Task AParseError_IsStillExit64_WithTheCheckSwitch()
    {
        var env = new Dictionary<string, string> { [CommandLineHost.CheckOnlyVariable] = "1" };
        var result = await AdminProcess.RunDllAsync(Dll("nenkin-import"), Path.GetTempPath(), env, "--inbx", "in");

        result.ExitCode.ShouldBe(64);
        result.Error.ShouldContain("不明なオプション「--inbx」です（--inbox のことですか？）");
    }

    /// <summary>The job command lines the scheduler files run: systemd's ExecStart, the Task Scheduler actions, the crontab's lines and chain.</summary>
    public static TheoryData<string, string> ScheduledCommands()
    {
        var data = new TheoryData<string, string>();
        var schedules = Path.Combine(Root, "schedules");
        foreach (var unit in Directory.GetFiles(Path.Combine(schedules, "systemd"), "*.service"))
        {
            foreach (var line in File.ReadAllLines(unit).Where(l => l.StartsWith("ExecStart=/opt/nenkinbatch/", StringComparison.Ordinal)))
                data.Add(Path.GetFileName(unit), line["ExecStart=/opt/nenkinbatch/".Length..]);
        }
        XNamespace task = "http://schemas.microsoft.com/windows/2004/02/mit/task";
        foreach (var file in Directory.GetFiles(Path.Combine(schedules, "windows"), "*.xml"))
        {
            var exec = XDocument.Load(file).Descendants(task + "Exec").Single();
            var command = exec.Element(task + "Command")!.Value;
            if (command.StartsWith(@"C:\NenkinBatch\", StringComparison.Ordinal))
                data.Add(Path.GetFileName(file), command[@"C:\NenkinBatch\".Length..] + " " + exec.Element(task + "Arguments")!.Value);
        }
        var crontab = File.ReadAllLines(Path.Combine(schedules, "cron", "nenkinbatch.crontab"));
        foreach (var match in crontab.Where(l => !l.StartsWith('#')).SelectMany(l => CronJob().Matches(l)))
            data.Add("nenkinbatch.crontab", match.Value.Replace("\"$NENKIN_", "\"/srv/", StringComparison.Ordinal));
        // The chain loop builds each job's arguments: the inbox, then --quiet --summary FILE.
        foreach (var job in new[] { "nenkin-juki-sync --inbox /srv/juki", "nenkin-import --inbox /srv/inbox", "nenkin-reconcile" })
            data.Add("nenkinbatch.crontab (chain)", job + " --quiet --summary /srv/logs/x.summary.json");
        return data;
    }

    [GeneratedRegex(@"(?<!"")nenkin-(?:admin|purge) [^>|&]*?(?= >>| \|\||$)")]
    private static partial Regex CronJob();

    [Theory]
    [MemberData(nameof(ScheduledCommands))]
    public async Task ScheduledCommand_ParsesWithTheRealExecutable(string file, string command)
    {
        await ShouldParseAsync(Split(command.Replace('\\', '/')), $"schedules/{file}: {command}");
    }

    [Fact]
    public void ShellSplit_AsAShellWould()
    {
        Split("nenkin-purge execute 12 --confirm-count 37   # comment").ShouldBe(["nenkin-purge", "execute", "12", "--confirm-count", "37"]);
        Split("nenkin-import --inbox \"D:/a b/in\" --x='y z'").ShouldBe(["nenkin-import", "--inbox", "D:/a b/in", "--x=y z"]);
    }
}
