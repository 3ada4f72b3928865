using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace NenkinBatch.Tests.Support;

/// <summary>
/// Remembers every 個人番号 the tests write into input files, and finds any of them in text a run
/// produced. Every test database checks its log files when it is disposed, so no test run — not
/// only the privacy tests — can leak a number into a log without failing.
/// </summary>
public static partial class PrivacyGuard
{
    private static readonly ConcurrentDictionary<string, bool> Known = new(StringComparer.Ordinal);

    public static void Remember(string individualNumber) => Known.TryAdd(individualNumber, true);

    public static IReadOnlyList<string> LeakedIn(string text) =>
        TwelveDigits().Matches(text).Select(m => m.Value).Where(Known.ContainsKey).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex("(?<![0-9])[0-9]{12}(?![0-9])")]
    private static partial Regex TwelveDigits();
}
