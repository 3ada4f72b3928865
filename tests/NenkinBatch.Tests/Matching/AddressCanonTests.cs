using System.Text;
using NenkinBatch.Domain;
using NenkinBatch.Matching;

namespace NenkinBatch.Tests.Matching;

/// <summary>
/// The address canon (docs/domain.md, "Normalisation levels" → addresses), pair by pair at the level each reaches, each pair
/// both ways round (JPS row against person on file, and the other way). The notation classes follow the public test data
/// of Japanese address normalisers (normalize-japanese-addresses: main.test.ts, buildings.csv, kyoto.txt, whose rows are
/// business and landmark addresses): town names and numbers only, no one's name; towns of the synthetic city (千葉市) where
/// the class needs no other.
/// </summary>
public class AddressCanonTests
{
    /// <summary>The address level of <paramref name="jps"/> on a row against a person whose address is <paramref name="city"/>.</summary>
    private static Levels Compare(string jps, string city, string? citySuffix = null)
    {
        var person = new PersonOnFile(new Candidate("1000000001", null, "高橋　恭子", "タカハシ　キョウコ", BirthDate.ParseCompact("19700312").Value, 2,
            city, null, false), citySuffix);
        var row = new ReportedIdentity(null, "ﾀｶﾊｼ ｷｮｳｺ", "高橋　恭子", new DateOnly(1970, 3, 12), 2, jps, null);
        return PersonComparer.BuiltIn.Compare(new RowIdentity(row, KanjiName.BuiltIn), person);
    }

    private static void BothWays(string a, string b, AddressLevel expected)
    {
        Compare(a, b).Address.ShouldBe(expected, $"{a} / {b}");
        Compare(b, a).Address.ShouldBe(expected, $"{b} / {a}");
    }

    // 丁目 written every way: 丁目/番/号, dashes, kanji, の (main.test.ts: 豊洲 1丁目2-27 / 1-2-27 / 一丁目2-27 / １ー２ー２７,
    // 上北沢４の９の２, 千石4丁目15－7, 新金岡町4丁1−8; buildings.csv: ２丁目１－２, １丁目２番５).
    [Theory]
    [InlineData("千葉県千葉市中央区中央１丁目２番３号", "中央区中央1-2-3")]
    [InlineData("千葉市中央区中央一丁目2番地3", "千葉県千葉市中央区中央1丁目2番3号")]
    [InlineData("中央区中央1丁目2の3", "中央区中央１－２－３")]
    [InlineData("中央区中央1丁目2-3", "中央区中央一丁目二番三号")]
    [InlineData("江東区豊洲 一丁目2-27", "東京都江東区豊洲1丁目2番27号")]
    [InlineData("東京都江東区豊洲 １ー２ー２７", "江東区豊洲1-2-27")]
    [InlineData("東京都 江東区 豊洲 1-2-27", "江東区豊洲1丁目2番27号")]
    [InlineData("世田谷区上北沢４の９の２", "東京都世田谷区上北沢四丁目9番2号")]
    [InlineData("文京区千石4丁目15－7", "東京都文京区千石四丁目15番7号")]
    [InlineData("堺市北区新金岡町4丁1−8", "大阪府堺市北区新金岡町四丁目1番8号")]                 // 丁 without 目
    [InlineData("若葉区桜木十二丁目1番1号", "若葉区桜木12-1-1")]
    [InlineData("箕面市外院３丁目２番５", "箕面市外院3-2-5")]                                     // 番 then a bare number
    [InlineData("中央区中央1丁目 2番 3号", "中央区中央1-2-3")]                                   // spaces between the parts
    public void Chome_EveryNotation_Equal(string a, string b) => BothWays(a, b, AddressLevel.Equal);

