using System.Text;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Jps;
using NenkinBatch.Formats.Juki;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Formats.Members;
using NenkinBatch.Synthetic;

namespace NenkinBatch.Tests.Synthetic;

/// <summary>One generated city shared by the read-back tests (generation is deterministic, so sharing changes nothing).</summary>
public sealed class GeneratedCity : IDisposable
{
    public static readonly CityOptions Options = new() { People = 20_000, Seed = 42, JpsRows = 3_000, JukiChanges = 600 };

    public GeneratedCity()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("nenkin-city-").FullName;
        Counts = new CityGenerator(Options).Generate(Directory);
    }

    private Task<JukiCityFiles>? _juki;

    public string Directory { get; }
    public CityCounts Counts { get; }

    /// <summary>The 住基 files, read once for the tests of a class (which run one after another).</summary>
    public Task<JukiCityFiles> JukiAsync() => _juki ??= JukiCityFiles.ReadAsync(Directory);
    public string File(string name) => Path.Combine(Directory, name);

    public List<string[]> Truth() => System.IO.File.ReadAllLines(File(CityFiles.TruthFile)).Skip(1).Select(l => l.Split(',')).ToList();

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

public class CityGeneratorTests(GeneratedCity city) : IClassFixture<GeneratedCity>
{
    [Fact]
    public void Generate_SameSeed_ByteIdenticalFiles_OtherSeedDiffers()
    {
        var options = GeneratedCity.Options with { People = 3_000, JpsRows = 400, JukiChanges = 100 };
        var a = Directory.CreateTempSubdirectory("nenkin-a-").FullName;
        var b = Directory.CreateTempSubdirectory("nenkin-b-").FullName;
        var c = Directory.CreateTempSubdirectory("nenkin-c-").FullName;
        try
        {
            new CityGenerator(options).Generate(a);
            new CityGenerator(options).Generate(b);
            new CityGenerator(options with { Seed = options.Seed + 1 }).Generate(c);
            foreach (var name in new[] { CityFiles.MembersFile, CityFiles.JpsCsvFile, CityFiles.JpsFixedFile, CityFiles.TruthFile, CityFiles.JukiHistoryFile,
                         CityFiles.JukiDelta1File, CityFiles.JukiDelta2File, CityFiles.FollowUpsFile })
            {
                File.ReadAllBytes(Path.Combine(a, name)).ShouldBe(File.ReadAllBytes(Path.Combine(b, name)), name);
                File.ReadAllBytes(Path.Combine(a, name)).SequenceEqual(File.ReadAllBytes(Path.Combine(c, name))).ShouldBeFalse(name);
            }
        }
        finally
        {
            foreach (var d in new[] { a, b, c }) Directory.Delete(d, true);
        }
    }

    [Fact]
    public void Generate_ExactlyTheRowsAskedFor()
    {
        (city.Counts.People, city.Counts.JpsRows, city.Counts.JukiDelta1Rows, city.Counts.JukiDelta2Rows).ShouldBe((20_000L, 3_000L, 600L, 600L));
        city.Truth().Count.ShouldBe(3_000);
        city.Truth().ShouldAllBe(t => t[0] == "jps");
    }

    [Fact]
    public async Task Members_ReadBackWithoutARejectedRow()
    {
        var rows = 0;
        await foreach (var result in new MembersCsvReader(CodeTables.BuiltIn).ReadAsync(city.File(CityFiles.MembersFile), 0, default))
        {
            result.Problems.Where(p => p.Severity == ProblemSeverity.Error).ShouldBeEmpty();
            rows++;
        }
        rows.ShouldBe((int)city.Counts.MemberRows);
    }

    [Theory]
    [InlineData("jps-result-csv", CityFiles.JpsCsvFile)]
    [InlineData("jps-result-fixed", CityFiles.JpsFixedFile)]
    public async Task JpsList_BothLayouts_ReadBackWithoutARejectedRow_AndAgree(string layout, string file)
    {
        var input = await InputFile.InspectAsync(city.File(file), "auto", default);
        input.Encoding.CodePage.ShouldBe(932);
        var reader = new JpsResultReader(Layout.Resolve(layout), CodeTables.BuiltIn);
        var rows = new List<JpsResultRow>();
        await foreach (var result in reader.ReadAsync(input, 0, default))
        {
            result.Problems.Where(p => p.Severity == ProblemSeverity.Error).ShouldBeEmpty();
            rows.Add(result.Row!);
        }
        rows.Count.ShouldBe(3_000);
        rows.ShouldAllBe(r => r.MunicipalityCode == "121002");
        rows.ShouldContain(r => r.KanjiName!.Contains('〓'));
        rows.ShouldContain(r => r.Result == 1 && r.ErrorCode != null);
        rows.ShouldContain(r => r.KanaName.Contains('ﾞ')); // half-width kana kept as sent
    }

