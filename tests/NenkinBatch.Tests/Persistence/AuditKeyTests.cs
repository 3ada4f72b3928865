using NenkinBatch.Domain;
using NenkinBatch.Persistence.Audit;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Persistence;

public class AuditKeyTests
{
    private static readonly MunicipalityCode M = TestDatabase.Municipality;

    [Fact]
    public void Key_IsMunicipalityTableKey_AndParsesBackToTheSameKey()
    {
        var everyTable = new (AuditKey Key, string Table, string Stored)[]
        {
            (AuditKey.Person(M, "1000000019"), "person", "121002/person/1000000019"),
            (AuditKey.IndividualNumber(M, "1000000019"), "person_individual_number", "121002/person_individual_number/1000000019"),
            (AuditKey.Qualification(M, "1000000019", new DateOnly(2020, 4, 1)), "qualification", "121002/qualification/1000000019/2020-04-01"),
            (AuditKey.Filing(M, 3, 17), "jps_filing_processed", "121002/jps_filing_processed/3/17"),
            (AuditKey.File(M, 3), "jps_result_file", "121002/jps_result_file/3"),
        };
        foreach (var (key, table, stored) in everyTable)
        {
            key.Table.ShouldBe(table);
            key.Value.ShouldBe(stored);
            key.ToString().ShouldBe(stored);
            var parsed = AuditKey.Parse(stored);
            parsed.ShouldBe(key);
            parsed.GetType().ShouldBe(key.GetType());
            parsed.Municipality.ShouldBe(M);
        }
    }

    [Fact]
    public void Parse_GivesTheTypedParts_UndoReadsThem()
    {
        var period = AuditKey.Parse("121002/qualification/1000000019/2020-04-01").ShouldBeOfType<AuditKey.QualificationKey>();
        (period.AtenaNumber, period.AcquiredOn).ShouldBe(("1000000019", new DateOnly(2020, 4, 1)));
        var filing = AuditKey.Parse("121002/jps_filing_processed/3/17").ShouldBeOfType<AuditKey.FilingKey>();
        (filing.FileId, filing.LineNumber).ShouldBe((3L, 17L));
        AuditKey.Parse("121002/person/12").ShouldBeOfType<AuditKey.PersonKey>().AtenaNumber.ShouldBe("12");
        AuditKey.Parse("121002/person_individual_number/12").ShouldBeOfType<AuditKey.IndividualNumberKey>().AtenaNumber.ShouldBe("12");
        AuditKey.Parse("121002/jps_result_file/3").ShouldBeOfType<AuditKey.FileKey>().FileId.ShouldBe(3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1000000019")]                                    // the old formats
    [InlineData("121002/1000000019")]
    [InlineData("1000000019/2020-04-01")]
    [InlineData("121002/1000000019/2020-04-01")]
    [InlineData("3/17")]
    [InlineData("121002/3")]
    [InlineData("121002/person")]                                 // parts missing, empty or extra
    [InlineData("121002/person/")]
    [InlineData("121002//12")]
    [InlineData("121002/person/12/2020-04-01")]
    [InlineData("121002/qualification/12")]
    [InlineData("121003/person/12")]                              // municipality check digit wrong
    [InlineData("12100/person/12")]
    [InlineData("121002/purge_log/12")]                           // no such audited table
    [InlineData("121002/qualification/12/2020-4-1")]              // not the one spelling of a date or a number
    [InlineData("121002/qualification/12/2021-02-29")]
    [InlineData("121002/jps_filing_processed/007/1")]
    [InlineData("121002/jps_filing_processed/7/-1")]
    [InlineData("121002/jps_result_file/+7")]
    public void TryParse_NotAKeyOfTheScheme_False_AndParseThrows(string text)
    {
        AuditKey.TryParse(text, out var key).ShouldBeFalse();
        key.ShouldBeNull();
        Should.Throw<FormatException>(() => AuditKey.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12/3")]
    public void Build_PartThatCouldNotBeReadBack_Refused(string atena)
    {
        Should.Throw<ArgumentException>(() => AuditKey.Person(M, atena));
        Should.Throw<ArgumentException>(() => AuditKey.Qualification(M, atena, new DateOnly(2020, 4, 1)));
        Should.Throw<ArgumentException>(() => AuditKey.QualificationPrefix(M, atena));
        Should.Throw<ArgumentException>(() => AuditKey.Person(default, "12"));
    }

    [Fact]
    public void QualificationPrefix_EndsWithTheSeparator_SoItsRangeHoldsThatPersonOnly()
    {
        var prefix = AuditKey.QualificationPrefix(M, "12");
        prefix.ShouldBe("121002/qualification/12/");
        var upper = AuditLog.UpperBound(prefix);
        upper.ShouldBe("121002/qualification/120");
        static bool InRange(string key, string from, string to) => string.CompareOrdinal(key, from) >= 0 && string.CompareOrdinal(key, to) < 0;
        InRange(AuditKey.Qualification(M, "12", new DateOnly(1961, 4, 1)).Value, prefix, upper).ShouldBeTrue();
        InRange(AuditKey.Qualification(M, "12", new DateOnly(9999, 12, 31)).Value, prefix, upper).ShouldBeTrue();
        InRange(AuditKey.Qualification(M, "120", new DateOnly(2020, 4, 1)).Value, prefix, upper).ShouldBeFalse();
        InRange(AuditKey.Qualification(M, "123", new DateOnly(2020, 4, 1)).Value, prefix, upper).ShouldBeFalse();
        InRange(AuditKey.Qualification(M, "1", new DateOnly(2020, 4, 1)).Value, prefix, upper).ShouldBeFalse();
    }

    [Fact]
    public void AuditEntry_TakesTheKey_TableAndRecordKeyAreItsColumns()
    {
        var entry = new AuditEntry(AuditKey.Qualification(M, "12", new DateOnly(2020, 4, 1)), "UPDATE", null, null, false);
        (entry.Table, entry.RecordKey).ShouldBe(("qualification", "121002/qualification/12/2020-04-01"));
    }
}
