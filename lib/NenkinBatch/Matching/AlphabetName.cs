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

    public static HashSet<string> Tokens(string name) =>
        name.Normalize(NormalizationForm.FormKC).ToUpper(CultureInfo.InvariantCulture)
            .Split([' ', '\u3000', ',', '.'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
