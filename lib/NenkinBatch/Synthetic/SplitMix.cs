namespace NenkinBatch.Synthetic;

/// <summary>
/// SplitMix64: a small, fast generator whose output is fixed by its algorithm, not by the runtime,
/// so one seed gives the same city byte for byte on any machine and any .NET version.
/// </summary>
public sealed class SplitMix(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64() => Mix(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>
    /// A generator of one thing's own (a household, a person, a list row) for one purpose: the same seed, salt and index give
    /// the same sequence whatever was drawn before or elsewhere. What is drawn from it changes no other draw of the city, so a
    /// perturbation added or a rate changed leaves every row it does not touch as it was.
    /// </summary>
    public static SplitMix For(ulong seed, ulong salt, long index) => new(Mix(Mix(seed ^ salt) + (ulong)index));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [0, n).</summary>
    public int Next(int n) => (int)(NextUInt64() % (ulong)n);

    public int Between(int low, int high) => low + Next(high - low + 1);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A generator for another purpose, independent of this one's sequence.</summary>
    public SplitMix Fork(ulong salt) => new(NextUInt64() ^ salt);
}
