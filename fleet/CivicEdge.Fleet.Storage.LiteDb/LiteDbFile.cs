using LiteDB;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>Opens the fleet's LiteDB files, every one the same way.</summary>
internal static class LiteDbFile
{
    /// <summary>
    /// Opens (or creates) the file at <paramref name="fullPath"/>, making its folder. Binary collation compares keys
    /// ordinally: ids differing only in case stay apart, and composite keys sort by their parts. It is fixed when the
    /// file is created; LiteDB refuses a file made with another.
    /// </summary>
    /// <param name="fullPath">The file's full path.</param>
    /// <param name="what">What the file holds, for the error, e.g. "the fleet store".</param>
    /// <exception cref="InvalidOperationException">The file cannot be opened, e.g. it is in use or was made with another collation.</exception>
    public static LiteDatabase Open(string fullPath, string what)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        try
        {
            return new LiteDatabase(new ConnectionString
            {
                Filename = fullPath,
                Connection = ConnectionType.Direct,
                Collation = Collation.Binary,
            })
            {
                UtcDate = true,
            };
        }
        catch (Exception exception) when (exception is LiteException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{fullPath}: cannot open {what}: {exception.Message}", exception);
        }
    }
}
