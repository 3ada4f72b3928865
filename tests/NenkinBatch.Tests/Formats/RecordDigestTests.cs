using NenkinBatch.Formats;

namespace NenkinBatch.Tests.Formats;

public class RecordDigestTests
{
    [Fact]
    public void Of_KnownInput_IsMurmurHash3x64_128()
    {
        // The reference implementation's h1 and h2 for this sentence, seed 0.
        RecordDigest.Of("The quick brown fox jumps over the lazy dog"u8).ShouldBe(new UInt128(0x7a433ca9c49a9347, 0xe34bbc7bbc071b6c));
        RecordDigest.Of([]).ShouldBe(UInt128.Zero);
    }

    [Fact]
    public void Of_EveryRecordOfTheSampleLists_DistinctUnlessEqual()
    {
        var records = SampleListsForDigest().ToList();
        records.Select(r => RecordDigest.Of(r)).Distinct().Count().ShouldBe(records.Select(Convert.ToHexString).Distinct().Count());
        // One byte changed anywhere in a record changes its digest.
        var record = records[1];
        var digest = RecordDigest.Of(record);
        for (var i = 0; i < record.Length; i++)
        {
            var changed = record.ToArray();
            changed[i] ^= 1;
            RecordDigest.Of(changed).ShouldNotBe(digest, $"byte {i}");
        }
    }

    private static IEnumerable<byte[]> SampleListsForDigest() =>
        NenkinBatch.Tests.Jobs.Import.SampleLists.CsvLines().Concat(NenkinBatch.Tests.Jobs.Import.SampleLists.FixedRecords());
}
