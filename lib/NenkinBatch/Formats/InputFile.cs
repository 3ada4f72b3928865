using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NenkinBatch.Formats;

/// <summary>
/// What a job learns about an input file before it reads a row: its SHA-256 (the file's identity
/// for the run registry), whether it decodes at all and whether its last line is complete — a file
/// that does not decode is rejected whole, before anything from it is stored.
/// </summary>
public sealed record InputFile(string Path, string Name, long Length, string Sha256, Encoding Encoding)
{
    /// <summary>The file's lines: line ends counted, plus one for a last line without its own.</summary>
    public long Lines { get; init; }

    /// <summary>Whether the last line (before any trailing EOF bytes 0x1A) ends with CR or LF; true for an empty file.</summary>
    public bool LastLineEnded { get; init; } = true;

    /// <summary>A file of the city's own systems: UTF-8 only.</summary>
    public static Task<InputFile> InspectUtf8Async(string path, CancellationToken cancellationToken) =>
        InspectAsync(path, [TextEncodings.Utf8Strict], "UTF-8 で出力し直してから再実行してください（このファイルは UTF-8 でなければ読めません）。", cancellationToken);

    /// <param name="encoding"><c>auto</c> (UTF-8 when the bytes are valid UTF-8, else CP932), <c>utf-8</c> or <c>cp932</c>.</param>
    public static Task<InputFile> InspectAsync(string path, string encoding, CancellationToken cancellationToken)
    {
        if (encoding.Equals("auto", StringComparison.OrdinalIgnoreCase))
            return InspectAsync(path, [TextEncodings.Utf8Strict, TextEncodings.Cp932Strict], "送付元に正しいファイルを依頼してください。", cancellationToken);
        var forced = TextEncodings.ByName(encoding);
        return InspectAsync(path, [forced], $"{Describe(forced)} で出力し直すか、--encoding で正しい文字コードを指定してください。", cancellationToken);
    }

    private static async Task<InputFile> InspectAsync(string path, Encoding[] candidates, string whenUnreadable, CancellationToken cancellationToken)
    {
        var name = DisplayName(path);
        EnsureRegularFile(path, name);

        var decoders = candidates.Select(e => new Decoding(e)).ToArray();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var chars = new char[buffer.Length + 4];
        long length = 0, lineFeeds = 0;
        byte last = (byte)'\n';
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var bytes = buffer.AsSpan(0, read);
            hash.AppendData(bytes);
            foreach (var d in decoders) d.Decode(bytes, chars, length, lineFeeds, flush: false);
            length += read;
            lineFeeds += bytes.Count((byte)'\n');
            if (bytes.TrimEnd((byte)0x1A) is { Length: > 0 } content) last = content[^1];
        }
        foreach (var d in decoders) d.Decode([], chars, length, lineFeeds, flush: true);

        var chosen = decoders.FirstOrDefault(d => d.FailedAt is null);
        if (chosen is null)
        {
            // The position that matters is where the encoding that read furthest stopped: a CP932 list stops UTF-8 at its first kanji.
            var furthest = decoders.MaxBy(d => d.FailedAt!.Value.Offset)!;
            var (offset, line, unknown) = furthest.FailedAt!.Value;
            var what = decoders.Length > 1 ? "UTF-8 としても CP932（Shift_JIS）としても" : $"{Describe(furthest.Encoding)} として";
            throw new InputRejectedException(name,
                $"{line}行目（ファイルの先頭から {(offset + 1).ToString("N0", CultureInfo.InvariantCulture)} バイト目{unknown}）に{what}読めないバイトがあります（文字コードが違うか、ファイルが壊れています）。",
                whenUnreadable);
        }
        var lastLineEnded = last is (byte)'\n' or (byte)'\r';
        return new InputFile(path, name, length, Convert.ToHexStringLower(hash.GetHashAndReset()), chosen.Encoding)
        {
            Lines = lineFeeds + (lastLineEnded ? 0 : 1),
            LastLineEnded = lastLineEnded,
        };
    }

    /// <summary>The file's name as operators see it: control characters in a name are spelled out, never sent to a console.</summary>
    public static string DisplayName(string path) => FieldText.Printable(System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path)));

    /// <summary>Refuses a path that is not a regular file before anything opens it: a FIFO or a device would block or never end.</summary>
    public static void EnsureRegularFile(string path, string name)
    {
        switch (FileKinds.Of(path))
        {
            case FileKind.Regular:
                return;
            case FileKind.Missing:
                throw new InputRejectedException(name, "ファイルがありません。", $"パス {FieldText.Printable(path)} を確認してください。");
            case var kind:
                throw new InputRejectedException(name, $"{FieldText.Printable(path)} は{FileKinds.Describe(kind)}で、通常のファイルではありません。", "取り込むファイルのパスを指定してください。");
        }
    }

    /// <summary>A list must end with a line end: a last line without one was cut off in transfer, or is still being written.</summary>
    public void EnsureLastLineEnded()
    {
        if (!LastLineEnded)
            throw new InputRejectedException(Name, $"最後の行（{Lines}行目）が改行で終わっていません（転送が途中で止まったか、書き込み中の可能性があります）。",
                "元のファイルを取り直してから再実行してください。");
    }

    /// <summary>Refuses a file that changed after it was inspected: the rows read would not be the content its SHA-256 names.</summary>
    public void EnsureUnchanged(long bytesRead)
    {
        if (bytesRead != Length)
            throw new InputRejectedException(Name, $"読み込みの間にファイルの大きさが変わりました（{Length:N0} バイトから {bytesRead:N0} バイト）。書き込み中の可能性があります。",
                "書き込みが終わってから再実行してください。");
    }

    private static string Describe(Encoding encoding) => encoding.CodePage == 932 ? "CP932（Shift_JIS）" : "UTF-8";

    /// <summary>One candidate encoding decoding the whole file, and where it failed.</summary>
    private sealed class Decoding(Encoding encoding)
    {
        private readonly Decoder _decoder = encoding.GetDecoder();

        public Encoding Encoding { get; } = encoding;
        public (long Offset, long Line, string Unknown)? FailedAt { get; private set; }

        public void Decode(ReadOnlySpan<byte> bytes, char[] chars, long offset, long lineFeedsBefore, bool flush)
        {
            if (FailedAt is not null) return;
            try
            {
                _decoder.GetChars(bytes, chars, flush);
            }
            catch (DecoderFallbackException e)
            {
                // The index is relative to this block, negative when the bad sequence began in the one before.
                // 0x0A is never part of a CP932 or UTF-8 character, so the line ends can be counted in the bytes.
                var index = Math.Clamp(e.Index, 0, bytes.Length);
                var at = Math.Max(0, offset + e.Index);
                FailedAt = (at, lineFeedsBefore + bytes[..index].Count((byte)'\n') + 1,
                    e.BytesUnknown is { Length: > 0 } unknown ? "、" + string.Join(" ", unknown.Select(b => $"0x{b:X2}")) : "");
            }
        }
    }
}
