using System.Text;
using CsCheck;
using NenkinBatch.Matching;

namespace NenkinBatch.Tests.Matching;

/// <summary>Each normalisation rule of docs/domain.md ("Matching people, as implemented" → "Normalisation levels"), one by one, and the level each reaches.</summary>
public class NormalizationTests
{
    [Theory]
    [InlineData("タナカ タロウ", "タナカ タロウ", KanaLevel.Exact)]
    [InlineData("ﾀﾅｶ ﾀﾛｳ", "タナカ　タロウ", KanaLevel.Width)]          // half-width → full-width, space between 氏 and 名 ignored
    [InlineData("ﾜﾀﾅﾍﾞ ﾊﾟﾝﾀﾞ", "ワタナベ パンダ", KanaLevel.Width)]      // ﾞ ﾟ joined to their kana
    [InlineData("たなか たろう", "タナカ タロウ", KanaLevel.Width)]        // hiragana → katakana
    [InlineData("ｷﾖｳｺ", "キョウコ", KanaLevel.Small)]                      // small kana → large
    [InlineData("ｼﾔﾂ", "シャッ", KanaLevel.Small)]
    [InlineData("ﾕｰｺ", "ユウコ", KanaLevel.Loose)]                         // long vowel spelt out
    [InlineData("ｼｮｰﾀ", "ショウタ", KanaLevel.Loose)]                      // … and オ段 + ウ → オ段 + オ
    [InlineData("コオノ", "コウノ", KanaLevel.Loose)]                      // コウ ≈ コオ
    [InlineData("ﾁﾁﾞﾜ", "チジワ", KanaLevel.Loose)]                        // ヂ → ジ
    [InlineData("ミツヅ", "ミツズ", KanaLevel.Loose)]                      // ヅ → ズ
    [InlineData("ｼﾙｳﾞｧ ﾏﾘｱ", "シルバ マリア", KanaLevel.Loose)]            // ヴァ → バ
    [InlineData("ヲノ", "オノ", KanaLevel.Loose)]                          // ヲ → オ
    [InlineData("ヰノウエ", "イノウエ", KanaLevel.Loose)]                  // ヰ → イ
    [InlineData("タナカ‐タロウ", "タナカータロウ", KanaLevel.Width)]       // dash variants are one mark
    [InlineData("タナカ タロウ", "タナカ ジロウ", KanaLevel.Different)]
    public void Kana_EachRuleAtItsLevel(string jps, string local, KanaLevel expected) => KanaKey.Compare(jps, local).ShouldBe(expected);

    [Theory]
    [InlineData("髙橋　恭子", "髙橋　恭子", KanjiLevel.Exact)]
    [InlineData("辻　花子", "辻\U000E0100　花子", KanjiLevel.WithoutVariationSelectors)] // IVS set aside
    [InlineData("高橋　恭子", "髙橋　恭子", KanjiLevel.VariantFolded)]
    [InlineData("山崎　翔", "山﨑　翔", KanjiLevel.VariantFolded)]
    [InlineData("吉田　健", "𠮷田　健", KanjiLevel.VariantFolded)]           // non-BMP, one character
    [InlineData("渡辺　誠", "渡邊　誠", KanjiLevel.VariantFolded)]
    [InlineData("渡辺　誠", "渡邉　誠", KanjiLevel.VariantFolded)]
    [InlineData("浜田　陸", "濱田　陸", KanjiLevel.VariantFolded)]
    [InlineData("〓田　健", "𠮷田　健", KanjiLevel.Wildcard)]                 // 〓 stands for one character, even outside the BMP
    [InlineData("■橋　恭子", "髙橋　恭子", KanjiLevel.Wildcard)]
    [InlineData("〓田　健", "吉川　健", KanjiLevel.Different)]
    [InlineData("〓田　健", "\uE001田　健", KanjiLevel.Different)]            // 外字 match only themselves
    [InlineData("\uE001田　健", "\uE001田　健", KanjiLevel.Exact)]
    [InlineData("高橋　裕子", "高橋　優子", KanjiLevel.Different)]
    public void Kanji_EachRuleAtItsLevel(string jps, string local, KanjiLevel expected) => KanjiName.BuiltIn.Compare(jps, local).ShouldBe(expected);