    // Towns without 丁目: 番地/番/号, dashes, の, kanji (main.test.ts: 大豆戸町１７番地１１, 藤橋町亥45番地1 / 亥 四十五番地1,
    // 旭町17番1号; buildings.csv: 元町２８番９号 / 元町２８－９, 生玉町１番２９; the brief's 大宮町, 園生町, 土気町).
    [Theory]
    [InlineData("大宮町37番地29", "大宮町３７番２９号")]
    [InlineData("大宮町37-29", "大宮町37の29")]
    [InlineData("大宮町三十七番地二十九", "大宮町37-29")]
    [InlineData("大宮町37番地の29", "大宮町三七の二九")]
    [InlineData("稲毛区園生町４－２８", "稲毛区園生町４番２８号")]
    [InlineData("土気町40-8", "千葉県千葉市緑区土気町４０番地８")]
    [InlineData("土気町1番37号", "土気町1-37")]
    [InlineData("緑区土気町1650番地の15", "緑区土気町1650-15")]
    [InlineData("港北区大豆戸町１７番地１１", "神奈川県横浜市港北区大豆戸町17-11")]
    [InlineData("七尾市藤橋町 亥 四十五番地1", "石川県七尾市藤橋町亥45-1")]
    [InlineData("所沢市元町２８番９号", "埼玉県所沢市元町２８－９")]
    [InlineData("大阪市天王寺区生玉町１番２９", "天王寺区生玉町1-29")]
    [InlineData("伊丹市大鹿７丁目９４番", "伊丹市大鹿7-94")]
    public void Banchi_EveryNotation_Equal(string a, string b) => BothWays(a, b, AddressLevel.Equal);

    // Kanji numerals with 十, 百, 千 and 〇 (main.test.ts: 串本千二百三十四, 一千二百三十四, 一二三四; 大和大路2丁目五百三十七の1).
    [Theory]
    [InlineData("和歌山県東牟婁郡串本町串本千二百三十四", "串本町串本1234")]
    [InlineData("串本町串本一千二百三十四", "串本町串本１２３４")]
    [InlineData("串本町串本一二三四", "串本町串本1234番地")]
    [InlineData("京都市東山区大和大路2丁目五百三十七の1", "東山区大和大路2-537-1")]
    [InlineData("土気町百五番地", "土気町105")]
    [InlineData("土気町一〇五番地", "土気町105番地")]
    [InlineData("土気町一○五", "土気町105")]                                                    // ○ typed for 〇
    [InlineData("土気町二十三番地", "土気町23")]
    [InlineData("中央区中央十丁目二十番", "中央区中央10-20")]
    public void KanjiNumerals_BecomeDigits(string a, string b) => BothWays(a, b, AddressLevel.Equal);

    // A numeral that is part of a name stays a name (main.test.ts: 一番町3-17, 二十四軒二条二丁目; buildings.csv: 四番町１番８,
    // 八丁堀, 十三東, 百人町, 千石, 九段南; kyoto.txt: 一之江, 東四つ木).
    [Theory]
    [InlineData("宇都宮市一番町3-17", "栃木県宇都宮市一番町３番１７号")]
    [InlineData("千代田区四番町１番８", "東京都千代田区四番町1-8")]
    [InlineData("中央区八丁堀3-17-9", "東京都中央区八丁堀三丁目17番9号")]
    [InlineData("淀川区十三東2丁目6-8", "大阪市淀川区十三東２－６－８")]
    [InlineData("新宿区百人町1丁目11-19", "新宿区百人町１－１１－１９")]
    [InlineData("市川市南八幡4-8-11", "千葉県市川市南八幡４丁目８番１１号")]
    [InlineData("千葉県四街道市四街道1丁目1番", "四街道市四街道1-1")]
    [InlineData("横浜市緑区十日市場町801-1", "神奈川県横浜市緑区十日市場町８０１番地１")]
    [InlineData("札幌市西区二十四軒二条二丁目3番3号", "北海道札幌市西区二十四軒2条2丁目3-3")]     // 条: its number in digits
    [InlineData("江戸川区一之江6-18-1", "江戸川区一の江６－１８－１")]
    [InlineData("葛飾区東四つ木2-5-1", "葛飾区東四ツ木2丁目5番1号")]
    public void NumeralsOfNames_Stay(string a, string b) => BothWays(a, b, AddressLevel.Equal);

    // Every dash form between numbers is one separator (main.test.ts: １ー２ー２７, 1−8; main/main.test.ts: 一四━Ａ二二;
    // kyoto.txt: ４‐２‐５, １−１−１).
    [Theory]
    [InlineData("-")]
    [InlineData("‐")]
    [InlineData("‑")]
    [InlineData("−")]
    [InlineData("–")]
    [InlineData("—")]
    [InlineData("―")]
    [InlineData("ー")]
    [InlineData("－")]
    [InlineData("ｰ")]
    [InlineData("━")]
    public void Dash_EveryForm_Equal(string dash) =>
        BothWays($"中央区中央1{dash}2{dash}3", "中央区中央１丁目２番３号", AddressLevel.Equal);

