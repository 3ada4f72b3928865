using System.Collections.Frozen;
using System.Text;

namespace NenkinBatch.Formats;

/// <summary>
/// The 398 byte pairs of Microsoft's CP932 table that decode to a character whose own code is elsewhere:
/// NEC row 13 duplicates of JIS X 0208 symbols, the NEC-selected IBM extensions (rows 89–92, 0xED40–0xEEFC)
/// and the IBM extensions' duplicates of NEC row 13 (0xFA4A–0xFA5B). Windows and most converters write
/// 髙 as 0xFBFC, but Python and several tools write 0xEEE0: both are CP932. The platform's decoder knows
/// them only through its best-fit table, which an exception fallback turns off, so the strict decoder
/// consults this table before it gives up.
/// </summary>
internal sealed class Cp932DecodeOnlyCodes : DecoderFallback
{
    public static Cp932DecodeOnlyCodes Instance { get; } = new();

    /// <summary>Byte pair (lead × 256 + trail) → the character of the pair it duplicates.</summary>
    public FrozenDictionary<int, char> Table { get; }

    public override int MaxCharCount => 1;

    private Cp932DecodeOnlyCodes()
    {
        var canonical = CodePagesEncodingProvider.Instance.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)!;
        var table = new Dictionary<int, char>();
        // A pair that duplicates a decode-only pair (0xEEF9 → 0xFA54 → 0x81CA) takes that pair's character.
        void Same(int duplicate, int original) =>
            table.Add(duplicate, table.TryGetValue(original, out var c) ? c : canonical.GetString([(byte)(original >> 8), (byte)original]).Single());

        // NEC row 13 symbols that JIS X 0208 row 2 has too.
        foreach (var (duplicate, original) in new[] { (0x8790, 0x81E0), (0x8791, 0x81DF), (0x8792, 0x81E7), (0x8795, 0x81E3), (0x8796, 0x81DB),
                     (0x8797, 0x81DA), (0x879A, 0x81E6), (0x879B, 0x81BF), (0x879C, 0x81BE) })
            Same(duplicate, original);
        // IBM extensions that NEC row 13 or JIS X 0208 has: Ⅰ–Ⅹ, ￢, ㈱, №, ℡, ∵.
        var romans = Cells(0xFA4A, 0xFA53).ToList();
        var necRomans = Cells(0x8754, 0x875D).ToList();
        for (var i = 0; i < romans.Count; i++) Same(romans[i], necRomans[i]);
        foreach (var (duplicate, original) in new[] { (0xFA54, 0x81CA), (0xFA58, 0x878A), (0xFA59, 0x8782), (0xFA5A, 0x8784), (0xFA5B, 0x81E6) })
            Same(duplicate, original);

        // NEC-selected IBM extensions: the IBM extensions' kanji (0xFA5C–0xFC4B) in the same order, then their
        // small roman numerals and four symbols.
        var nec = Cells(0xED40, 0xEEEC).ToList();
        var ibm = Cells(0xFA5C, 0xFC4B).ToList();
        for (var i = 0; i < nec.Count; i++) Same(nec[i], ibm[i]);
        var necSymbols = Cells(0xEEEF, 0xEEFC).ToList();
        var ibmSymbols = Cells(0xFA40, 0xFA49).Concat(Cells(0xFA54, 0xFA57)).ToList();
        for (var i = 0; i < necSymbols.Count; i++) Same(necSymbols[i], ibmSymbols[i]);
        Table = table.ToFrozenDictionary();
    }

    /// <summary>The double-byte cells from <paramref name="first"/> to <paramref name="last"/>, in code order (trail bytes 0x40–0xFC without 0x7F).</summary>
    private static IEnumerable<int> Cells(int first, int last)
    {
        for (var code = first; code <= last; code++)
        {
            var trail = code & 0xFF;
            if (trail is >= 0x40 and <= 0xFC and not 0x7F) yield return code;
        }
    }

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(Table);

    private sealed class Buffer(FrozenDictionary<int, char> table) : DecoderFallbackBuffer
    {
        private char _char;
        private int _count;
        private int _position;

        public override int Remaining => _count - _position;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            if (bytesUnknown.Length == 2 && table.TryGetValue(bytesUnknown[0] << 8 | bytesUnknown[1], out var c))
            {
                (_char, _count, _position) = (c, 1, 0);
                return true;
            }
            throw new DecoderFallbackException("CP932 として読めないバイトがあります。", bytesUnknown, index);
        }

        public override char GetNextChar()
        {
            if (_position >= _count) return '\0';
            _position++;
            return _char;
        }

        public override bool MovePrevious()
        {
            if (_position == 0) return false;
            _position--;
            return true;
        }

        public override void Reset() => (_count, _position) = (0, 0);
    }
}
