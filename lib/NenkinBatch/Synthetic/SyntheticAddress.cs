using System.Globalization;
using System.Text;
using NenkinBatch.Domain.Text;

namespace NenkinBatch.Synthetic;

/// <summary>How a list writes the numbers of an address. <see cref="NumberForms.CaseName"/> is the case truth.csv names (notation:…).</summary>
public enum NumberForm
{
    /// <summary>１丁目２番３号: the register's form for a town with 丁目.</summary>
    ChomeBanGo,
    /// <summary>１－２－３, ３７－２９: numbers joined by a dash.</summary>
    Hyphen,
    /// <summary>一丁目２番地３</summary>
    KanjiChome,
    /// <summary>一丁目二番地三, 三十七番地二十九: every number in kanji.</summary>
    Kanji,
    /// <summary>１丁目２の３, ３７の２９</summary>
    No,
    /// <summary>３７番地２９: the register's form for a 番地 town.</summary>
    Banchi,
    /// <summary>３７番２９号: a 番地 and its 枝番 written as 番 and 号.</summary>
    BanGo,
}

public static class NumberForms
{
    public static string CaseName(this NumberForm form) => form switch
    {
        NumberForm.ChomeBanGo => "chome-ban-go",
        NumberForm.Hyphen => "hyphen",
        NumberForm.KanjiChome => "kanji-chome",
        NumberForm.Kanji => "kanji",
        NumberForm.No => "no",
        NumberForm.Banchi => "banchi",
        NumberForm.BanGo => "ban-go",
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    };
}

/// <summary>How one row writes an address: the form of the numbers and what is written around them.</summary>
public sealed record AddressNotation
{
    public NumberForm Form { get; init; }
    public bool Prefecture { get; init; } = true;
    /// <summary>千葉市; always written when the prefecture is.</summary>
    public bool City { get; init; } = true;
    public bool Ward { get; init; } = true;
    /// <summary>大字 before the town's name.</summary>
    public bool Oaza { get; init; }
    /// <summary>The dash of the hyphen form and before a room number.</summary>
    public char Dash { get; init; } = '－';
    /// <summary>ASCII digits (37-29) rather than full-width ones.</summary>
    public bool HalfWidthDigits { get; init; }
    /// <summary>A room number written as one more number (１－２－３－３０４).</summary>
    public int? Room { get; init; }
}

/// <summary>
/// An address of the synthetic city (千葉県千葉市): in a town with 丁目 (<see cref="Chome"/> 丁目 <see cref="Ban"/> 番
/// <see cref="Go"/> 号), or in a town written 町名＋番地 (<see cref="Town.Banchi"/>: <see cref="Ban"/> 番地, <see cref="Go"/> its
/// 枝番 or 0, no 丁目).
/// </summary>
public sealed record SyntheticAddress(Town Town, int Chome, int Ban, int Go)
{
    private const string KanjiDigits = "〇一二三四五六七八九";

    public bool IsBanchi => Town.Banchi;

    /// <summary>How the register writes it: prefecture and city, full-width digits, 丁目/番/号 or 番地.</summary>
    public string Register => Write(new AddressNotation { Form = IsBanchi ? NumberForm.Banchi : NumberForm.ChomeBanGo });

