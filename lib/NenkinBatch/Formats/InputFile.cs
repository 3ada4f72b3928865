using System.Security.Cryptography;
using System.Text;

namespace NenkinBatch.Formats;

/// <summary>
/// What a job learns about an input file before it reads a row: its SHA-256 (the file's identity
/// for the run registry) and whether it decodes at all — a file that does not decode is
/// rejected whole, before anything from it is stored.
/// </summary>
public sealed record InputFile(string Path, string Name, long Length, string Sha256, Encoding Encoding)
{
    public static Task<InputFile> InspectUtf8Async(string path, CancellationToken cancellationToken) =>
        InspectAsync(path, "utf-8", cancellationToken);

    /// <param name="encoding"><c>auto</c> (UTF-8 when the bytes are valid UTF-8, else CP932), <c>utf-8</c> or <c>cp932</c>.</param>
    public static async Task<InputFile> InspectAsync(string path, string encoding, CancellationToken cancellationToken)
    {
        var name = System.IO.Path.GetFileName(path);
        if (!File.Exists(path))
            throw new InputRejectedException(name, "ファイルがありません。", $"パス {path} を確認してください。");

        var candidates = encoding.ToLowerInvariant() switch
        {
            "auto" => new[] { TextEncodings.Utf8Strict, TextEncodings.Cp932Strict },
            _ => [TextEncodings.ByName(encoding)],
        };
        var decoders = candidates.Select(e => (Encoding: e, Decoder: e.GetDecoder(), FailedAtLine: (long?)null, Lines: 1L)).ToArray();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var chars = new char[buffer.Length + 4];
        long length = 0;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
            for (var i = 0; i < decoders.Length; i++) Decode(ref decoders[i], buffer.AsSpan(0, read), flush: false);
        }
        for (var i = 0; i < decoders.Length; i++) Decode(ref decoders[i], [], flush: true);

        var chosen = decoders.FirstOrDefault(d => d.FailedAtLine is null);
        if (chosen.Encoding is null)
        {
            var first = decoders[0];
            var what = decoders.Length > 1 ? "UTF-8 としても CP932（Shift_JIS）としても" : $"{Describe(first.Encoding)} として";
            throw new InputRejectedException(name, $"{first.FailedAtLine}行目付近に{what}読めないバイトがあります（文字コードが違うか、ファイルが壊れています）。",
                decoders.Length > 1 ? "送付元に正しいファイルを依頼してください。" : $"{Describe(first.Encoding)} で出力し直すか、--encoding で正しい文字コードを指定してください。");
        }
        return new InputFile(path, name, length, Convert.ToHexStringLower(hash.GetHashAndReset()), chosen.Encoding);

        void Decode(ref (Encoding Encoding, Decoder Decoder, long? FailedAtLine, long Lines) d, ReadOnlySpan<byte> bytes, bool flush)
        {
            if (d.FailedAtLine is not null) return;
            try
            {
                var count = d.Decoder.GetChars(bytes, chars, flush);
                d.Lines += chars.AsSpan(0, count).Count('\n');
            }
            catch (DecoderFallbackException)
            {
                d.FailedAtLine = d.Lines;
            }
        }
    }

    private static string Describe(Encoding encoding) => encoding.CodePage == 932 ? "CP932（Shift_JIS）" : "UTF-8";
}
