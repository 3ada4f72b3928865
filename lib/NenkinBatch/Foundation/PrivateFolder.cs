namespace NenkinBatch.Foundation;

/// <summary>
/// A folder the suite writes personal data into (logs and rejected-row lists, reports, the SQLite database): created
/// owner-only, and checked before a run depends on it, so a path that cannot be used is an operator's error that
/// names it (exit 64) rather than a failure in the middle of the work. On Windows the folder's ACL decides who reads.
/// </summary>
public static class PrivateFolder
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Every permission of the group and of other users (077): none of them on what holds personal data.</summary>
    public const UnixFileMode GroupAndOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>A mode as an operator writes it for chmod (0644).</summary>
    public static string ModeText(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    /// <summary>Creates the folder owner-only where it is missing (with any missing folders above it) and makes sure this account can write in it.</summary>
    /// <param name="what">What the folder is for, as the operator knows it (ログの出力先).</param>
    /// <param name="names">The option and settings that name it (--log-dir、設定 logDir、環境変数 NENKIN_LOG_DIR).</param>
    public static void Prepare(string path, string what, string names)
    {
        if (File.Exists(path))
            throw new OperatorException(ExitCode.UsageError, $"{what} {path} はファイルです。{names} にはフォルダーのパスを指定してください。");
        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
            else CreateOwnerOnly(path);
            CheckWritable(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, what, names, e);
        }
    }

    /// <summary>Refuses a folder this account cannot create a file in, before a run needs to.</summary>
    public static void CheckWritable(string path, string what, string names)
    {
        try
        {
            CheckWritable(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, what, names, e);
        }
    }

    /// <summary>The permissions of an existing folder or file when users other than its owner and group may read it; null otherwise or on Windows.</summary>
    public static string? OpenToOthers(string path)
    {
        if (OperatingSystem.IsWindows() || !Path.Exists(path)) return null;
        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) == 0 ? null : ModeText(mode);
    }

    /// <summary>Each missing folder down to the path, owner-only: Directory.CreateDirectory gives the mode to the last one only.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreateOwnerOnly(string path)
    {
        var missing = new Stack<string>();
        for (var folder = Path.GetFullPath(path); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
            missing.Push(folder);
        while (missing.TryPop(out var folder)) Directory.CreateDirectory(folder, OwnerOnly);
    }

    /// <summary>How to open a file the suite may create: created owner-only (0600) whatever the umask; on Windows the folder's ACL applies.</summary>
    public static FileStreamOptions OwnerOnlyFileOptions(FileMode mode, FileAccess access, FileShare share = FileShare.None, FileOptions options = FileOptions.None)
    {
        var file = new FileStreamOptions { Mode = mode, Access = access, Share = share, Options = options };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = OwnerOnlyFile;
        return file;
    }

    /// <summary>Creates and removes a file: the only test that agrees with the OS on permissions, ACLs, read-only mounts and full disks.</summary>
    private static void CheckWritable(string path)
    {
        using var probe = new FileStream(Path.Combine(path, $".nenkin-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}"),
            OwnerOnlyFileOptions(FileMode.CreateNew, FileAccess.Write, options: FileOptions.DeleteOnClose));
    }

    private static OperatorException NotWritable(string path, string what, string names, Exception e) => new(ExitCode.UsageError,
        $"{what} {path} に書き込めません（{(e is UnauthorizedAccessException ? "権限がありません" : "フォルダーを作れないか、その中にファイルを作れません")}）。" +
        $"{names} のパスと、この利用者（{Environment.UserName}）の書き込み権限を確認してください。", e);
}
