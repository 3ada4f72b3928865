using System.Runtime.InteropServices;

namespace NenkinBatch.Tests.Jobs.Import;

/// <summary>Paths that are not regular files, made for a test.</summary>
internal static class SpecialFiles
{
    public static string Fifo(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (MakeFifo(path, Convert.ToUInt32("644", 8)) != 0)
            throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}");
        return path;
    }

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="limit"/>: a test of a hang must not hang.</summary>
    public static async Task<T> Within<T>(this Task<T> task, TimeSpan limit, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(limit));
        finished.ShouldBe(task, $"{what} did not finish within {limit.TotalSeconds} s");
        return await task;
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
