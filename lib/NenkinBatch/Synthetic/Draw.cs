namespace NenkinBatch.Synthetic;

/// <summary>
/// Selection sampling (Knuth's algorithm S), by rows: exactly <c>wanted</c> rows over <c>population</c>
/// candidates in one pass, one or two rows a chosen candidate.
/// </summary>
internal sealed class Draw(long wanted, long population)
{
    private long _wanted = wanted;
    private long _left = population;

    public int Take(SplitMix random, bool twoIfPossible)
    {
        if (_left <= 0) return 0;
        var chosen = random.NextDouble() * _left < _wanted;
        _left--;
        if (!chosen) return 0;
        var rows = twoIfPossible && _wanted > 1 && _wanted - 2 <= _left ? 2 : 1;
        _wanted -= rows;
        return rows;
    }
}
