using NenkinBatch.Persistence;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Runtime;

/// <summary>Where each setting came from, told the way <see cref="Settings.Resolve"/> decides it, and a db value fit to show.</summary>
public class SettingOriginsTests
{
    [Fact]
    public void EachSetting_FromTheHighestLayerThatSetsIt()
    {
        var directory = TestDatabase.CreateDirectory();
        try
        {
            File.WriteAllText(Path.Combine(directory, Settings.FileName), """
                {
                  // a comment, as the shipped template has them
                  "municipalityCode": "121002", "db": "file.db", "logDir": "logs", "chunkSize": 10,
                  "retry": { "maxAttempts": 2 }, "reconcile": { "autoMatchScor": 20 }
                }
                """);
            var environment = new Dictionary<string, string> { ["NENKIN_DB"] = "env.db", ["NENKIN_CHUNK_SIZE"] = " ", ["NENKIN_REPORT_DIR"] = "r" };

            var origins = Settings.Origins(new Settings.CommandLine(null, "011002", null, null), environment.GetValueOrDefault, directory, "/nowhere");

            origins.ConfigFile.ShouldBe(Path.Combine(directory, Settings.FileName));
            var bySetting = origins.Settings.ToDictionary(s => s.Key);
            bySetting["municipalityCode"].ShouldBe(new SettingOrigin("municipalityCode", "NENKIN_MUNICIPALITY_CODE", "011002", SettingSource.CommandLine));
            bySetting["db"].ShouldBe(new SettingOrigin("db", "NENKIN_DB", "env.db", SettingSource.Environment));
            bySetting["reportDir"].Source.ShouldBe(SettingSource.Environment);
            // A blank variable is not set, as the jobs read it.
            bySetting["chunkSize"].ShouldBe(new SettingOrigin("chunkSize", "NENKIN_CHUNK_SIZE", "10", SettingSource.File));
            bySetting["retry.maxAttempts"].ShouldBe(new SettingOrigin("retry.maxAttempts", "NENKIN_RETRY_MAX_ATTEMPTS", "2", SettingSource.File));
            bySetting["keyFile"].ShouldBe(new SettingOrigin("keyFile", "NENKIN_KEY_FILE", null, SettingSource.Default));
            origins.UnknownKeys.ShouldBe(["reconcile.autoMatchScor"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void NoFile_EverythingFromEnvironmentOrDefault()
    {
        var origins = Settings.Origins(new Settings.CommandLine(null, null, null, null), _ => null, "/nonexistent-working", "/nonexistent-executable");

        origins.ConfigFile.ShouldBeNull();
        origins.Settings.ShouldAllBe(s => s.Source == SettingSource.Default);
        origins.UnknownKeys.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Host=db;Database=nenkin;Username=batch;Password=s3cret", "Host=db;Database=nenkin;Username=batch;Password=********")]
    [InlineData("host=db; password = 's3;cret' ;database=n", "host=db;password=******** ;database=n")]
    [InlineData("Host=db;PWD=s3cret;SSL Password=k3y", "Host=db;PWD=********;SSL Password=********")]
    [InlineData("postgresql://batch:s3cret@db:5432/nenkin", "postgresql://batch:********@db:5432/nenkin")]
    [InlineData("postgresql://batch@db/nenkin", "postgresql://batch@db/nenkin")]
    [InlineData("out/nenkin.db", "out/nenkin.db")]
    public void Masked_HidesEveryPasswordKeepsTheRest(string text, string expected)
    {
        DatabaseTarget.Masked(text).ShouldBe(expected);
        DatabaseTarget.Masked(text).ShouldNotContain("s3");
    }
}