    public string Write(AddressNotation notation)
    {
        var text = new StringBuilder(40);
        if (notation.Prefecture) text.Append("千葉県");
        if (notation.Prefecture || notation.City) text.Append("千葉市");
        if (notation.Ward) text.Append(Town.Ward);
        if (notation.Oaza) text.Append("大字");
        text.Append(Town.Name);
        string D(int n) => notation.HalfWidthDigits ? n.ToString(CultureInfo.InvariantCulture) : KanaWidth.ToFullWidthAscii(n.ToString(CultureInfo.InvariantCulture));
        var dash = notation.Dash;
        if (IsBanchi)
        {
            var branch = Go > 0;
            text.Append(notation.Form switch
            {
                NumberForm.Hyphen => branch ? $"{D(Ban)}{dash}{D(Go)}" : D(Ban),
                NumberForm.BanGo => branch ? $"{D(Ban)}番{D(Go)}号" : $"{D(Ban)}番地",
                NumberForm.No => branch ? $"{D(Ban)}の{D(Go)}" : $"{D(Ban)}番地",
                NumberForm.Kanji => branch ? $"{Kanji(Ban)}番地{Kanji(Go)}" : $"{Kanji(Ban)}番地",
                _ => branch ? $"{D(Ban)}番地{D(Go)}" : $"{D(Ban)}番地",
            });
        }
        else
        {
            text.Append(notation.Form switch
            {
                NumberForm.Hyphen => $"{D(Chome)}{dash}{D(Ban)}{dash}{D(Go)}",
                NumberForm.KanjiChome => $"{Kanji(Chome)}丁目{D(Ban)}番地{D(Go)}",
                NumberForm.Kanji => $"{Kanji(Chome)}丁目{Kanji(Ban)}番地{Kanji(Go)}",
                NumberForm.No => $"{D(Chome)}丁目{D(Ban)}の{D(Go)}",
                NumberForm.Banchi => $"{D(Chome)}丁目{D(Ban)}番地{D(Go)}",
                _ => $"{D(Chome)}丁目{D(Ban)}番{D(Go)}号",
            });
        }
        if (notation.Room is { } room) text.Append(dash).Append(D(room));
        return text.ToString();
    }

    /// <summary>A number in kanji as addresses write it: 三十七, 百五, 千四百九十七.</summary>
    public static string Kanji(int n)
    {
        if (n <= 0) return "〇";
        var text = new StringBuilder(8);
        foreach (var (unit, mark) in new[] { (1000, "千"), (100, "百"), (10, "十") })
        {
            var d = n / unit % 10;
            if (d == 0) continue;
            if (d > 1) text.Append(KanjiDigits[d]);
            text.Append(mark);
        }
        if (n % 10 > 0) text.Append(KanjiDigits[n % 10]);
        return text.ToString();
    }

    /// <summary>An address in a town with 丁目: four draws, as every seed has always drawn them.</summary>
    public static SyntheticAddress InChomeTown(SplitMix random, Vocabulary vocabulary) =>
        new(random.Pick(vocabulary.Towns), random.Between(1, 5), random.Between(1, 30), random.Between(1, 20));

    /// <summary>An address in a 番地 town: a 番地 up to 1500, with a 枝番 or without.</summary>
    public static SyntheticAddress InBanchiTown(SplitMix random, Vocabulary vocabulary, CityOptions options) =>
        new(random.Pick(vocabulary.BanchiTowns), 0, random.Between(1, 1500), random.Chance(options.BranchNumberRate) ? random.Between(1, 40) : 0);

    /// <summary>An address anywhere in the city: a 番地 town at <see cref="CityOptions.BanchiTownRate"/>.</summary>
    public static SyntheticAddress Draw(SplitMix random, Vocabulary vocabulary, CityOptions options) =>
        random.Chance(options.BanchiTownRate) ? InBanchiTown(random, vocabulary, options) : InChomeTown(random, vocabulary);
}

/// <summary>An address in another city, where people who left went: the register's 転出先, and what JPS knows of them since.</summary>
public sealed record Elsewhere(string Address, string PostalCode)
{
    /// <summary>Addresses of other cities that do not exist (九丁目).</summary>
    public static readonly IReadOnlyList<Elsewhere> All =
    [
        new("東京都中野区中野九丁目１番１号", "1640001"),
        new("埼玉県さいたま市浦和区高砂九丁目２番３号", "3300063"),
        new("神奈川県横浜市中区本町九丁目４番５号", "2310005"),
        new("大阪府大阪市北区梅田九丁目６番７号", "5300001"),
    ];
}
