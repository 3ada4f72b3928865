using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Retention;
using NenkinBatch.Foundation;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Purge;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Purge;

/// <summary>
/// The purge's read-only questions, answered without a run: the holds (<c>hold list</c>) and whether a record was erased
/// (<c>was-erased KIND KEY</c>), answered by digesting the key again under the key file: the purge log itself never names it.
/// </summary>
public sealed class PurgeQueries(Settings settings, bool databaseFromCommandLine, TextWriter output, TimeProvider clock) : IAsyncDisposable
{
    private readonly Store _store = Store.Create(DatabaseTarget.Parse(settings.Database, databaseFromCommandLine));

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    public async Task<int> ListHoldsAsync(bool all, CancellationToken cancellationToken)
    {
        _store.CheckUsable(creating: false);
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _store.OpenAsync(cancellationToken);
        var today = BusinessClock.Today(clock);
        var holds = (await PurgeStore.For(_store).HoldsAsync(connection, null, settings.Municipality, cancellationToken)).Where(h => all || h.InForceOn(today)).ToList();
        if (holds.Count == 0)
        {
            output.WriteLine(all ? "保存の継続の記録はありません。" : "有効な保存の継続はありません。");
            return (int)ExitCode.Success;
        }
        output.WriteLine("番号  対象                              期限        状態    理由");
        foreach (var h in holds)
        {
            var state = h.RemovedAt is not null ? "解除" : h.Until < today ? "期限切れ" : "有効";
            output.WriteLine($"{h.HoldId,4}  {new HoldTarget(h.Kind, h.Key).Label,-32}  {CalendarDate.ToIso(h.Until)}  {state,-6}  {h.Reason}{(h.RemovedReason is { } r ? $"（解除: {r}）" : "")}");
        }
        return (int)ExitCode.Success;
    }

    public async Task<int> WasErasedAsync(string kindName, string key, CancellationToken cancellationToken)
    {
        if (!RecordKinds.TryParse(kindName, out var kind))
            throw new OperatorException(ExitCode.UsageError, $"種類「{kindName}」はありません。{string.Join("、", RecordKinds.All.Select(RecordKinds.Name))} のどれかを指定してください。");
        _store.CheckUsable(creating: false);
        await EnsureSchemaAsync(cancellationToken);
        var keyFile = IndividualNumberKeys.KeyFileOf(_store, settings.KeyFile);
        var protector = IndividualNumberProtector.FromKeyFile(keyFile, createIfMissing: false);
        var digest = protector.ErasureDigest(settings.Municipality.Value, RecordKinds.Name(kind), key);
        await using var connection = await _store.OpenAsync(cancellationToken);
        var rows = await PurgeStore.For(_store).ErasuresAsync(connection, settings.Municipality, RecordKinds.Name(kind), digest, cancellationToken);
        if (rows.Count == 0)
        {
            output.WriteLine($"{RecordKinds.Label(kind)} {key}: 消去の記録はありません（消去されていないか、種類・番号・鍵ファイルが違います）。");
            return (int)ExitCode.Success;
        }
        foreach (var r in rows)
            output.WriteLine($"{RecordKinds.Label(kind)} {key}: {BusinessClock.ToTokyo(r.DeletedAt):yyyy-MM-dd HH:mm} に消去（削除計画 {r.PlanId}、実行番号 {r.RunId}、" +
                             $"起算日 {CalendarDate.ToIso(r.EventDate)}、保存 {r.PeriodYears.ToString(CultureInfo.InvariantCulture)} 年、規則 {r.Rule}）");
        return (int)ExitCode.Success;
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        var pending = await new Migrator(_store, clock).PendingAsync(cancellationToken);
        if (pending.Count > 0)
            throw new OperatorException(ExitCode.RefusedBySafetyRule,
                $"データベースのスキーマが最新ではありません（未適用: {string.Join(", ", pending.Select(m => $"{m.Version:D4}_{m.Name}"))}）。先に nenkin-admin db migrate を実行してください。");
    }
}
