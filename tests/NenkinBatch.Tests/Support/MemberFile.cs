using System.Globalization;
using System.Text;
using NenkinBatch.Domain;

namespace NenkinBatch.Tests.Support;

/// <summary>
/// Writes members-csv files of synthetic people for tests: deterministic, valid unless a row is
/// spoiled on purpose, and remembering every 個人番号 it wrote so privacy tests can look for them.
/// </summary>
public sealed class MemberFile
{
    public const string Header = "宛名番号,基礎年金番号,氏名,氏名フリガナ,生年月日,性別,郵便番号,住所,方書,住民状態,消除年月日,被保険者種別,資格取得年月日,取得事由,資格喪失年月日,喪失事由,個人番号";

    private static readonly string[] Surnames = ["佐藤", "鈴木", "髙橋", "田中", "渡邊", "伊藤", "山﨑", "齋藤"];
    private static readonly string[] Given = ["太郎", "花子", "恭子", "裕子", "健", "翔"];

    public List<string[]> Rows { get; } = [];
    public List<string> IndividualNumbers { get; } = [];

    /// <summary>Row i of a synthetic city: person i, with one 資格 period, every third person with a 個人番号.</summary>
    public static string[] Person(int i, bool withNumber = true)
    {
        var atena = AtenaNumber.WithCheckDigit((100000000 + i).ToString("D9", CultureInfo.InvariantCulture));
        var birth = new DateOnly(1960, 1, 1).AddDays(i % 15000);
        var number = withNumber && i % 3 == 0 ? IndividualNumberFor(i) : "";
        return
        [
            atena, i % 4 == 0 ? "" : (1000000000L + i).ToString(CultureInfo.InvariantCulture),
            $"{Surnames[i % Surnames.Length]}　{Given[i % Given.Length]}", "テスト タロウ",
            birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture), (i % 2 + 1).ToString(CultureInfo.InvariantCulture), "2600013",
            $"千葉県千葉市中央区中央{i % 9 + 1}丁目{i % 20 + 1}番{i % 30 + 1}号", i % 7 == 0 ? "コーポ201" : "", "1", "",
            "1", birth.AddYears(20).ToString("yyyyMMdd", CultureInfo.InvariantCulture), "01", "", "", number,
        ];
    }

    public static string IndividualNumberFor(int i)
    {
        var body = (20000000000L + i * 7919L).ToString("D11", CultureInfo.InvariantCulture);
        return body + CheckDigit.Modulus11(body);
    }

    /// <summary>The same digits with the check digit off by one: a 個人番号 that must be rejected.</summary>
    public static string WithWrongCheckDigit(string number) => number[..^1] + (char)('0' + (number[^1] - '0' + 1) % 10);

    public static MemberFile Synthetic(int count)
    {
        var file = new MemberFile();
        for (var i = 0; i < count; i++) file.Add(Person(i));
        return file;
    }

    public MemberFile Add(string[] row)
    {
        Rows.Add(row);
        if (row.Length > 16 && row[16].Length == 12) IndividualNumbers.Add(row[16]);
        foreach (var field in row.Where(f => f.Length == 12 && f.All(char.IsAsciiDigit))) PrivacyGuard.Remember(field);
        return this;
    }

    public string Write(string path)
    {
        var text = new StringBuilder(Header).Append("\r\n");
        foreach (var row in Rows) text.Append(string.Join(",", row.Select(Quote))).Append("\r\n");
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
