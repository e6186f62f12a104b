using System.Formats.Tar;
using System.IO.Compression;

namespace CivicEdge.Gateway.SelfUpdate;

/// <summary>
/// Unpacks a gateway payload — a gzip-compressed tar (POSIX ustar or pax) of a published gateway folder, with
/// <c>civicedge-gateway</c> at its top — into an inactive slot. The slot is emptied first, every file is flushed to
/// disk, and the version marker is written last, so a slot cut short by a power loss is recognised and staged again.
/// Only regular files, folders and symbolic links that stay inside the slot are accepted.
/// </summary>
public static class SlotStager
{
    /// <summary>
    /// Stages <paramref name="payload"/> into <paramref name="slotFolder"/>, calling <paramref name="fileWritten"/>
    /// after each file; throws <see cref="InvalidDataException"/> saying which entry is wrong.
    /// </summary>
    public static async Task StageAsync(string payload, string slotFolder, string version, Action? fileWritten, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(payload);
        ArgumentException.ThrowIfNullOrEmpty(slotFolder);
        ArgumentException.ThrowIfNullOrEmpty(version);
        var slot = Path.GetFullPath(slotFolder);
        if (Directory.Exists(slot))
            Directory.Delete(slot, recursive: true);
        Directory.CreateDirectory(slot);
        var folders = new HashSet<string>(StringComparer.Ordinal) { slot };

        await using (var file = new FileStream(payload, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        await using (var tar = new TarReader(gzip))
        {
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var destination = Inside(slot, entry.Name);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(destination);
                        folders.Add(destination);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        folders.Add(Path.GetDirectoryName(destination)!);
                        await using (var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                        {
                            if (entry.DataStream is { } data)
                                await data.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                            output.Flush(flushToDisk: true);
                        }
                        SetMode(destination, (UnixFileMode)entry.Mode & (UnixFileMode)0x1FF);
                        fileWritten?.Invoke();
                        break;
                    case TarEntryType.SymbolicLink:
                        var linkTarget = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(destination)!, entry.LinkName));
                        if (Path.IsPathRooted(entry.LinkName) || !IsWithin(slot, linkTarget))
                            throw new InvalidDataException($"payload entry '{entry.Name}': expected a symbolic link within the slot, found one to '{entry.LinkName}'");
                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        File.CreateSymbolicLink(destination, entry.LinkName);
                        break;
                    case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                        break;
                    default:
                        throw new InvalidDataException($"payload entry '{entry.Name}': expected a file, folder or symbolic link, found a {entry.EntryType} entry");
                }
            }
        }

        var executable = Path.Combine(slot, InstallLayout.Executable);
        if (!File.Exists(executable))
            throw new InvalidDataException($"payload: expected '{InstallLayout.Executable}' at the top of the archive, found no such file");
        if (!IsExecutable(executable))
            throw new InvalidDataException($"payload: expected '{InstallLayout.Executable}' to be executable (mode u+x), found it without");

        foreach (var folder in folders.OrderByDescending(f => f.Length))
            DurableFiles.FlushDirectory(folder);
        DurableFiles.WriteAtomically(Path.Combine(slot, InstallLayout.VersionMarker), version + "\n");
    }

    /// <summary>The version a slot holds when it was completely staged; null when it was not.</summary>
    public static string? StagedVersion(string slotFolder)
    {
        var marker = Path.Combine(slotFolder, InstallLayout.VersionMarker);
        return File.Exists(marker) ? File.ReadAllText(marker).Trim() : null;
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, mode);
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;

    private static string Inside(string slot, string name)
    {
        var destination = Path.GetFullPath(Path.Combine(slot, name));
        if (Path.IsPathRooted(name) || !IsWithin(slot, destination))
            throw new InvalidDataException($"payload entry '{name}': expected a relative path within the slot, found one that leaves it");
        return destination;
    }

    private static bool IsWithin(string folder, string path) =>
        path.Equals(folder, StringComparison.Ordinal) || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
