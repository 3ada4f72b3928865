using NenkinBatch.Foundation;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>
/// The help text is part of the operator's interface: pinned by approved files beside this test, so
/// a change to it is a visible diff in review. A mismatch writes the new text as *.received.txt.
/// </summary>
public class HelpTextTests
{
    [Theory]
    [InlineData("nenkin-admin", new string[0], "admin")]
    [InlineData("nenkin-admin.load-members", new[] { "load-members" }, "admin")]
    [InlineData("nenkin-admin.runs", new[] { "runs" }, "admin")]
    [InlineData("nenkin-admin.generate", new[] { "generate" }, "admin")]
    [InlineData("nenkin-admin.doctor", new[] { "doctor" }, "admin")]
    [InlineData("nenkin-import", new string[0], "import")]
    [InlineData("nenkin-juki-sync", new string[0], "juki-sync")]
    [InlineData("nenkin-reconcile", new string[0], "reconcile")]
    [InlineData("nenkin-reconcile.undo", new[] { "undo" }, "reconcile")]
    [InlineData("nenkin-reconcile.decide", new[] { "decide" }, "reconcile")]
    [InlineData("nenkin-purge", new string[0], "purge")]
    [InlineData("nenkin-purge.plan", new[] { "plan" }, "purge")]
    [InlineData("nenkin-purge.execute", new[] { "execute" }, "purge")]
    [InlineData("nenkin-purge.hold.add", new[] { "hold", "add" }, "purge")]
    public async Task Help_MatchesApprovedText(string name, string[] command, string executable)
    {
        var env = new Dictionary<string, string> { ["LANG"] = "C.UTF-8", ["LC_ALL"] = "C.UTF-8", ["COLUMNS"] = "120" };
        var dll = executable switch { "import" => AdminProcess.ImportDll, "reconcile" => AdminProcess.ReconcileDll, "juki-sync" => AdminProcess.JukiSyncDll, "purge" => AdminProcess.PurgeDll, _ => AdminProcess.AdminDll };
        var result = await AdminProcess.RunDllAsync(dll, Path.GetTempPath(), env, [.. command, "--help"]);
        result.ExitCode.ShouldBe(0);

        var folder = Path.Combine(AdminProcess.RepositoryRoot, "tests", "NenkinBatch.Tests", "EndToEnd", "Approved");
        var approved = Path.Combine(folder, $"{name}.help.approved.txt");
        var received = Path.Combine(folder, $"{name}.help.received.txt");
        var text = result.Out.ReplaceLineEndings("\n");
        if (File.Exists(approved) && File.ReadAllText(approved).ReplaceLineEndings("\n") == text)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, text);
        Assert.Fail($"help text of {name} differs from {approved}; review {received} and rename it to approve");
    }
}