    // ヶ/ケ/が, 之/ノ/の in names (buildings.csv: 針ヶ谷, 松ケ丘, 虎ノ門, 鵜の木; the synthetic city's あすみが丘, 朝日ケ丘).
    [Theory]
    [InlineData("千葉県千葉市緑区あすみが丘２－１０－４", "緑区あすみケ丘2丁目10番4号")]
    [InlineData("緑区あすみヶ丘7-2-1", "緑区あすみが丘七丁目2番1号")]
    [InlineData("花見川区朝日ケ丘1-2-3", "花見川区朝日ヶ丘1丁目2番3号")]
    [InlineData("港区虎ノ門5-13-7", "港区虎の門５丁目１３番７号")]
    [InlineData("大田区鵜の木1-16-13", "大田区鵜ノ木1丁目16番13号")]
    [InlineData("さいたま市浦和区針ヶ谷1-5-1", "浦和区針ケ谷１丁目５番１号")]
    public void KeAndNo_Alike(string a, string b) => BothWays(a, b, AddressLevel.Equal);

    // The 方書 split off, and left out on one side no difference (kyoto.txt: １－９グレイスハイツ…, 中和泉　５－２８－２７　パレス…,
    // ２－４－１０号棟; main/main.test.ts: 1ビル名; the brief's 土気町9番24号　パークサイド緑 346号室).
    [Theory]
    [InlineData("緑区土気町9番24号　パークサイド緑 346号室", "千葉市緑区土気町9-24")]
    [InlineData("中央区中央1-2-3-304", "中央区中央1丁目2番3号")]                                  // a fourth number is the room
    [InlineData("中央区中央1-2-3 304号室", "中央区中央1-2-3")]
    [InlineData("中央区中央1丁目2番3号304", "中央区中央1-2-3")]                                   // after 号, the room
    [InlineData("中央区中央1-2-3　コーポ中央201号室", "中央区中央1-2-3　ハイツ緑101")]            // the address alone: Equal
    [InlineData("江戸川区東松本１－９グレイスハイツ", "江戸川区東松本1-9")]                       // building right after the number
    [InlineData("狛江市中和泉　５－２８－２７　パレス中和泉", "狛江市中和泉5-28-27")]             // a space before the number is no 方書
    [InlineData("町田市小山田桜台２－４－１０号棟", "町田市小山田桜台2-4")]                       // 号棟: a building, not a 号
    [InlineData("土気町40-8-101", "土気町40番地8")]                                              // three bare numbers, a room of 100+
    [InlineData("中央区中央1-2-101号", "中央区中央1丁目2番101号")]                                // … unless 号 says it is a 号
    [InlineData("文京区小石川1ビル名", "文京区小石川1丁目")]
    public void Suffix_SplitOff(string a, string b) => BothWays(a, b, AddressLevel.Equal);

    // Prefecture, 郡 and city left out on one side; a designated city's ward kept where both write it (main.test.ts:
    // 串本町 with and without 東牟婁郡; kyoto.txt: 瑞穂町大字石畑, 日の出町大字平井字谷戸; buildings.csv: 市川市市川).
    [Theory]
    [InlineData("千葉県千葉市緑区土気町40-8", "緑区土気町40-8")]
    [InlineData("千葉県千葉市緑区土気町40-8", "土気町40-8")]
    [InlineData("千葉市緑区土気町40-8", "土気町４０－８")]
    [InlineData("千葉市土気町40-8", "千葉県千葉市緑区土気町40-8")]                               // the ward left out, the city written
    [InlineData("千葉県船橋市本町1-2-3", "船橋市本町1-2-3")]
    [InlineData("船橋市本町1-2-3", "本町1丁目2番3号")]
    [InlineData("和歌山県東牟婁郡串本町串本1234", "和歌山県串本町串本1234")]
    [InlineData("東京都西多摩郡瑞穂町大字石畑1875-5", "瑞穂町石畑1875-5")]                        // 郡, 大字
    [InlineData("東京都西多摩郡日の出町大字平井字谷戸3207-1", "日の出町平井谷戸3207-1")]          // 大字 and 字
    [InlineData("千葉県市川市市川2-32-21", "市川市市川2丁目32番21号")]                           // city and town both 市川
    [InlineData("三重県四日市市西浦1-2-3", "四日市市西浦1丁目2番3号")]
    [InlineData("千葉県千葉市中央区市場町3-4-5", "市場町三丁目4番5号")]                           // 市場町 is no city
    [InlineData("千葉県市原市五井1-2-3", "市原市五井1丁目2番3号")]
    public void PrefectureCityCounty_LeftOut(string a, string b) => BothWays(a, b, AddressLevel.Equal);

