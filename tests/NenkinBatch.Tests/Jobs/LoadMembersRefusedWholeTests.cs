using System.Text;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs;

/// <summary>A members file is loaded in chunks, yet taken whole or refused: what refuses it at its end stores nothing.</summary>
public class LoadMembersRefusedWholeTests
{
    private static string Text(MemberFile file) => MemberFile.Header + "\r\n" + string.Join("", file.Rows.Select(r => string.Join(",", r) + "\r\n"));

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task LoadMembers_QuoteNeverClosedAfterSeveralChunks_RefusedWhole_NothingStored(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = MemberFile.Synthetic(50);
        file.Rows[44][7] = "\"" + file.Rows[44][7];
        var path = Path.Combine(database.Directory, "members.csv");
        await File.WriteAllTextAsync(path, Text(file), new UTF8Encoding(false));

        var run = await InProcess.RunAsync(new LoadMembersJob(path), database.Settings(chunkSize: 10));

        run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
        run.Error.ShouldContain("members.csv: 46行目で始まる引用符（\"）が閉じられていない");
        (await database.CountAsync("person")).ShouldBe(0);
        (await database.CountAsync("qualification")).ShouldBe(0);
        (await database.CountAsync("audit_log")).ShouldBe(0);
    }
}
