using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace NenkinBatch.Matching;

/// <summary>How two kanji names compared; each a comparison level of its own, strongest first.</summary>
public enum KanjiLevel
{
    Exact,
    /// <summary>Equal once ideographic variation selectors are set aside (辻󠄀 = 辻).</summary>
    WithoutVariationSelectors,
    /// <summary>Equal once 異体字 are folded through the variant table (髙橋 = 高橋). Weaker than exact.</summary>
    VariantFolded,
    /// <summary>Equal with each 〓 (or ■) standing for one character JPS could not write. Weaker still.</summary>
    Wildcard,
    Different,
}

/// <summary>
/// Kanji name comparison (DOMAIN.md): NFC only — never NFKC on kanji; variation selectors stripped for
/// comparison; 異体字 folded through a data table; 〓 a one-character wildcard; Private Use Area characters
/// (外字) equal only to themselves, never folded nor matched by 〓.
/// </summary>
public sealed class KanjiName(FrozenDictionary<int, int> variants)
{
    public static KanjiName BuiltIn { get; } = new(LoadVariants());

    public KanjiLevel Compare(string jps, string local) => Compare(Key(jps), Key(local));

    /// <summary>A name's comparison forms, computed once: NFC without spaces, without variation selectors, variants folded.</summary>
    public KanjiKey Key(string name)
    {
        // One pass over the NFC text: each form built beside the others, and a form equal to the one before it is that same string.
        var normalized = name.IsNormalized(NormalizationForm.FormC) ? name : name.Normalize(NormalizationForm.FormC);
        var exact = new StringBuilder(normalized.Length);
        var stripped = new StringBuilder(normalized.Length);
        var folded = new StringBuilder(normalized.Length);
        var wildcard = false;
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (rune.Value is ' ' or '\u3000') continue;
            Append(exact, rune.Value);
            if (IsVariationSelector(rune.Value)) continue;
            Append(stripped, rune.Value);
            var fold = Fold(rune.Value);
            Append(folded, fold);
            wildcard |= IsWildcard(fold);
        }
        var exactText = exact.ToString();
        var strippedText = stripped.Equals(exactText.AsSpan()) ? exactText : stripped.ToString();
        var foldedText = folded.Equals(strippedText.AsSpan()) ? strippedText : folded.ToString();
        return new KanjiKey(exactText, strippedText, foldedText, wildcard);
    }

    private static void Append(StringBuilder builder, int rune)
    {
        if (rune < 0x10000) builder.Append((char)rune);
        else builder.Append(char.ConvertFromUtf32(rune));
    }

    public static KanjiLevel Compare(KanjiKey jps, KanjiKey local)
    {
        if (string.Equals(jps.Exact, local.Exact, StringComparison.Ordinal)) return KanjiLevel.Exact;
        if (string.Equals(jps.Stripped, local.Stripped, StringComparison.Ordinal)) return KanjiLevel.WithoutVariationSelectors;
        if (string.Equals(jps.Folded, local.Folded, StringComparison.Ordinal)) return KanjiLevel.VariantFolded;
        return jps.HasWildcard && WildcardEqual(jps.Folded, local.Folded) ? KanjiLevel.Wildcard : KanjiLevel.Different;
    }

    private static bool WildcardEqual(string jps, string local)
    {
        var (a, b) = (jps.EnumerateRunes().ToList(), local.EnumerateRunes().ToList());
        return a.Count == b.Count && a.Zip(b).All(p => p.First == p.Second || (IsWildcard(p.First.Value) && !IsPrivateUse(p.Second.Value)));
    }

    private int Fold(int rune) => !IsPrivateUse(rune) && variants.TryGetValue(rune, out var folded) ? folded : rune;

    private static bool IsVariationSelector(int rune) => rune is >= 0xE0100 and <= 0xE01EF or >= 0xFE00 and <= 0xFE0F;
    private static bool IsWildcard(int rune) => rune is '〓' or '■';
    private static bool IsPrivateUse(int rune) => rune is >= 0xE000 and <= 0xF8FF or >= 0xF0000 and <= 0x10FFFD;

    private static FrozenDictionary<int, int> LoadVariants()
    {
        using var stream = typeof(KanjiName).Assembly.GetManifestResourceStream("matching/kanji-variants.tsv")
            ?? throw new InvalidOperationException("kanji variant table missing from the assembly");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, int>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('\t');
            table[char.ConvertToUtf32(parts[0], 0)] = char.ConvertToUtf32(parts[1], 0);
        }
        return table.ToFrozenDictionary();
    }
}

/// <summary>A kanji name's comparison forms (see <see cref="KanjiName.Key"/>).</summary>
public sealed record KanjiKey(string Exact, string Stripped, string Folded, bool HasWildcard);

/// <summary>Alphabet names of foreign residents: NFKC, upper case, compared as a set of tokens (family and given names swap).</summary>
public static class AlphabetName
{
    /// <summary>Through <see cref="Key"/>, the form the matcher compares, so the tests of this rule test the matcher's.</summary>
    public static bool SameTokens(string a, string b) => string.Equals(Key(a), Key(b), StringComparison.Ordinal);

    /// <summary>The token set as one string (sorted, distinct): two names have the same tokens when their keys are equal.</summary>
    public static string Key(string name) => string.Join(" ", Tokens(name).Order(StringComparer.Ordinal));

    /// <summary>A name written in Latin letters (a foreign resident's alphabet name), half- or full-width.</summary>
    public static bool IsAlphabet(string name) => name.Any(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= 'Ａ' and <= 'Ｚ') or (>= 'ａ' and <= 'ｚ'));

    public static HashSet<string> Tokens(string name) =>
        name.Normalize(NormalizationForm.FormKC).ToUpper(CultureInfo.InvariantCulture)
            .Split([' ', '\u3000', ',', '.'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
