using System.Runtime.InteropServices;

namespace NenkinBatch.Runtime.Cli;

/// <summary>
/// Reports, workbooks, logs, rejected-row lists and the database hold names, birth dates and pension numbers: whatever
/// the umask of the shell, cron or service that started an executable, everything it creates — by the suite or by
/// NLog, SQLite (-wal, -journal), CsvHelper and SpreadCheetah — is its owner's only (files 0600, folders 0700).
/// On Windows the umask does not exist; a new file takes the ACL of its folder.
/// </summary>
internal static class OwnerOnlyFiles
{
    private const uint GroupAndOthers = (uint)Foundation.PrivateFolder.GroupAndOthers; // 077

    public static void Apply()
    {
        if (OperatingSystem.IsWindows()) return;
        _ = SetUmask(GroupAndOthers);
    }

    // DllImport rather than LibraryImport: the call marshals nothing, and the library stays free of unsafe code.
    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint SetUmask(uint mask);
}