    [Fact]
    public async Task JpsList_BothLayoutsCarryTheSameRows()
    {
        async Task<List<JpsResultRow>> Read(string layout, string file)
        {
            var list = new List<JpsResultRow>();
            var input = await InputFile.InspectAsync(city.File(file), "cp932", default);
            await foreach (var r in new JpsResultReader(Layout.Resolve(layout), CodeTables.BuiltIn).ReadAsync(input, 0, default)) list.Add(r.Row!);
            return list;
        }
        var csv = await Read("jps-result-csv", CityFiles.JpsCsvFile);
        var fixedLength = await Read("jps-result-fixed", CityFiles.JpsFixedFile);
        // The fixed layout has no error text; everything else is the same row for row.
        fixedLength.ShouldBe(csv.Select(r => r with { ErrorText = null }).ToList());
    }

    [Fact]
    public void JpsFiles_OnlyJisX0208_NoVendorExtensions()
    {
        foreach (var file in new[] { CityFiles.JpsCsvFile, CityFiles.JpsFixedFile })
        {
            var bytes = File.ReadAllBytes(city.File(file));
            Should.NotThrow(() => TextEncodings.Cp932Strict.GetString(bytes));
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                if (b is >= 0x81 and <= 0x9F or >= 0xE0 and <= 0xFC)
                {
                    // Lead bytes of NEC row 13 (0x87), NEC-selected IBM (0xED, 0xEE) and IBM (0xFA–0xFC) are not JIS X 0208.
                    b.ShouldNotBeOneOf((byte)0x85, (byte)0x86, (byte)0x87, (byte)0xEB, (byte)0xEC, (byte)0xED, (byte)0xEE, (byte)0xEF, (byte)0xFA, (byte)0xFB, (byte)0xFC);
                    i++;
                }
            }
        }
    }

    [Fact]
    public async Task Members_KeepNonBmpAndVariationSequences_AndUnknownBirthDates()
    {
        var members = await File.ReadAllTextAsync(city.File(CityFiles.MembersFile), Encoding.UTF8);
        members.ShouldContain("𠮷");          // U+20BB7, a surrogate pair, written whole
        members.ShouldContain("辻\U000E0100"); // a kanji with its ideographic variation selector
        members.ShouldContain("葛\U000E0100西");
        members.ShouldContain("0000,");         // 不詳 birth dates (YYYY0000)
    }

    [Fact]
    public void Truth_EveryPersonNamedIsOnFile_RelativesAndStrangersAreNobodyOnFile()
    {
        var members = File.ReadAllLines(city.File(CityFiles.MembersFile)).Skip(1).Select(l => l.Split(',')).ToList();
        var onFile = members.Select(m => m[0]).ToHashSet();
        var pensionNumbers = members.Select(m => m[1]).Where(n => n.Length > 0).ToHashSet();
        var truth = city.Truth();
        truth.Where(t => t[0] == "jps" && t[2].Length > 0).ShouldAllBe(t => onFile.Contains(t[2]));
        truth.Where(t => t[3].Contains("relative-not-on-file") || t[3].Contains("nobody-on-file")).ShouldAllBe(t => t[2] == "");
        truth.Count(t => t[3].Contains("relative-not-on-file")).ShouldBe(60);
        truth.Count(t => t[3].Contains("nobody-on-file")).ShouldBe(30);

        // Relatives are other people: their 基礎年金番号 is nobody's on file.
        var jps = File.ReadAllLines(city.File(CityFiles.JpsCsvFile), TextEncodings.Cp932Strict).Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var t in truth.Where(t => t[3].Contains("relative-not-on-file")))
        {
            var number = jps[int.Parse(t[1], System.Globalization.CultureInfo.InvariantCulture) - 1][4];
            if (number.Length > 0) pensionNumbers.ShouldNotContain(number);
        }
        truth.ShouldContain(t => t[3].Contains("twin"));
        truth.ShouldContain(t => t[3].Contains("old-address"));
        truth.ShouldContain(t => t[3].Contains("homophone"));
        truth.ShouldContain(t => t[3].Contains("geta"));
    }

    [Fact]
    public void Households_TwinsShareBirthDateAddressAndSurname_ButNotAGivenName()
    {
        var twins = new Households(GeneratedCity.Options, Vocabulary.BuiltIn).Generate(new SplitMix(GeneratedCity.Options.Seed))
            .SelectMany(h => h.Where(p => p.IsTwin).Chunk(2)).ToList();
        twins.Count.ShouldBeGreaterThan(20);
        foreach (var pair in twins.Where(p => p.Length == 2))
        {
            pair[0].BirthDate.ShouldBe(pair[1].BirthDate);
            pair[0].Address.ShouldBe(pair[1].Address);
            pair[0].Surname.ShouldBe(pair[1].Surname);
            pair[0].Given.Kana.ShouldNotBe(pair[1].Given.Kana);
            pair[0].AtenaNumber.ShouldNotBe(pair[1].AtenaNumber);
        }
    }
}
