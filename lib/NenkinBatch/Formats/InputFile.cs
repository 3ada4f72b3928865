using System.Security.Cryptography;
using System.Text;

namespace NenkinBatch.Formats;

/// <summary>
/// What a job learns about an input file before it reads a row: its SHA-256 (the file's identity
/// for the run registry) and whether it decodes at all — a file that does not decode is
/// rejected whole, before anything from it is stored.
/// </summary>
public sealed record InputFile(string Path, string Name, long Length, string Sha256)
{
    public static async Task<InputFile> InspectUtf8Async(string path, CancellationToken cancellationToken)
    {
        var name = System.IO.Path.GetFileName(path);
        if (!File.Exists(path))
            throw new InputRejectedException(name, "ファイルがありません。", $"パス {path} を確認してください。");

        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var chars = new char[buffer.Length + 4];
        long length = 0;
        long lineNumber = 1;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
            try
            {
                var count = decoder.GetChars(buffer, 0, read, chars, 0, flush: false);
                lineNumber += chars.AsSpan(0, count).Count('\n');
            }
            catch (DecoderFallbackException)
            {
                throw new InputRejectedException(name, $"{lineNumber}行目付近に UTF-8 として読めないバイトがあります（Shift_JIS/CP932 で保存されている可能性があります）。",
                    "UTF-8 で出力し直してから再実行してください。");
            }
        }
        try
        {
            decoder.GetChars(buffer, 0, 0, chars, 0, flush: true);
        }
        catch (DecoderFallbackException)
        {
            throw new InputRejectedException(name, "ファイルの末尾が UTF-8 の途中で切れています（転送が途中で止まった可能性があります）。",
                "元のファイルを取り直してから再実行してください。");
        }
        return new InputFile(path, name, length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
