namespace NenkinBatch.Formats.Reports;
// TEMPORARY stub until the reader lands.
public sealed record WorkbookDecision(string Sheet, int Row, string FingerprintText, string Choice, string ClerkAtena);
public static class ReconcileWorkbookReader
{
    public static Task<IReadOnlyList<WorkbookDecision>> ReadAsync(string path, CancellationToken cancellationToken) => throw new NotImplementedException();
}
