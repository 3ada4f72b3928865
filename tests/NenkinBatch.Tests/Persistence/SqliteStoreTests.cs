using Microsoft.Data.Sqlite;
using NenkinBatch.Foundation;
using NenkinBatch.Persistence;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Persistence;

/// <summary>The embedded store creates its file only when migrating, owner-only, and opening never creates one.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SqliteStoreTests
{
    [Fact]
    public async Task OpenAsync_MissingFile_FailsAndCreatesNothing()
    {
        var directory = TestDatabase.CreateDirectory();
        try
        {
            var path = Path.Combine(directory, "typo", "nenkn.db");
            var sut = Store.Create(DatabaseTarget.Parse(path, fromCommandLine: true));

            await Should.ThrowAsync<SqliteException>(() => sut.OpenAsync(default));
            Should.Throw<OperatorException>(() => sut.CheckUsable(creating: false)).ExitCode.ShouldBe(ExitCode.UsageError);
            Directory.Exists(Path.Combine(directory, "typo")).ShouldBeFalse();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, true);
        }
    }

    [Fact]
    public async Task MigrateAsync_MissingFileAndFolders_CreatesThemOwnerOnly_AndTheWalFileToo()
    {
        var directory = TestDatabase.CreateDirectory();
        try
        {
            var path = Path.Combine(directory, "a", "b", "nenkin.db");
            var sut = Store.Create(DatabaseTarget.Parse(path, fromCommandLine: false));
            sut.CheckUsable(creating: true);

            await new Migrator(sut, TimeProvider.System).MigrateAsync(default);
            await using var connection = await sut.OpenAsync(default);

            File.GetUnixFileMode(path).ShouldBe(PrivateFolder.OwnerOnlyFile);
            File.GetUnixFileMode(path + "-wal").ShouldBe(PrivateFolder.OwnerOnlyFile);
            File.GetUnixFileMode(Path.Combine(directory, "a")).ShouldBe(PrivateFolder.OwnerOnly);
            File.GetUnixFileMode(Path.Combine(directory, "a", "b")).ShouldBe(PrivateFolder.OwnerOnly);
            (await sut.IsNewAsync(default)).ShouldBeFalse();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, true);
        }
    }
}
