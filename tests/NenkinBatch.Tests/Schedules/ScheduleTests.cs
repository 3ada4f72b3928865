using System.Diagnostics;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Schedules;

/// <summary>
/// The scheduler files in schedules/ as each scheduler reads them: Task Scheduler's XML against the schema of the elements
/// they use and the settings a batch server needs; the crontab's chain line run as cron runs it (sh -c, an environment of
/// the crontab's settings only) and the Windows chain script run by PowerShell, both with stand-in executables on PATH,
/// so that the stop rule (go on after 0 and 10, stop at anything else) is what runs; the systemd units checked by systemd.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ScheduleTests
{
    private static readonly string Schedules = Path.Combine(AdminProcess.RepositoryRoot, "schedules");
    private static readonly XNamespace Task = "http://schemas.microsoft.com/windows/2004/02/mit/task";

    public static TheoryData<string> TaskFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Schedules, "windows"), "*.xml").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(TaskFiles))]
    public void TaskXml_ValidAgainstTheSchema_WithTheSettingsABatchServerNeeds(string file)
    {
        var path = Path.Combine(Schedules, "windows", file);
        // As Task Scheduler exports them and schtasks /XML reads them without question: UTF-16 with a byte-order mark.
        File.ReadAllBytes(path).Take(2).ShouldBe(new byte[] { 0xFF, 0xFE });
        var schemas = new XmlSchemaSet();
        schemas.Add(Task.NamespaceName, Path.Combine(AdminProcess.RepositoryRoot, "tests", "NenkinBatch.Tests", "Schedules", "TaskSchedulerSubset.xsd"));
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using (var reader = XmlReader.Create(path, settings))
        {
            while (reader.Read())
            {
            }
        }
        errors.ShouldBeEmpty();

        var task = XDocument.Load(path).Root!;
        string Value(string name) => task.Descendants(Task + name).Single().Value;
        Value("MultipleInstancesPolicy").ShouldBe("IgnoreNew");
        XmlConvert.ToTimeSpan(Value("ExecutionTimeLimit")).ShouldBeInRange(TimeSpan.FromMinutes(5), TimeSpan.FromHours(12));
        // Run whether or not a user is logged on.
        Value("LogonType").ShouldBe("Password");
        // Not the scheduler's default 7, a background priority with low I/O: normal priority is 4 to 6.
        int.Parse(Value("Priority"), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(4, 6);
        Value("WorkingDirectory").ShouldBe(@"C:\NenkinBatch");
        Value("Description").ShouldNotBeNullOrWhiteSpace();
        var command = Value("Command");
        var arguments = Value("Arguments");
        if (command == "powershell.exe")
        {
            // The chain task: its script ships in the same folder, and the task's exit code is the script's.
            arguments.ShouldContain(@"-File ""C:\NenkinBatch\schedules\windows\nenkin-nightly.ps1""");
            arguments.ShouldContain("-NonInteractive");
            File.Exists(Path.Combine(Schedules, "windows", "nenkin-nightly.ps1")).ShouldBeTrue();
        }
        else
        {
            command.ShouldStartWith(@"C:\NenkinBatch\nenkin-");
            command.ShouldEndWith(".exe");
        }
    }

    [Fact]
    public void TaskXml_OneTaskPerJob_AndTheChain()
    {
        var commands = Directory.GetFiles(Path.Combine(Schedules, "windows"), "*.xml")
            .Select(f => XDocument.Load(f).Root!.Descendants(Task + "Command").Single().Value.Split('\\')[^1])
            .ToList();
        commands.ShouldBe(["nenkin-admin.exe", "nenkin-import.exe", "nenkin-juki-sync.exe", "powershell.exe", "nenkin-purge.exe", "nenkin-reconcile.exe"], ignoreOrder: true);
    }

    /// <summary>Stand-in executables: each records its arguments and exits with the code given.</summary>
    private static string StandIns(string folder, IReadOnlyDictionary<string, int> exitCodes)
    {
        var bin = Path.Combine(folder, "bin");
        Directory.CreateDirectory(bin);
        foreach (var (name, code) in exitCodes)
        {
            var path = Path.Combine(bin, name);
            File.WriteAllText(path, $"#!/bin/sh\necho \"{name} $*\" >> \"{Path.Combine(folder, "calls")}\"\nexit {code}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return bin;
    }

    private static string[] Calls(string folder) =>
        File.Exists(Path.Combine(folder, "calls")) ? File.ReadAllLines(Path.Combine(folder, "calls")).Select(l => l.Split(' ')[0]).ToArray() : [];

    private static readonly string[] Crontab = File.ReadAllLines(Path.Combine(Schedules, "cron", "nenkinbatch.crontab"));

    /// <summary>The crontab's NAME=value lines: the environment cron gives every command, and nothing else.</summary>
    private static Dictionary<string, string> CronEnvironment() =>
        Crontab.Where(l => l.Length > 0 && l[0] != '#' && System.Text.RegularExpressions.Regex.IsMatch(l, "^[A-Z_]+="))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    /// <summary>A crontab line's command: what follows its five time fields.</summary>
    private static string CronCommand(string schedule) =>
        Crontab.Single(l => l.StartsWith(schedule + " ", StringComparison.Ordinal))[schedule.Length..].TrimStart();

    private static async Task<(int ExitCode, string Output)> RunAsCronAsync(string command, Dictionary<string, string> environment)
    {
        // env -i: cron gives a command its crontab's settings and little else.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-i");
        foreach (var (name, value) in environment) info.ArgumentList.Add($"{name}={value}");
        info.ArgumentList.Add("/bin/sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static Dictionary<string, string> CronTestEnvironment(string folder, string bin)
    {
        var environment = CronEnvironment();
        environment.Keys.ShouldBe(["CRON_TZ", "PATH", "NENKIN_HOME", "NENKIN_JUKI_INBOX", "NENKIN_JPS_INBOX", "NENKIN_LOG", "NENKIN_LOCK"], ignoreOrder: true);
        environment["PATH"] = $"{bin}:/usr/bin:/bin";
        environment["NENKIN_HOME"] = folder;
        environment["NENKIN_JUKI_INBOX"] = Path.Combine(folder, "juki inbox");
        environment["NENKIN_JPS_INBOX"] = Path.Combine(folder, "inbox");
        environment["NENKIN_LOG"] = folder;
        environment["NENKIN_LOCK"] = Path.Combine(folder, "nightly.lock");
        return environment;
    }

    [Fact]
    public void Crontab_NoPercentSign_WhichCronWouldTurnIntoANewLine()
    {
        Crontab.Where(l => !l.StartsWith('#')).ShouldAllBe(l => !l.Contains('%'));
    }

    [Theory]
    [InlineData(0, 0, 0, new[] { "nenkin-juki-sync", "nenkin-import", "nenkin-reconcile" }, 0)]
    [InlineData(10, 10, 0, new[] { "nenkin-juki-sync", "nenkin-import", "nenkin-reconcile" }, 0)]
    [InlineData(10, 75, 0, new[] { "nenkin-juki-sync", "nenkin-import", "logger" }, 75)]
    [InlineData(20, 0, 0, new[] { "nenkin-juki-sync", "logger" }, 20)]
    [InlineData(0, 0, 30, new[] { "nenkin-juki-sync", "nenkin-import", "nenkin-reconcile", "logger" }, 30)]
    public async Task CrontabChain_RunAsCronWould_GoesOnAfter0And10_StopsAtAnythingElse(int sync, int import, int reconcile, string[] expectedCalls, int expectedExit)
    {
        var folder = TestDatabase.CreateDirectory();
        try
        {
            var bin = StandIns(folder, new Dictionary<string, int> { ["nenkin-juki-sync"] = sync, ["nenkin-import"] = import, ["nenkin-reconcile"] = reconcile, ["logger"] = 0 });

            var (exitCode, output) = await RunAsCronAsync(CronCommand("0 2 * * *"), CronTestEnvironment(folder, bin));

            exitCode.ShouldBe(expectedExit, output);
            Calls(folder).ShouldBe(expectedCalls);
            var lines = File.ReadAllLines(Path.Combine(folder, "calls"));
            lines[0].ShouldBe($"nenkin-juki-sync --inbox {Path.Combine(folder, "juki inbox")} --quiet --summary {folder}/nenkin-juki-sync.summary.json");
            if (expectedExit != 0) lines[^1].ShouldContain($"exit {expectedExit}: the nightly chain stopped");
            File.ReadAllText(Path.Combine(folder, "nightly-chain.log")).ShouldContain($"nenkin-juki-sync exit {sync}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task CrontabChain_WhileTheLastOneStillRuns_Exits75_RunsNothing()
    {
        var folder = TestDatabase.CreateDirectory();
        try
        {
            var bin = StandIns(folder, new Dictionary<string, int> { ["nenkin-juki-sync"] = 0, ["nenkin-import"] = 0, ["nenkin-reconcile"] = 0, ["logger"] = 0 });
            var environment = CronTestEnvironment(folder, bin);
            using var holder = Process.Start(new ProcessStartInfo("flock", [environment["NENKIN_LOCK"], "sleep", "30"]))!;
            for (var i = 0; i < 100 && !File.Exists(environment["NENKIN_LOCK"]); i++) await System.Threading.Tasks.Task.Delay(50);
            await System.Threading.Tasks.Task.Delay(200);

            var (exitCode, output) = await RunAsCronAsync(CronCommand("0 2 * * *"), environment);

            holder.Kill(entireProcessTree: true);
            exitCode.ShouldBe(75, output);
            Calls(folder).ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(10, 0, 0, new[] { "nenkin-juki-sync", "nenkin-import", "nenkin-reconcile" }, 0)]
    [InlineData(10, 75, 0, new[] { "nenkin-juki-sync", "nenkin-import" }, 75)]
    [InlineData(69, 0, 0, new[] { "nenkin-juki-sync" }, 69)]
    public async Task WindowsChainScript_RunByPowerShell_GoesOnAfter0And10_EndsWithTheStoppingJobsCode(int sync, int import, int reconcile, string[] expectedCalls, int expectedExit)
    {
        var folder = TestDatabase.CreateDirectory();
        try
        {
            var bin = StandIns(folder, new Dictionary<string, int> { ["nenkin-juki-sync"] = sync, ["nenkin-import"] = import, ["nenkin-reconcile"] = reconcile });
            var info = new ProcessStartInfo(PowerShell.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
            foreach (var argument in new[] { "-NoProfile", "-NonInteractive", "-File", Path.Combine(Schedules, "windows", "nenkin-nightly.ps1"),
                "-InstallDir", bin, "-JukiInbox", "/srv/juki", "-JpsInbox", "/srv/jps", "-LogDir", folder })
                info.ArgumentList.Add(argument);
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            process.ExitCode.ShouldBe(expectedExit, output);
            Calls(folder).ShouldBe(expectedCalls);
            File.ReadAllLines(Path.Combine(folder, "calls"))[0].ShouldBe($"nenkin-juki-sync --inbox /srv/juki --quiet --summary {folder}/nenkin-juki-sync.summary.json");
            var log = File.ReadAllText(Path.Combine(folder, "nightly-chain.log"));
            log.ShouldContain($"nenkin-juki-sync が終了コード {sync} で終わりました。");
            if (expectedExit != 0) log.ShouldContain($"終了コード {expectedExit} で終わりました。人の対応が要るので、ここで止まります");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, List<string>> Unit(string file)
    {
        var entries = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(Schedules, "systemd", file)).Where(l => l.Contains('=') && !l.StartsWith('#')))
        {
            var (key, value) = (line[..line.IndexOf('=')], line[(line.IndexOf('=') + 1)..]);
            if (!entries.TryGetValue(key, out var values)) entries[key] = values = [];
            values.Add(value);
        }
        return entries;
    }

    [Fact]
    public void SystemdChain_RunsTheJobsInOrder_TenIsSuccess_AFailureAlerts()
    {
        var chain = Unit("nenkinbatch-nightly.service");
        chain["Type"].ShouldBe(["oneshot"]);
        chain["SuccessExitStatus"].ShouldBe(["10"]);
        chain["OnFailure"].ShouldBe(["nenkinbatch-alert@%n.service"]);
        chain["ExecStart"].Select(c => c.Split(' ')[0]).ShouldBe(["/opt/nenkinbatch/nenkin-juki-sync", "/opt/nenkinbatch/nenkin-import", "/opt/nenkinbatch/nenkin-reconcile"]);
        foreach (var file in new[] { "nenkinbatch-purge-plan.service", "nenkinbatch-doctor.service" })
        {
            Unit(file)["OnFailure"].ShouldBe(["nenkinbatch-alert@%n.service"]);
            Unit(file)["Type"].ShouldBe(["oneshot"]);
        }
        Unit("nenkinbatch-purge-plan.service")["SuccessExitStatus"].ShouldBe(["10"]);
        Unit("nenkinbatch-nightly.timer")["OnCalendar"].ShouldBe(["*-*-* 02:00:00 Asia/Tokyo"]);
    }

    [Fact]
    public async Task SystemdUnits_VerifiedBySystemd()
    {
        var folder = TestDatabase.CreateDirectory();
        try
        {
            // systemd-analyze verify wants the executables to exist: stand-ins where the units name /opt/nenkinbatch.
            var bin = StandIns(folder, new[] { "nenkin-juki-sync", "nenkin-import", "nenkin-reconcile", "nenkin-purge", "nenkin-admin" }.ToDictionary(n => n, _ => 0));
            var units = Path.Combine(folder, "units");
            Directory.CreateDirectory(units);
            foreach (var file in Directory.GetFiles(Path.Combine(Schedules, "systemd")))
            {
                var text = File.ReadAllText(file).Replace("/opt/nenkinbatch/", bin + "/", StringComparison.Ordinal)
                    .Replace("User=nenkin\n", "User=root\n", StringComparison.Ordinal).Replace("Group=nenkin\n", "Group=root\n", StringComparison.Ordinal);
                File.WriteAllText(Path.Combine(units, Path.GetFileName(file)), text);
            }
            var info = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = units };
            info.ArgumentList.Add("verify");
            info.ArgumentList.Add("--man=no");
            foreach (var file in Directory.GetFiles(units).Order(StringComparer.Ordinal)) info.ArgumentList.Add(file);
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            process.ExitCode.ShouldBe(0, output);
            output.ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
