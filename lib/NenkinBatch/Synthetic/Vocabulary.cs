using System.Globalization;

namespace NenkinBatch.Synthetic;

/// <summary>A surname as the register holds it and as JPS writes it (JIS X 0208 only).</summary>
public sealed record Surname(string Register, string Jps, string Kana);

public sealed record GivenName(string Kanji, string Kana);

public sealed record ForeignPart(string Alphabet, string Kana, string KanaVariant, string Nationality);

/// <summary>A town of the city: with 丁目 (中央１丁目２番３号), or written 町名＋番地 (<paramref name="Banchi"/>: 土気町３７番地２９).</summary>
public sealed record Town(string Ward, string Name, string PostalCode, bool Banchi = false);

/// <summary>Items drawn by weight.</summary>
public sealed class Weighted<T>(IReadOnlyList<(T Item, int Weight)> entries)
{
    private readonly T[] _items = entries.Select(e => e.Item).ToArray();
    private readonly long[] _cumulative = Cumulate(entries.Select(e => (long)e.Weight));

    public IReadOnlyList<T> Items => _items;

    public T Draw(SplitMix random)
    {
        var target = (long)(random.NextDouble() * _cumulative[^1]);
        var index = Array.BinarySearch(_cumulative, target + 1);
        return _items[index >= 0 ? index : ~index];
    }

    private static long[] Cumulate(IEnumerable<long> weights)
    {
        long sum = 0;
        return weights.Select(w => sum += w).ToArray();
    }
}

/// <summary>
/// The synthetic city's vocabularies: data files in Synthetic/Data, sized for realistic frequencies
/// (a few hundred surnames weighted by rank, so that common names collide as they do in a real city).
/// </summary>
public sealed class Vocabulary
{
    public required Weighted<Surname> Surnames { get; init; }
    public required Weighted<GivenName> MaleNames { get; init; }
    public required Weighted<GivenName> FemaleNames { get; init; }
    public required IReadOnlyList<ForeignPart> ForeignFamilies { get; init; }
    public required IReadOnlyList<ForeignPart> ForeignGiven { get; init; }
    /// <summary>Towns with 丁目.</summary>
    public required IReadOnlyList<Town> Towns { get; init; }
    /// <summary>Towns written 町名＋番地, no 丁目 (土気町, 園生町 …).</summary>
    public required IReadOnlyList<Town> BanchiTowns { get; init; }
    public required IReadOnlyList<string> Buildings { get; init; }

    /// <summary>Other names with the same reading, by reading: the kanji a clerk might write by mistake.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Homophones { get; init; }

    public static Vocabulary BuiltIn { get; } = Load();

    private static Vocabulary Load()
    {
        var surnames = Rows("surnames.tsv").Select(r => (new Surname(r[0], r[1], r[2]), Int(r[3]))).ToList();
        var male = Rows("given-male.tsv").Select(r => (new GivenName(r[0], r[1]), Int(r[2]))).ToList();
        var female = Rows("given-female.tsv").Select(r => (new GivenName(r[0], r[1]), Int(r[2]))).ToList();
        var foreign = Rows("foreign-names.tsv").ToList();
        return new Vocabulary
        {
            Surnames = new Weighted<Surname>(surnames),
            MaleNames = new Weighted<GivenName>(male),
            FemaleNames = new Weighted<GivenName>(female),
            ForeignFamilies = foreign.Where(r => r[0] == "family").Select(r => new ForeignPart(r[1], r[2], r[3], r[4])).ToList(),
            ForeignGiven = foreign.Where(r => r[0] == "given").Select(r => new ForeignPart(r[1], r[2], r[3], "")).ToList(),
            Towns = Rows("towns.tsv").Select(r => new Town(r[0], r[1], r[2])).ToList(),
            BanchiTowns = Rows("banchi-towns.tsv").Select(r => new Town(r[0], r[1], r[2], Banchi: true)).ToList(),
            Buildings = Rows("buildings.tsv").Select(r => r[0]).ToList(),
            Homophones = male.Concat(female).Select(g => g.Item1)
                .GroupBy(g => g.Kana, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(n => n.Kanji).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal),
        };
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static IEnumerable<string[]> Rows(string file)
    {
        using var stream = typeof(Vocabulary).Assembly.GetManifestResourceStream($"synthetic/{file}")
            ?? throw new InvalidOperationException($"vocabulary {file} is missing from the assembly");
        using var reader = new StreamReader(stream);
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            rows.Add(line.Split('\t'));
        }
        return rows;
    }
}