    // 異体字 in place names, through Matching/Data/place-variants.tsv (main/main.test.ts: 澤 → 沢, 驒 → 騨, 麩 → 麸, 亞 → 亜).
    [Theory]
    [InlineData("千代田区麴町3-2", "千代田区麹町三丁目2番")]
    [InlineData("西多摩郡檜原村本宿1-2", "桧原村本宿1-2")]
    [InlineData("北区瀧野川2-5-12", "北区滝野川２丁目５－１２")]
    [InlineData("品川区大\uFA111-17-2", "品川区大崎１丁目１７番２号")]                           // 﨑, U+FA11
    [InlineData("新宿区髙田馬場1-2-3", "新宿区高田馬場1-2-3")]
    [InlineData("千葉市若葉区川邊町1-2", "若葉区川辺町1-2")]
    [InlineData("千葉市若葉区川邉町1-2", "若葉区川邊町1-2")]
    [InlineData("西多摩郡奥多摩町海澤", "奥多摩町海沢")]
    [InlineData("中央区日本橋濱町3-34-1", "中央区日本橋浜町3-34-1")]
    [InlineData("白石市齋川1-2", "白石市斎川1-2")]
    [InlineData("白石市齊川1-2", "白石市斎川1-2")]
    [InlineData("横浜市中区櫻木町1-1", "中区桜木町1-1")]
    [InlineData("中嶋町1-2", "中島町1-2")]
    [InlineData("尼崎市南\uFA10口町5-1-1", "尼崎市南塚口町5丁目1番1号")]                        // 塚, U+FA10
    [InlineData("板橋区德丸2-9-19", "板橋区徳丸２丁目９－１９")]
    [InlineData("岐阜県飛驒市古川町1-2", "飛騨市古川町1-2")]
    [InlineData("宮城県大崎市古川大崎東亞1", "大崎市古川大崎東亜1")]
    [InlineData("千代田区麴町3-2", "千代田区麹\U000E0100町3-2")]                                 // an ideographic variation selector
    public void VariantKanji_Folded(string a, string b) => BothWays(a, b, AddressLevel.Equal);

    // Kyoto street descriptions: part of the place, compared as written once 上る/上ル, 東入る/東入ル/東入, 通り/通 are one spelling
    // (main.test.ts: 寺町通御池上る上本能寺前町488番地, 錦小路通大宮東入七軒町466, 大和大路通三条下る東入若松町393; 先斗町四条上ル).
    [Theory]
    [InlineData("京都府京都市中京区寺町通御池上る上本能寺前町488番地", "京都市中京区寺町通御池上ル上本能寺前町488")]
    [InlineData("中京区錦小路通大宮東入七軒町466", "京都府京都市中京区錦小路通大宮東入ル七軒町466番地")]
    [InlineData("京都市東山区大和大路通三条下る東入若松町393", "東山区大和大路通三条下ル東入ル若松町393")]
    [InlineData("京都市中京区先斗町四条上ル柏屋町170", "中京区先斗町4条上ル柏屋町170")]
    [InlineData("京都市下京区堀川通り七条上ル", "下京区堀川通七条上る")]
    public void KyotoStreets_AsWritten(string a, string b) => BothWays(a, b, AddressLevel.Equal);

