using System.Text;
using NenkinBatch.Matching;

namespace NenkinBatch.Tests.Matching;

/// <summary>
/// The address canon (docs/domain.md, "Normalisation levels" → addresses). The notation classes follow the public test data
/// of Japanese address normalisers (normalize-japanese-addresses: main.test.ts, buildings.csv, kyoto.txt, whose rows are
/// business and landmark addresses): town names and numbers only, no one's name; towns of the synthetic city (千葉市) where
/// the class needs no other.
/// </summary>
public class AddressCanonTests
{
    // The parts as parsed: the place keeps its names, the house numbers are digits, the 方書 is apart.
    [Theory]
    [InlineData("神奈川県横浜市緑区十日市場町８０１番地１", "横浜市", "緑区", "十日市場町", "801-1", null)]
    [InlineData("千葉県千葉市中央区市場町三丁目４番５号", "千葉市", "中央区", "市場町", "3-4-5", null)]
    [InlineData("市場町3-4-5", null, null, "市場町", "3-4-5", null)]
    [InlineData("市原１２３４", null, null, "市原", "1234", null)]
    [InlineData("千葉県市原市五井1-2-3", "市原市", null, "五井", "1-2-3", null)]
    [InlineData("五日市1-2", null, null, "五日市", "1-2", null)]
    [InlineData("千葉県四街道市四街道1丁目1番", "四街道市", null, "四街道", "1-1", null)]
    [InlineData("東京都中野区中野5-1-2", null, "中野区", "中野", "5-1-2", null)]
    [InlineData("千葉市緑区土気町９番２４号　パークサイド緑 346号室", "千葉市", "緑区", "土気町", "9-24", "パークサイド緑 346号室")]
    [InlineData("中央区中央1-2-3-304", null, "中央区", "中央", "1-2-3", "304")]
    [InlineData("土気町40-8-101", null, null, "土気町", "40-8", "101")]
    [InlineData("土気町40-8 101号室", null, null, "土気町", "40-8", "101号室")]
    [InlineData("町田市小山田桜台２－４－１０号棟", "町田市", null, "小山田桜台", "2-4", "10号棟")]
    [InlineData("土気町 パークサイド緑 346号室", null, null, "土気町", "", "パークサイド緑 346号室")]
    [InlineData("小川町一丁目土地区画整理事業地内２５街区１号", null, null, "小川町", "1", "土地区画整理事業地内25街区1号")]
    [InlineData("京都市中京区寺町通御池上る上本能寺前町488番地", "京都市", "中京区", "寺町通御池上ル上本能寺前町", "488", null)]
    [InlineData("岐阜市 西荘3丁目", "岐阜市", null, "西荘", "3", null)]
    [InlineData("東京都東村山市本町1-20-14", "東村山市", null, "本町", "1-20-14", null)]
    [InlineData("新潟県十日町市本町1-2", "十日町市", null, "本町", "1-2", null)]
    public void Parse_Parts(string address, string? city, string? ward, string town, string numbers, string? suffix)
    {
        var key = AddressCanon.Parse(address);
        (key.City, key.Ward, key.Town, key.Numbers, key.Suffix).ShouldBe((city, ward, town, numbers, suffix));
    }

    [Fact]
    public void FoldWidth_IsNfkcWhereverItFolds()
    {
        // The parser's own width fold stands in for NFKC: every character it folds must fold exactly as NFKC does.
        var destination = new char[1];
        var (folded, wrong) = (0, new List<string>());
        for (var code = 0; code <= 0xFFFF; code++)
        {
            var text = ((char)code).ToString();
            if (char.IsSurrogate(text[0]) || AddressCanon.FoldWidth(text, destination) < 0) continue;
            folded++;
            if (destination[0].ToString() != text.Normalize(NormalizationForm.FormKC)) wrong.Add($"U+{code:X4}");
        }
        wrong.ShouldBeEmpty();
        folded.ShouldBeGreaterThan(20_000);
        AddressCanon.FoldWidth("千葉市中央区中央１丁目２番３号", new char[16]).ShouldBe(15);
        AddressCanon.FoldWidth("ﾁﾊﾞ", new char[3]).ShouldBe(-1);       // half-width kana: NFKC composes them
        AddressCanon.FoldWidth("南\uFA10口", new char[3]).ShouldBe(-1); // a compatibility ideograph
    }
}