    [Fact]
    public void Kanji_NeverNfkc_CompatibilityIdeographsAreNotFoldedByNormalisation()
    {
        // U+FA11 﨑 has no NFC decomposition to 崎: only the variant table folds it, at the weaker level.
        KanjiName.BuiltIn.Compare("崎", "\uFA11").ShouldBe(KanjiLevel.VariantFolded);
    }

    [Theory]
    [InlineData("NGUYEN VAN AN", "VAN AN NGUYEN", true)]   // order swapped
    [InlineData("ＳＭＩＴＨ　ＪＯＨＮ", "smith  john", true)] // full-width, case, spaces
    [InlineData("SMITH JOHN", "SMITH JANE", false)]
    public void Alphabet_TokenSets(string a, string b, bool same) => AlphabetName.SameTokens(a, b).ShouldBe(same);

    [Theory]
    [InlineData("千葉県千葉市中央区中央１丁目２番３号", "中央区中央1-2-3")]
    [InlineData("千葉市中央区中央一丁目2番地3", "千葉県千葉市中央区中央1丁目2番3号")]
    [InlineData("千葉県千葉市緑区あすみが丘２－１０－４", "緑区あすみケ丘2丁目10番4号")]
    [InlineData("千葉県千葉市稲毛区市場町三丁目４番５号", "稲毛区市場町3-4-5")]   // 市 inside a town name stays
    [InlineData("千葉県千葉市若葉区桜木十二丁目1番1号", "若葉区桜木12-1-1")]
    public void Address_FormsAreEqual(string a, string b) => AddressCanon.Parse(a).Canonical.ShouldBe(AddressCanon.Parse(b).Canonical);

    [Fact]
    public void Address_SuffixComparedApart()
    {
        var withBuilding = AddressCanon.Parse("千葉市中央区中央1-2-3　コーポ中央201号室");
        var without = AddressCanon.Parse("中央区中央一丁目2番3号");
        withBuilding.Canonical.ShouldBe(without.Canonical);
        withBuilding.Suffix.ShouldBe("コーポ中央201号室");
        without.Suffix.ShouldBeNull();
        AddressCanon.Parse("中央区中央1-2-4").Canonical.ShouldNotBe(without.Canonical);
    }

    /// <summary>The characters KanjiName takes as NFC without asking ICU: each one, and any string of them, is NFC.</summary>
    [Fact]
    public void SurelyNfc_EveryCharacterAndEveryStringOfThem_IsNfc()
    {
        var stable = Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => !char.IsSurrogate(c) && KanjiName.IsSurelyNfc(c.ToString())).ToArray();
        stable.Length.ShouldBeGreaterThan(20_000);
        foreach (var c in stable) c.ToString().IsNormalized(NormalizationForm.FormC).ShouldBeTrue($"U+{(int)c:X4}");
        Gen.Int[0, stable.Length - 1].Select(i => stable[i]).Array[1, 12].Select(a => new string(a))
            .Sample(text => text.Normalize(NormalizationForm.FormC) == text, iter: 200_000);
    }

    [Theory]
    [InlineData("\uFA30")]          // a CJK compatibility ideograph: NFC replaces it (侮)
    [InlineData("か\u3099")]        // a combining sound mark after かな
    [InlineData("e\u0301")]
    [InlineData("\U00020BB7野")]     // outside the basic plane
    public void SurelyNfc_LeavesEverythingElseToIcu(string text) => KanjiName.IsSurelyNfc(text).ShouldBeFalse();

    [Fact]
    public void KanjiKey_OfACompatibilityIdeograph_IsItsUnifiedForm() =>
        KanjiName.BuiltIn.Key("\uFA30田").Exact.ShouldBe("\u4FAE田");
}

