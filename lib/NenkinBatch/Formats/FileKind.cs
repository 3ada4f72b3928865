using System.Runtime.InteropServices;

namespace NenkinBatch.Formats;

/// <summary>What a path names: a list is read only from a regular file.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    /// <summary>A named pipe: opening it waits for a writer, reading it waits for data — for ever, if none comes.</summary>
    Fifo,
    /// <summary>A character or block device (/dev/zero never ends).</summary>
    Device,
    Socket,
}

public static class FileKinds
{
    /// <summary>What <paramref name="path"/> is (through symbolic links), found without opening it.</summary>
    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsLinux() && LinuxKind(path) is { } kind) return kind;
        if (Directory.Exists(path)) return FileKind.Directory;
        return File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>The operator's word for a kind of path that is not a regular file.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "フォルダー",
        FileKind.Fifo => "名前付きパイプ（FIFO）",
        FileKind.Device => "デバイスファイル",
        FileKind.Socket => "ソケット",
        _ => "ファイル",
    };

    // statx(2) has one layout on every Linux architecture, unlike stat(2); stx_mode is the 16 bits at offset 28.
    private static FileKind? LinuxKind(string path)
    {
        var buffer = new byte[256];
        if (Statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0)
        {
            return Marshal.GetLastPInvokeError() switch
            {
                2 or 20 => FileKind.Missing, // ENOENT, ENOTDIR
                _ => null,                   // ENOSYS, EPERM under an old sandbox: the portable check decides
            };
        }
        return (BitConverter.ToUInt16(buffer, 28) & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 or 0x6000 => FileKind.Device,
            0xC000 => FileKind.Socket,
            _ => FileKind.Device,
        };
    }

    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
