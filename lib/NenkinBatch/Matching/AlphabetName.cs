using System.Globalization;
using System.Text;

namespace NenkinBatch.Matching;

/// <summary>Alphabet names of foreign residents: NFKC, upper case, compared as a set of tokens (family and given names swap).</summary>
public static class AlphabetName
{
    /// <summary>Through <see cref="Key"/>, the form the matcher compares, so the tests of this rule test the matcher's.</summary>
    public static bool SameTokens(string a, string b) => string.Equals(Key(a), Key(b), StringComparison.Ordinal);

    /// <summary>The token set as one string (sorted, distinct): two names have the same tokens when their keys are equal.</summary>
    public static string Key(string name) => string.Join(" ", Tokens(name).Order(StringComparer.Ordinal));

    /// <summary>A name written in Latin letters (a foreign resident's alphabet name), half- or full-width.</summary>
    public static bool IsAlphabet(string name) => name.Any(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= 'Ａ' and <= 'Ｚ') or (>= 'ａ' and <= 'ｚ'));

    /// <summary>
    /// Two alphabet names compared as token sets whatever their order (docs/domain.md, "Normalisation levels"): the same tokens;
    /// as many tokens, each within a slip of one of the other's; or one token more on one side, the rest within a slip.
    /// </summary>
    public static AlphabetLevel Compare(string rowKey, string personKey)
    {
        if (string.Equals(rowKey, personKey, StringComparison.Ordinal)) return AlphabetLevel.Agrees;
        var a = rowKey.Split(' ');
        var b = personKey.Split(' ');
        var (fewer, more) = a.Length <= b.Length ? (a, b) : (b, a);
        if (more.Length - fewer.Length > 1 || fewer.Length == 0) return AlphabetLevel.Differs;
        var used = new bool[more.Length];
        var exact = 0;
        // Exact tokens first, so that a slip is never paired with a token another one equals.
        var unmatched = new List<string>();
        foreach (var token in fewer)
        {
            var at = Array.FindIndex(more, t => string.Equals(t, token, StringComparison.Ordinal));
            if (at >= 0 && !used[at]) { used[at] = true; exact++; }
            else unmatched.Add(token);
        }
        foreach (var token in unmatched)
        {
            var at = -1;
            for (var i = 0; i < more.Length && at < 0; i++)
                if (!used[i] && WithinSlip(token, more[i])) at = i;
            if (at < 0) return AlphabetLevel.Differs;
            used[at] = true;
        }
        if (more.Length == fewer.Length) return AlphabetLevel.Similar;
        // A dropped name: what is left must still say who it is — at least one token exactly, and more than one letter.
        return exact > 0 && fewer.Sum(t => t.Length) >= 4 ? AlphabetLevel.NameDropped : AlphabetLevel.Differs;
    }

    /// <summary>
    /// One edit (a letter wrong, missing, extra, or two neighbours swapped; JOAO/JOA); two in a token of eight letters or more.
    /// Between tokens of three letters or fewer only a letter doubled or undoubled (LEE/LEEE): any other edit there makes another
    /// name (LEE/LI).
    /// </summary>
    private static bool WithinSlip(string a, string b)
    {
        var shorter = Math.Min(a.Length, b.Length);
        if (Math.Max(a.Length, b.Length) < 4 || shorter < 2) return string.Equals(Undoubled(a), Undoubled(b), StringComparison.Ordinal);
        var allowed = shorter >= 8 ? 2 : 1;
        return Math.Abs(a.Length - b.Length) <= allowed && Distance(a, b, allowed) <= allowed;
    }

    private static string Undoubled(string token)
    {
        var builder = new StringBuilder(token.Length);
        foreach (var c in token)
            if (builder.Length == 0 || builder[^1] != c) builder.Append(c);
        return builder.ToString();
    }

    /// <summary>Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one substring), stopping past <paramref name="limit"/>.</summary>
    private static int Distance(string a, string b, int limit)
    {
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var best = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) current[j] = Math.Min(current[j], previous2[j - 2] + 1);
                best = Math.Min(best, current[j]);
            }
            if (best > limit) return best;
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }

    public static HashSet<string> Tokens(string name) =>
        name.Normalize(NormalizationForm.FormKC).ToUpper(CultureInfo.InvariantCulture)
            .Split([' ', '\u3000', ',', '.'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
