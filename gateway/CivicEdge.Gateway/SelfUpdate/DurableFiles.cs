using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace CivicEdge.Gateway.SelfUpdate;

/// <summary>
/// Writes that survive a power cut. A rename is atomic (POSIX rename(2)) but only durable once the directory holding
/// it is flushed (fsync(2) on the directory), which .NET cannot open as a stream; so these go to libc directly.
/// </summary>
internal static class DurableFiles
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux (x64 and arm64)

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> all or nothing: temp file, fsync, rename, fsync of the folder.</summary>
    public static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        Rename(temp, path);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Points <paramref name="link"/> at <paramref name="target"/> in one step: a new link beside it renamed over it.</summary>
    public static void ReplaceSymbolicLink(string link, string target)
    {
        var temp = link + ".new";
        File.Delete(temp);
        File.CreateSymbolicLink(temp, target);
        Rename(temp, link);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(link))!);
    }

    /// <summary>rename(2): atomic, and it replaces a symbolic link itself rather than what the link points at.</summary>
    public static void Rename(string from, string to)
    {
        if (NativeMethods.Rename(from, to) != 0)
            throw new IOException($"rename '{from}' to '{to}' failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
    }

    /// <summary>fsync(2) on a folder, so that the names created, renamed or removed in it are on disk.</summary>
    public static void FlushDirectory(string path)
    {
        var descriptor = NativeMethods.Open(path, ReadOnly | Directory);
        if (descriptor < 0)
            throw new IOException($"opening the folder '{path}' to flush it failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        try
        {
            if (NativeMethods.Fsync(descriptor) != 0)
                throw new IOException($"flushing the folder '{path}' failed: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
        finally
        {
            _ = NativeMethods.Close(descriptor);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int descriptor);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int descriptor);

        [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
        public static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);
    }
}
