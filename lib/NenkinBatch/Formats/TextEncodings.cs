using System.Text;

namespace NenkinBatch.Formats;

/// <summary>The encodings the suite reads and writes: CP932 (Shift_JIS with Microsoft's extensions) and UTF-8.</summary>
public static class TextEncodings
{
    /// <summary>
    /// CP932 that throws on bytes or characters it cannot map: a wrong file must fail loudly, never become "?".
    /// It decodes every pair of Microsoft's table, the decode-only ones too (<see cref="Cp932DecodeOnlyCodes"/>).
    /// </summary>
    public static Encoding Cp932Strict { get; } = RegisterCodePages().GetEncoding(932, EncoderFallback.ExceptionFallback, Cp932DecodeOnlyCodes.Instance)!;

    public static Encoding Utf8Strict { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Encoding ByName(string name) => name.ToLowerInvariant() switch
    {
        "cp932" or "shift_jis" or "sjis" or "windows-31j" => Cp932Strict,
        "utf-8" or "utf8" => Utf8Strict,
        _ => throw new ArgumentException($"unknown encoding {name}", nameof(name)),
    };

    // Static initialisers run in order, before any static constructor body: the provider must be registered by the first one.
    private static EncodingProvider RegisterCodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return CodePagesEncodingProvider.Instance;
    }
}
