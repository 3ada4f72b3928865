using BenchmarkDotNet.Attributes;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Text;
using NenkinBatch.Matching;

namespace NenkinBatch.Benchmarks;

/// <summary>The functions every row of every file goes through.</summary>
[MemoryDiagnoser]
public class HotFunctions
{
    private const string Number = "123456789018";

    [Benchmark]
    public bool IndividualNumberParse() => IndividualNumber.Parse(Number).Ok;

    [Benchmark]
    public DateOnly WarekiParse() => WarekiCodec.Jps.Parse("5450312").Value;

    [Benchmark]
    public string WarekiFormat() => WarekiCodec.Jps.Format(new DateOnly(1970, 3, 12));

    [Benchmark]
    public string HalfWidthKana() => KanaWidth.ToHalfWidth("ワタナベ　キョウコ");

    [Benchmark]
    public bool BirthDateParse() => BirthDate.ParseCompact("19700312").Ok;

    /// <summary>Every person on file once: the register's form, full-width, with 丁目.</summary>
    [Benchmark]
    public string AddressParseRegister() => AddressCanon.Parse("千葉県千葉市中央区中央１丁目２番３号").Canonical;

    /// <summary>Every JPS row once: city left out, a town without 丁目, a 方書 after a space.</summary>
    [Benchmark]
    public string AddressParseWithSuffix() => AddressCanon.Parse("千葉市緑区土気町９番２４号　パークサイド緑 346号室").Canonical;
}