/// <summary>The normalisers against the generator's perturbations: what the truth says is one person, they find alike.</summary>
public class NormalizationOnGeneratedCityTests(NenkinBatch.Tests.Synthetic.GeneratedCity city) : IClassFixture<NenkinBatch.Tests.Synthetic.GeneratedCity>
{
    [Fact]
    public void EveryTrueRow_KanaKanjiAndAddressMeetTheirPerson_UnlessTheTruthSaysWhyNot()
    {
        var members = File.ReadAllLines(city.File(NenkinBatch.Synthetic.CityFiles.MembersFile)).Skip(1).Select(l => l.Split(','))
            .GroupBy(m => m[0]).ToDictionary(g => g.Key, g => g.First());
        var jps = File.ReadAllLines(city.File(NenkinBatch.Synthetic.CityFiles.JpsCsvFile), NenkinBatch.Formats.TextEncodings.Cp932Strict)
            .Skip(1).Select(l => l.Split(',')).ToList();
        var checkedRows = 0;
        foreach (var truth in city.Truth().Where(t => t[0] == "jps" && t[2].Length > 0))
        {
            var row = jps[int.Parse(truth[1], System.Globalization.CultureInfo.InvariantCulture) - 1];
            var person = members[truth[2]];
            var cases = truth[3];
            // A foreign reading spelt another way (ドゥク/ドク) or by a clerk's slip is beyond the 住民記録 rules, and a maiden name is
            // another name (matched through 氏名履歴): the other fields carry such a row.
            if (!cases.Contains("kana-variant") && !cases.Contains("kana-typo") && !cases.Contains("maiden-name"))
                KanaKey.Compare(row[5], person[3]).ShouldNotBe(KanaLevel.Different, $"line {truth[1]} {cases}");
            // A clerk's slip is similar, or — in a name of tokens of three letters or fewer, where a slip makes another name (AN/NA) — different.
            if (cases.Contains("alphabet-typo") || cases.Contains("alphabet-dropped-name"))
                AlphabetName.Compare(AlphabetName.Key(row[6]), AlphabetName.Key(person[2])).ShouldBeOneOf(
                    AlphabetName.Tokens(person[2]).Any(t => t.Length <= 3) ? [AlphabetLevel.Similar, AlphabetLevel.NameDropped, AlphabetLevel.Differs] : [AlphabetLevel.Similar, AlphabetLevel.NameDropped],
                    $"line {truth[1]} {cases} {row[6]} / {person[2]}");
            else if (cases.Contains("foreign"))
                AlphabetName.SameTokens(row[6], person[2]).ShouldBeTrue($"line {truth[1]}");
            else if (!cases.Contains("homophone") && !cases.Contains("maiden-name"))
                KanjiName.BuiltIn.Compare(row[6], person[2]).ShouldNotBe(KanjiLevel.Different, $"line {truth[1]} {row[6]} / {person[2]}");
            // A row with the address of the filing (a mover) or the 転出先 (someone who left) is not at the current address.
            if (!cases.Contains("old-address") && !cases.Contains("moved-out:new-address"))
            {
                var place = AddressCanon.Parse(row[10]);
                // A room written as one more number after a 番地 with no 枝番 (１１８９－９０３) cannot be told from a 枝番: the town must agree.
                if (cases.Contains("room-number") && cases.Contains("banchi-town"))
                    place.Town.ShouldBe(AddressCanon.Parse(person[7]).Town, $"line {truth[1]} {row[10]} / {person[7]}");
                else
                    place.Canonical.ShouldBe(AddressCanon.Parse(person[7]).Canonical, $"line {truth[1]} {row[10]} / {person[7]}");
            }
            checkedRows++;
        }
        checkedRows.ShouldBeGreaterThan(2500);
    }

}
