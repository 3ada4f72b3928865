namespace NenkinBatch.Tests.Support;

public class PrivacyGuardTests
{
    [Fact]
    public void LeakedIn_FindsARememberedNumberOnly()
    {
        var number = MemberFile.IndividualNumberFor(424242);
        PrivacyGuard.Remember(number);
        PrivacyGuard.LeakedIn($"line 3: value {number} rejected").ShouldBe([number]);
        PrivacyGuard.LeakedIn("line 3: value ************ rejected, 宛名番号 100000007").ShouldBeEmpty();
        PrivacyGuard.LeakedIn($"1{number}").ShouldBeEmpty(); // part of a longer number is not that number
    }
}
