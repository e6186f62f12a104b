using LiteDB;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// The gateway's one LiteDB file: the outbox, the quarantine, device state (pulse totals, alarm states) and later
/// update staging all live in it, so one fsync commits a reading together with whatever state it changed.
/// </summary>
/// <remarks>
/// LiteDB binds an explicit transaction to the calling thread, so every use runs synchronously under one lock
/// (<see cref="Read{T}"/>, <see cref="Write{T}"/>) and a transaction never spans an <c>await</c>.
/// </remarks>
public sealed class GatewayDatabase : IDisposable
{
    private readonly LiteDatabase _database;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Opens (or creates) the file; a journal left by a killed process is replayed by LiteDB.</summary>
    /// <param name="path">The LiteDB file; its folder is created when missing.</param>
    /// <exception cref="IOException">Another process has the file open.</exception>
    public GatewayDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);

        _lock = TakeLock(Path);
        try
        {
            _database = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct })
            {
                UtcDate = true,
            };
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>The full path of the LiteDB file.</summary>
    public string Path { get; }

    /// <summary>Runs <paramref name="work"/> under the database's lock, outside any transaction.</summary>
    public T Read<T>(Func<LiteDatabase, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(_database);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> under the database's lock in one transaction: when this returns, everything it
    /// wrote is durable; when it throws, nothing it wrote is.
    /// </summary>
    public T Write<T>(Func<LiteDatabase, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _database.BeginTrans();
            try
            {
                var result = work(_database);
                _database.Commit();
                return result;
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _database.Dispose();
            _lock.Dispose();
        }
    }

    /// <summary>
    /// LiteDB's direct mode does not keep a second process out of the file, and two writers would number records
    /// twice; an exclusive lock on a file beside it does (an advisory lock on Linux, honoured by every .NET process).
    /// </summary>
    private static FileStream TakeLock(string path)
    {
        var lockPath = path + ".lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The gateway database '{path}' is already open in another process (it holds '{lockPath}').", ex);
        }
    }
}
