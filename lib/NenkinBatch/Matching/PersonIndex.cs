using NenkinBatch.Domain;

namespace NenkinBatch.Matching;

/// <summary>
/// The people on file with the blocking keys that find a row's candidates without comparing all pairs:
/// 基礎年金番号, 個人番号 digest, birth date (a 不詳 date by its year), and the loose kana key of the whole
/// name with the birth year, looked up for the row's year and the two either side (which finds a person whose
/// birth date JPS has wrong). The year is part of the kana key rather than a filter on the chain: a common name's
/// chain in a city of a million runs to thousands, and walking it for every row was once the job's whole cost.
/// Each key is a chain through one int array, so a million people cost a few megabytes of index; the keys are
/// the numbers of the strings in <see cref="Symbols"/>, so a lookup hashes an int. People added in birth-date
/// order (as reconcile loads them) make a birth-date chain
/// neighbours in memory; the order changes no decision.
/// </summary>
public sealed class PersonIndex
{
    private readonly List<PersonOnFile> _people = [];
    private readonly List<MatchKeys> _keys = [];
    private readonly Symbols _symbols = new();
    private readonly Chains<int> _pensionNumber = new();
    private readonly Chains<int> _numberDigest = new();
    private readonly Chains<int> _birth = new();
    private readonly Chains<(int Loose, int Year)> _kana = new();

    public int Count => _people.Count;
    public PersonOnFile this[int index] => _people[index];
    public IReadOnlyList<PersonOnFile> People => _people;

    /// <summary>A person's comparison keys, all people's side by side in one array (see <see cref="MatchKeys"/>).</summary>
    public ref readonly MatchKeys KeysOf(int index) => ref System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_keys)[index];

    /// <summary>A row's comparison keys, in the vocabulary of the people on file.</summary>
    public MatchKeys KeysOf(RowIdentity row) => MatchKeys.Of(row, _symbols);

    /// <summary>
    /// A person's place in 宛名番号 order: ties between candidates break on it, so the same input gives the same
    /// decision whatever order people were added in — without reading 宛名番号 strings scattered over the heap.
    /// </summary>
    public int AtenaRank(int index) => (Volatile.Read(ref _atenaRanks) ?? RankAll())[index];

    /// <summary>Ranks everyone once, when first asked (under a lock: the matcher decides rows on several threads).</summary>
    private int[] RankAll()
    {
        lock (_people)
        {
            if (_atenaRanks is { } done) return done;
            var order = Enumerable.Range(0, _people.Count).ToArray();
            Array.Sort(_people.Select(p => p.AtenaNumber).ToArray(), order, StringComparer.Ordinal);
            var ranks = new int[order.Length];
            for (var rank = 0; rank < order.Length; rank++) ranks[order[rank]] = rank;
            Volatile.Write(ref _atenaRanks, ranks);
            return ranks;
        }
    }

    private int[]? _atenaRanks;

    public int Add(PersonOnFile person, KanjiName kanji) => Add(person, person.Forms(kanji));

    /// <summary>Adds a person with their comparison forms, prepared beforehand (on any thread; adding is one at a time).</summary>
    public int Add(PersonOnFile person, ComparisonForms forms)
    {
        Volatile.Write(ref _atenaRanks, null);
        var index = _people.Count;
        var keys = MatchKeys.Of(person.Candidate, forms, _symbols);
        _people.Add(person);
        _keys.Add(keys);
        if (keys.HasPensionNumber) _pensionNumber.Add(keys.PensionNumber, index);
        if (keys.HasNumberDigest) _numberDigest.Add(keys.NumberDigest, index);
        _birth.Add(BirthKey(keys), index);
        _kana.Add((keys.KanaLoose, keys.BirthYear), index);
        if (person.FormerAddresses.Count > 0)
            _formerAddresses[index] = person.FormerAddresses.Select(f => (_symbols.Add(AddressCanon.Parse(f.Address).Canonical), f)).ToArray();
        return index;
    }

    private readonly Dictionary<int, (int Canonical, FormerValue Former)[]> _formerAddresses = [];

    /// <summary>The person's former address (住所履歴) that is, in canonical form, the row's address; null when none is.</summary>
    public FormerValue? FormerAddressOf(int person, in MatchKeys row)
    {
        if (!row.HasAddress || !_formerAddresses.TryGetValue(person, out var formers)) return null;
        foreach (var (canonical, former) in formers)
            if (canonical == row.AddressCanonical) return former;
        return null;
    }

    /// <summary>The people holding this 基礎年金番号 (one, unless the city's file has a slip).</summary>
    public List<int> WithPensionNumber(string number)
    {
        var holders = new List<int>(1);
        for (var i = _pensionNumber.First(_symbols.Find(number)); i >= 0; i = _pensionNumber.Next(i)) holders.Add(i);
        return holders;
    }

    /// <summary>A row's candidates (see <see cref="KeysOf(RowIdentity)"/>), each once, in no particular order, into a buffer the deciding thread reuses.</summary>
    public void CandidatesFor(in MatchKeys row, CandidateBuffer buffer)
    {
        buffer.Start(_people.Count);
        if (row.HasPensionNumber) Collect(_pensionNumber, row.PensionNumber, buffer);
        if (row.HasNumberDigest) Collect(_numberDigest, row.NumberDigest, buffer);
        Collect(_birth, row.BirthDay, buffer);
        Collect(_birth, -row.BirthYear, buffer);
        if (row.KanaLoose >= 0)
        {
            for (var year = row.BirthYear - 2; year <= row.BirthYear + 2; year++) Collect(_kana, (row.KanaLoose, year), buffer);
        }
    }

    private static void Collect<TKey>(Chains<TKey> chains, TKey key, CandidateBuffer buffer) where TKey : notnull
    {
        for (var i = chains.First(key); i >= 0; i = chains.Next(i)) buffer.Add(i);
    }

    /// <summary>A complete date by its day number; a 不詳 date by its (negated) year, which is all it knows for sure.</summary>
    private static int BirthKey(in MatchKeys keys) => keys.BirthDay >= 0 ? keys.BirthDay : -keys.BirthYear;

    /// <summary>Key → the first index; each index → the next with the same key.</summary>
    private sealed class Chains<TKey> where TKey : notnull
    {
        private readonly Dictionary<TKey, int> _heads = [];
        private readonly List<int> _next = [];

        public void Add(TKey key, int index)
        {
            while (_next.Count <= index) _next.Add(-1);
            _next[index] = _heads.TryGetValue(key, out var head) ? head : -1;
            _heads[key] = index;
        }

        /// <summary>The last person added with this key, or -1.</summary>
        public int First(TKey key) => _heads.TryGetValue(key, out var index) ? index : -1;

        /// <summary>The person added before this one with the same key, or -1.</summary>
        public int Next(int index) => _next[index];
    }
}
