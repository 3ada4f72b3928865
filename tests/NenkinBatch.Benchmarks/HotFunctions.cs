using BenchmarkDotNet.Attributes;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Text;

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
}
