using System.Security.Cryptography;
using System.Text;
using NenkinBatch.Foundation;
using NenkinBatch.Domain;

namespace NenkinBatch.Persistence;

/// <summary>
/// Seals 個人番号 for storage (AES-256-GCM, bound to the person it belongs to) and gives a keyed
/// digest to compare or find one without opening it. The key lives in a file outside the
/// database, so neither a dump nor a SELECT * export reveals a number.
/// </summary>
public sealed class IndividualNumberProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    // One cipher and one HMAC per thread for the protector's life: the key schedule is the expensive part, a million
    // rows would pay it a million times, and a shared instance would serialise the import's two stages (measured).
    private readonly ThreadLocal<IncrementalHash> _hmac;
    private readonly byte[] _noncePrefix = RandomNumberGenerator.GetBytes(4);
    private long _nonceCounter;
    private readonly ThreadLocal<AesGcm> _aes;
    private readonly byte[] _checkKey;
    private readonly byte[] _erasureKey;

    public IndividualNumberProtector(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length != 32) throw new ArgumentException("the master key must be 32 bytes", nameof(masterKey));
        var sealKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "nenkinbatch individual-number seal"u8.ToArray());
        _aes = new ThreadLocal<AesGcm>(() => new AesGcm(sealKey, TagSize));
        var digestKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "nenkinbatch individual-number digest"u8.ToArray());
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, digestKey));
        _checkKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "nenkinbatch individual-number key check"u8.ToArray());
        _erasureKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey.ToArray(), 32, info: "nenkinbatch erasure record"u8.ToArray());
    }

    /// <summary>
    /// The key's check value for a municipality: a keyed digest of a fixed label, under a key derived for this use
    /// alone. Equal values mean the same master key; it says nothing of any number and opens none.
    /// </summary>
    public byte[] KeyCheck(string municipality) =>
        HMACSHA256.HashData(_checkKey, Encoding.ASCII.GetBytes($"nenkinbatch key check:{municipality}"));

    /// <summary>
    /// The purge log's keyed digest of an erased record's key (HMAC-SHA-256, lower-case hex, under a key derived for this use alone):
    /// "was 宛名番号 X erased?" is answered by digesting X again, while the log keeps nothing that names X to whoever reads it without
    /// the key file.
    /// </summary>
    public string ErasureDigest(string municipality, string kind, string key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_erasureKey, Encoding.UTF8.GetBytes($"{municipality}:{kind}:{key}")));

    /// <summary>
    /// Reads the key file, or creates it (32 random bytes, base64, readable by the owner only)
    /// when <paramref name="createIfMissing"/> — the embedded store's first run.
    /// </summary>
    public static IndividualNumberProtector FromKeyFile(string path, bool createIfMissing)
    {
        if (!File.Exists(path))
        {
            if (!createIfMissing)
                throw new OperatorException(ExitCode.UsageError,
                    $"個人番号の暗号鍵ファイル {path} がありません。設定 keyFile（環境変数 NENKIN_KEY_FILE）で既存の鍵ファイルを指定してください。鍵を失うと保存済みの個人番号は読めなくなります。");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using (var stream = new FileStream(path, PrivateFolder.OwnerOnlyFileOptions(FileMode.CreateNew, FileAccess.Write)))
            using (var writer = new StreamWriter(stream, Encoding.ASCII))
            {
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            key = [];
        }
        if (key.Length != 32)
            throw new OperatorException(ExitCode.UsageError, $"鍵ファイル {path} の内容が32バイトの鍵（base64）ではありません。");
        return new IndividualNumberProtector(key);
    }

    public byte[] Digest(string municipality, IndividualNumber number)
    {
        Span<byte> input = stackalloc byte[64];
        var length = Encoding.ASCII.GetBytes($"{municipality}:", input);
        length += Encoding.ASCII.GetBytes(number.RevealForSealing(), input[length..]);
        var hmac = _hmac.Value!;
        hmac.AppendData(input[..length]);
        var digest = hmac.GetHashAndReset();
        CryptographicOperations.ZeroMemory(input);
        return digest;
    }

    public byte[] Seal(string municipality, string atenaNumber, IndividualNumber number)
    {
        Span<byte> plain = stackalloc byte[12];
        Encoding.ASCII.GetBytes(number.RevealForSealing(), plain);
        var output = new byte[NonceSize + plain.Length + TagSize];
        // GCM needs a nonce never repeated under one key: a random prefix per protector and a counter (NIST SP 800-38D, 8.2.1).
        var nonce = output.AsSpan(0, NonceSize);
        _noncePrefix.CopyTo(nonce);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(nonce[4..], Interlocked.Increment(ref _nonceCounter));
        Span<byte> binding = stackalloc byte[municipality.Length + 1 + atenaNumber.Length];
        Bind(municipality, atenaNumber, binding);
        _aes.Value!.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), binding);
        CryptographicOperations.ZeroMemory(plain);
        return output;
    }

    /// <summary>Opens a sealed number; fails if it was moved to another person's row or altered.</summary>
    public IndividualNumber Open(string municipality, string atenaNumber, byte[] sealedNumber)
    {
        var length = sealedNumber.Length - NonceSize - TagSize;
        var plain = new byte[length];
        _aes.Value!.Decrypt(sealedNumber.AsSpan(0, NonceSize), sealedNumber.AsSpan(NonceSize, length), sealedNumber.AsSpan(NonceSize + length), plain, Binding(municipality, atenaNumber));
        var parsed = IndividualNumber.Parse(Encoding.ASCII.GetString(plain));
        CryptographicOperations.ZeroMemory(plain);
        return parsed.Value ?? throw new CryptographicException("sealed value is not an individual number");
    }

    private static byte[] Binding(string municipality, string atenaNumber)
    {
        var binding = new byte[municipality.Length + 1 + atenaNumber.Length];
        Bind(municipality, atenaNumber, binding);
        return binding;
    }

    private static void Bind(string municipality, string atenaNumber, Span<byte> target)
    {
        var length = Encoding.ASCII.GetBytes(municipality, target);
        target[length] = (byte)':';
        Encoding.ASCII.GetBytes(atenaNumber, target[(length + 1)..]);
    }
}
