using System.Diagnostics;
using NenkinBatch.Foundation;
using NenkinBatch.Runtime;
using NenkinBatch.Synthetic;

namespace NenkinBatch.Jobs.Admin;

/// <summary>
/// <c>nenkin-admin generate</c>: a synthetic city for samples, tests and benchmarks. No real person's data, ever.
/// The command line has already checked the options (--people at least 1, a valid municipality code).
/// </summary>
public static class GenerateCommand
{
    public static Task<int> RunAsync(CityOptions options, string directory, TextWriter output, CancellationToken cancellationToken)
    {
        PrivateFolder.Prepare(directory, "出力フォルダー", "--out");
        var stopwatch = Stopwatch.StartNew();
        var counts = new CityGenerator(options).Generate(directory, cancellationToken);
        using var self = Process.GetCurrentProcess();
        output.WriteLine($"{directory}: 住民 {counts.People:N0} 人（国民年金の対象 {counts.OnFile:N0} 人、members.csv {counts.MemberRows:N0} 行）、" +
                         $"処理結果一覧表 {counts.JpsRows:N0} 行、住基 初期履歴 {counts.JukiHistoryRows:N0} 行・日次差分 {counts.JukiDelta1Rows:N0} 行＋{counts.JukiDelta2Rows:N0} 行、" +
                         $"あるべきフォローアップ {counts.FollowUps:N0} 件（種 {options.Seed}）");
        output.WriteLine($"所要 {stopwatch.Elapsed.TotalSeconds:F1} 秒、最大メモリ {self.PeakWorkingSet64 / 1048576.0:F0} MB");
        return Task.FromResult((int)ExitCode.Success);
    }
}
