namespace NenkinBatch.Matching;

/// <summary>
/// Every distinct comparison string (and 個人番号 digest) of the people on file, numbered from 1: the vocabulary
/// <see cref="MatchKeys"/> are written in. Also makes the people share one instance of each string.
/// </summary>
public sealed class Symbols
{
    private readonly Dictionary<string, int> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<byte[], int> _digests = new(ByteArrayComparer.Instance);

    public int Add(string text) => Add(_texts, text);
    public int Add(byte[] digest) => Add(_digests, digest);

    /// <summary>The number of a string someone on file has, or -1 (equal to no one's).</summary>
    public int Find(string text) => _texts.GetValueOrDefault(text, -1);
    public int Find(byte[] digest) => _digests.GetValueOrDefault(digest, -1);

    private static int Add<T>(Dictionary<T, int> table, T value) where T : notnull
    {
        ref var id = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(table, value, out var exists);
        if (!exists) id = table.Count;
        return id;
    }
}

internal sealed class ByteArrayComparer : IEqualityComparer<byte[]>
{
    public static ByteArrayComparer Instance { get; } = new();
    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
    public int GetHashCode(byte[] obj) => obj.Length >= 4 ? BitConverter.ToInt32(obj, 0) : obj.Length;
}