    // Neighbours: the same 丁目, or the same 番地 where the town has none.
    [Theory]
    [InlineData("中央区中央1-2-3", "中央区中央1-2-4")]                                           // another 号
    [InlineData("中央区中央1-2-3", "中央区中央1-5-8")]                                           // another 番
    [InlineData("大宮町37番地29", "大宮町37番地30")]
    [InlineData("土気町40-8", "土気町40")]
    [InlineData("中央区中央１丁目", "中央区中央1-2-3")]
    [InlineData("中央区中央1-2-3-304", "中央区中央1-2-4")]                                       // the room is not the 号
    [InlineData("土気町40-8-101", "土気町40番地9")]
    [InlineData("千代田区麴町3-2", "千代田区麹町3-5")]
    public void Neighbours_SamePlace(string a, string b) => BothWays(a, b, AddressLevel.SamePlace);

    // The same town, another 丁目 or 番地.
    [Theory]
    [InlineData("中央区中央1-2-3", "中央区中央2-2-3")]                                           // another 丁目
    [InlineData("大宮町37番地29", "大宮町38番地29")]                                             // another 番地
    [InlineData("土気町二十三番地", "土気町32")]
    [InlineData("土気町パークサイド緑346号室", "土気町9-24")]                                      // no house number on one side
    [InlineData("千葉県千葉市緑区土気町 パークサイド緑 346号室", "土気町9番24号")]
    public void SameTownOnly_SameTown(string a, string b) => BothWays(a, b, AddressLevel.SameTown);

    // What must stay apart: another town, also one whose name holds the other's, another city or ward, another street.
    [Theory]
    [InlineData("大宮町1-2", "大宮台1-2")]
    [InlineData("緑区土気町40-8", "緑区土気南40-8")]
    [InlineData("中央区中央1-2-3", "中央区中央港1-2-3")]
    [InlineData("中央区市場町3-4-5", "中央区場町3-4-5")]                                          // 市場町 keeps its 市
    [InlineData("横浜市緑区十日市場町801-1", "横浜市緑区十日場町801-1")]                          // 十日市場町 keeps its numeral
    [InlineData("千代田区四番町1-8", "千代田区一番町1-8")]
    [InlineData("船橋市本町1-2-3", "千葉市中央区本町1-2-3")]                                       // another city
    [InlineData("千葉市緑区土気町40-8", "横浜市緑区土気町40-8")]                                   // another designated city
    [InlineData("千葉市緑区大野台1-1-1", "千葉市中央区大野台1-1-1")]                               // another ward
    [InlineData("中京区寺町通御池上ル上本能寺前町488", "中京区寺町通御池下ル上本能寺前町488")]      // up the street is not down it
    [InlineData("千代田区麹町3-2", "千代田区平河町3-2")]
    public void OtherPlaces_Different(string a, string b) => BothWays(a, b, AddressLevel.Different);

    [Fact]
    public void NoAddressOnEitherSide_IsMissing()
    {
        Compare("中央区中央1-2-3", "").Address.ShouldBe(AddressLevel.Missing);
        Compare("", "中央区中央1-2-3").Address.ShouldBe(AddressLevel.Missing);
    }

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

    // The 方書, compared apart and weakly: a room number alone meets the building's room; left out on a side, no difference.
    [Theory]
    [InlineData("緑区土気町9番24号　パークサイド緑 346号室", "パークサイド緑３４６", AddressSuffixLevel.Equal)]
    [InlineData("緑区土気町9-24-346", "パークサイド緑346号室", AddressSuffixLevel.Equal)]          // the room number alone
    [InlineData("緑区土気町9-24 346号室", "パークサイド緑346号室", AddressSuffixLevel.Equal)]
    [InlineData("緑区土気町9-24-347", "パークサイド緑346号室", AddressSuffixLevel.Different)]
    [InlineData("緑区土気町9-24　パークサイド緑 202", "パークサイド緑346号室", AddressSuffixLevel.Different)]
    [InlineData("緑区土気町9-24　ハイツ緑 346", "パークサイド緑346号室", AddressSuffixLevel.Different)] // another building, same room
    [InlineData("緑区土気町9-24", "パークサイド緑346号室", AddressSuffixLevel.Missing)]
    public void Suffix_Levels(string jps, string citySuffix, AddressSuffixLevel expected) =>
        Compare(jps, "千葉県千葉市緑区土気町９番２４号", citySuffix).AddressSuffix.ShouldBe(expected);

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

    [Fact]
    public void Report_NamesTheNewLevel() =>
        PersonComparer.BuiltIn.ExplainText(Compare("中央区中央2-2-3", "中央区中央1-2-3")).ShouldContain("住所町名のみ一致(+0.0)");
}
