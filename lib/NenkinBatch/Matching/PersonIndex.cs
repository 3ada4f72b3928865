using NenkinBatch.Domain;

namespace NenkinBatch.Matching;

/// <summary>
/// The people on file with the blocking keys that find a row's candidates without comparing all pairs:
/// 基礎年金番号, 個人番号 digest, birth date (a 不詳 date by its year), and the loose kana key of the whole
/// name within two years of birth (which finds a person whose birth date JPS has wrong). Each key is a
/// chain through one int array, so a million people cost a few megabytes of index.
/// </summary>
public sealed class PersonIndex
{
    private readonly List<PersonOnFile> _people = [];
    private readonly Chains<string> _pension = new(StringComparer.Ordinal);
    private readonly Chains<byte[]> _digest = new(ByteArrayComparer.Instance);
    private readonly Chains<int> _birth = new(EqualityComparer<int>.Default);
    private readonly Chains<string> _kana = new(StringComparer.Ordinal);

    public int Count => _people.Count;
    public PersonOnFile this[int index] => _people[index];
    public IReadOnlyList<PersonOnFile> People => _people;

    public int Add(PersonOnFile person)
    {
        var index = _people.Count;
        _people.Add(person);
        var candidate = person.Candidate;
        if (candidate.BasicPensionNumber is { } pension) _pension.Add(pension, index);
        if (candidate.NumberDigest is { } digest) _digest.Add(digest, index);
        _birth.Add(BirthKey(candidate.BirthDate), index);
        _kana.Add(person.Kana.Loose, index);
        return index;
    }

    /// <summary>The people holding this 基礎年金番号 (one, unless the city's file has a slip).</summary>
    public IEnumerable<int> WithPensionNumber(string number) => _pension.Get(number);

    /// <summary>The row's candidates, each once, in index order (so that ties break the same way every run).</summary>
    public List<int> CandidatesFor(RowIdentity row)
    {
        var found = new List<int>(16);
        var jps = row.Described;
        if (jps.BasicPensionNumber is { } pension) found.AddRange(_pension.Get(pension));
        if (jps.NumberDigest is { } digest) found.AddRange(_digest.Get(digest));
        found.AddRange(_birth.Get(jps.BirthDate.DayNumber));
        found.AddRange(_birth.Get(-jps.BirthDate.Year));
        foreach (var index in _kana.Get(row.Kana.Loose))
        {
            if (Math.Abs(_people[index].Candidate.BirthDate.Year - jps.BirthDate.Year) <= 2) found.Add(index);
        }
        found.Sort();
        var distinct = 0;
        for (var i = 0; i < found.Count; i++)
        {
            if (i == 0 || found[i] != found[i - 1]) found[distinct++] = found[i];
        }
        found.RemoveRange(distinct, found.Count - distinct);
        return found;
    }

    /// <summary>A complete date by its day number; a 不詳 date by its (negated) year, which is all it knows for sure.</summary>
    private static int BirthKey(BirthDate date) => date.Date is { } day ? day.DayNumber : -date.Year;

    /// <summary>Key → the first index; each index → the next with the same key.</summary>
    private sealed class Chains<TKey>(IEqualityComparer<TKey> comparer) where TKey : notnull
    {
        private readonly Dictionary<TKey, int> _heads = new(comparer);
        private readonly List<int> _next = [];

        public void Add(TKey key, int index)
        {
            while (_next.Count <= index) _next.Add(-1);
            _next[index] = _heads.TryGetValue(key, out var head) ? head : -1;
            _heads[key] = index;
        }

        public IEnumerable<int> Get(TKey key)
        {
            if (!_heads.TryGetValue(key, out var index)) yield break;
            for (; index >= 0; index = _next[index]) yield return index;
        }
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static ByteArrayComparer Instance { get; } = new();
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => obj.Length >= 4 ? BitConverter.ToInt32(obj, 0) : obj.Length;
    }
}
