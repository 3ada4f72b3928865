using System.Text;
using System.Text.Json;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs;

/// <summary>
/// A members file is loaded in chunks, yet taken whole or refused: what refuses it at its end stores nothing. Rows of one
/// person or one 資格 period that disagree are caught wherever they are in the file: the later is rejected, and loading the
/// same file again changes nothing.
/// </summary>
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

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task LoadMembers_DisagreeingRowsInDifferentChunks_LaterRejected_SecondLoadChangesNothing(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = MemberFile.Synthetic(30);
        var moved = MemberFile.Person(2);
        moved[12] = "20150401";                     // another period of person 2, 28 rows later …
        moved[7] = "千葉県千葉市美浜区新港1番地";    // … at another address
        file.Add(moved);
        var path = file.Write(Path.Combine(database.Directory, "members.csv"));

        var first = await InProcess.RunAsync(new LoadMembersJob(path), database.Settings(chunkSize: 10));
        var audit = await database.CountAsync("audit_log");
        var second = await InProcess.RunAsync(new LoadMembersJob(path), database.Settings(chunkSize: 10));

        first.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, first.Error);
        first.Error.ShouldContain("members.csv 32行目 項目「宛名番号」: 同じ宛名番号の 4 行目と");
        (await database.RowsAsync($"SELECT address FROM person WHERE atena_number = '{MemberFile.Person(2)[0]}'")).ShouldBe([MemberFile.Person(2)[7]]);
        second.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, second.Error);
        using var counts = JsonDocument.Parse(second.Summary!);
        counts.RootElement.GetProperty("counts").GetProperty("updated").GetInt64().ShouldBe(0);
        (await database.CountAsync("audit_log")).ShouldBe(audit);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task LoadMembers_TwoRowsOfOnePeriodThatDisagree_LaterRejected_SecondLoadChangesNothing(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = MemberFile.Synthetic(30);
        var period = MemberFile.Person(4);
        period[11] = "4";                           // the same 資格取得年月日 of person 4, 26 rows later, with another 種別
        file.Add(period);
        var path = file.Write(Path.Combine(database.Directory, "members.csv"));

        var first = await InProcess.RunAsync(new LoadMembersJob(path), database.Settings(chunkSize: 10));
        var audit = await database.CountAsync("audit_log");
        var second = await InProcess.RunAsync(new LoadMembersJob(path), database.Settings(chunkSize: 10));

        first.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, first.Error);
        first.Error.ShouldContain("members.csv 32行目 項目「資格取得年月日」: 同じ宛名番号・資格取得年月日の 6 行目と");
        (await database.RowsAsync($"SELECT insured_category FROM qualification WHERE atena_number = '{MemberFile.Person(4)[0]}'")).ShouldBe([MemberFile.Person(4)[11]]);
        second.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, second.Error);
        using var counts = JsonDocument.Parse(second.Summary!);
        counts.RootElement.GetProperty("counts").GetProperty("updated").GetInt64().ShouldBe(0);
        (await database.CountAsync("audit_log")).ShouldBe(audit);
    }
}
