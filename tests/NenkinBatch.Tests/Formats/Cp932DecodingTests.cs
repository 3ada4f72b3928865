using System.Text;
using NenkinBatch.Formats;

namespace NenkinBatch.Tests.Formats;

/// <summary>CP932 as Windows-31J: every pair of Microsoft's table decodes, the decode-only pairs to the character of the pair they duplicate.</summary>
public class Cp932DecodingTests
{
    /// <summary>Every double-byte cell: lead 0x81–0x9F or 0xE0–0xFC, trail 0x40–0xFC without 0x7F.</summary>
    private static IEnumerable<byte[]> DoubleByteCells()
    {
        for (var lead = 0x81; lead <= 0xFC; lead++)
        {
            if (lead is >= 0xA0 and <= 0xDF) continue;
            for (var trail = 0x40; trail <= 0xFC; trail++)
            {
                if (trail != 0x7F) yield return [(byte)lead, (byte)trail];
            }
        }
    }

    [Fact]
    public void Cp932Strict_WholeTable_DecodesAsThePlatformsFullTable_AndRoundTrips()
    {
        // The platform's provider with its own best-fit decoding knows the whole Microsoft table; it writes U+30FB for a cell
        // that is not in it (0x8145 is ・ itself). The round-trip table (exception fallback) is the other witness: what it decodes must not change.
        var full = CodePagesEncodingProvider.Instance.GetEncoding(932)!;
        var roundTrip = CodePagesEncodingProvider.Instance.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)!;
        int defined = 0, decodeOnly = 0, undefined = 0;
        foreach (var cell in DoubleByteCells())
        {
            var expected = full.GetString(cell);
            var hex = Convert.ToHexString(cell);
            if (expected == "\u30FB" && hex != "8145")
            {
                Should.Throw<DecoderFallbackException>(() => TextEncodings.Cp932Strict.GetString(cell), hex);
                undefined++;
                continue;
            }
            var decoded = TextEncodings.Cp932Strict.GetString(cell);
            decoded.ShouldBe(expected, hex);
            defined++;
            // Round trip: the character encodes to its own pair, which decodes to it again.
            var canonical = TextEncodings.Cp932Strict.GetBytes(decoded);
            TextEncodings.Cp932Strict.GetString(canonical).ShouldBe(decoded, hex);
            if (!canonical.AsSpan().SequenceEqual(cell))
            {
                decodeOnly++;
                Should.Throw<DecoderFallbackException>(() => roundTrip.GetString(cell), hex);
            }
        }
        // JIS X 0208 6,879 + NEC row 13 83 + NEC-selected IBM 374 + IBM 388, and the user-defined area 0xF040–0xF9FC (1,880).
        (defined, decodeOnly).ShouldBe((6879 + 83 + 374 + 388 + 1880, 398));
        undefined.ShouldBe(DoubleByteCells().Count() - defined);
    }

    [Theory]
    [InlineData("EEE0", "髙", "FBFC")]
    [InlineData("ED95", "\uFA11", "FAB1")]
    [InlineData("8790", "≒", "81E0")]
    [InlineData("EEEF", "ⅰ", "FA40")]
    [InlineData("FA4A", "Ⅰ", "8754")]
    [InlineData("FA54", "￢", "81CA")]
    public void Cp932Strict_DecodeOnlyPair_IsTheCharacterOfThePairItDuplicates(string pair, string character, string canonical)
    {
        TextEncodings.Cp932Strict.GetString(Convert.FromHexString(pair)).ShouldBe(character);
        Convert.ToHexString(TextEncodings.Cp932Strict.GetBytes(character)).ShouldBe(canonical);
    }

    [Fact]
    public void Cp932Strict_DecodeOnlyPairInsideText_StreamingDecoderSplitAcrossBuffers()
    {
        var bytes = Convert.FromHexString("41EEE042ED9543");
        for (var split = 0; split <= bytes.Length; split++)
        {
            var decoder = TextEncodings.Cp932Strict.GetDecoder();
            var chars = new char[16];
            var n = decoder.GetChars(bytes.AsSpan(0, split), chars, flush: false);
            n += decoder.GetChars(bytes.AsSpan(split), chars.AsSpan(n), flush: true);
            new string(chars, 0, n).ShouldBe("A髙B\uFA11C", $"split at {split}");
        }
    }

    [Fact]
    public void Cp932Strict_UndefinedPair_StillRefused_WithItsPosition()
    {
        var e = Should.Throw<DecoderFallbackException>(() => TextEncodings.Cp932Strict.GetString(Convert.FromHexString("4142EEED")));
        e.Index.ShouldBe(2);
        Convert.ToHexString(e.BytesUnknown!).ShouldBe("EEED");
    }
}
