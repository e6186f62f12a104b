using System.Globalization;
using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// The gateway's one LiteDB file: the outbox, the quarantine, device state (pulse totals, alarm states) and later
/// update staging all live in it, so one fsync commits a reading together with whatever state it changed.
/// </summary>
/// <remarks>
/// <para>
/// LiteDB binds an explicit transaction to the calling thread, so every use runs synchronously under one lock
/// (<see cref="Read{T}"/>, <see cref="Write{T}"/>) and a transaction never spans an <c>await</c>.
/// </para>
/// <para>
/// The file and its journal (LiteDB's <c>-log</c> file) are opened here and handed to LiteDB as streams, so that a
/// commit is made durable with one fsync of the journal, and so that a failed write (a full disk, an I/O error) can be
/// handled like a killed process: LiteDB 5 keeps the first write error and fails every later operation, and closing it
/// normally would checkpoint and truncate the journal, losing committed transactions. Instead the engine is abandoned
/// with its streams closed, and the next use reopens the file, replaying every committed transaction from the journal.
/// </para>
/// <para>
/// A file that cannot be read on opening is rebuilt by LiteDB where it can be (its original kept as <c>-backup</c>),
/// otherwise renamed aside with a timestamp and replaced by a fresh one; never deleted. An identity kept both in the
/// file and beside it (<c>.id</c>) shows a file that opened but lost its contents or was replaced by an older copy.
/// After any of these, <see cref="SequenceFloor"/> keeps new sequence numbers above every number used before.
/// </para>
/// </remarks>
public sealed partial class GatewayDatabase : IDisposable
{
    private const string MetaCollection = "meta";
    private const string IdentityKey = "identity";
    private const string IdField = "id";
    private const string CreatedField = "created";
    private const string FloorField = "floor";
    private const string RebuildErrorsCollection = "_rebuild_errors";

    private readonly IDatabaseFiles _files;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GatewayDatabase> _logger;
    private readonly FileStream _lock;
    private readonly Lock _gate = new();
    private LiteDatabase? _database;
    private DurableStream? _data;
    private DurableStream? _log;
    private JournalWriter? _journal;
    private bool _disposed;

    /// <summary>Opens (or creates) the file on the local disk; a journal left by a killed process is replayed by LiteDB.</summary>
    /// <param name="path">The LiteDB file; its folder is created when missing.</param>
    /// <exception cref="IOException">Another process has the file open, or it cannot be read or created.</exception>
    public GatewayDatabase(string path)
        : this(path, DiskDatabaseFiles.Instance, TimeProvider.System, NullLogger<GatewayDatabase>.Instance)
    {
    }

    /// <summary>Opens (or creates) the file through <paramref name="files"/>, recovering a damaged one.</summary>
    /// <param name="path">The LiteDB file; its folder is created when missing.</param>
    /// <param name="files">Where the data and journal files are opened.</param>
    /// <param name="timeProvider">The clock that stamps recoveries and renamed files.</param>
    /// <param name="logger">Where recoveries and write failures are logged.</param>
    /// <exception cref="IOException">Another process has the file open, or it cannot be read or created.</exception>
    public GatewayDatabase(string path, IDatabaseFiles files, TimeProvider timeProvider, ILogger<GatewayDatabase> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _files = files;
        _timeProvider = timeProvider;
        _logger = logger;
        Path = System.IO.Path.GetFullPath(path);
        LogPath = LiteDbLogPath(Path);
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);

        _lock = TakeLock(Path);
        try
        {
            Recovery = OpenWithRecovery();
        }
        catch
        {
            CloseEngine(abandon: true);
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>The full path of the LiteDB file.</summary>
    public string Path { get; }

    /// <summary>The full path of its journal, where LiteDB keeps committed transactions until a checkpoint.</summary>
    public string LogPath { get; }

    /// <summary>What opening the file took; reported to the fleet when it was more than opening it.</summary>
    public DatabaseRecovery Recovery { get; }

    /// <summary>New sequence numbers are kept above this value (0 unless the file was ever recovered).</summary>
    public long SequenceFloor { get; private set; }

    /// <summary>Counts the times the file was opened; caches built from its contents are rebuilt when it changes.</summary>
    public long Generation { get; private set; }

    /// <summary>Runs <paramref name="work"/> under the database's lock, outside any transaction.</summary>
    /// <exception cref="IOException">The file cannot be read or reopened.</exception>
    public T Read<T>(Func<LiteDatabase, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            var database = EnsureOpen();
            try
            {
                return work(database);
            }
            catch (IOException ex)
            {
                Abandon(ex);
                throw;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> under the database's lock in one transaction: when this returns, everything it
    /// wrote is durable (committed and synced to the medium). When it throws an <see cref="IOException"/> the
    /// transaction may or may not have reached the journal; when it throws anything else, nothing it wrote is kept.
    /// </summary>
    public T Write<T>(Func<LiteDatabase, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            var database = EnsureOpen();
            database.BeginTrans();
            T result;
            try
            {
                result = work(database);
                database.Commit();
                _journal!.WaitUntilWritten();
                _log!.Sync();
                if (_data!.Failure is { } dataFailure)
                    throw new IOException(dataFailure.Message, dataFailure);
            }
            catch (IOException ex)
            {
                Abandon(ex);
                throw;
            }
            catch
            {
                try
                {
                    database.Rollback();
                }
                catch (Exception rollback)
                {
                    Abandon(rollback);
                }

                throw;
            }

            return result;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            CloseEngine(abandon: false);
            _lock.Dispose();
        }
    }

    /// <summary>LiteDB's name for the journal of <paramref name="path"/>: <c>name-log.ext</c> beside it.</summary>
    public static string LiteDbLogPath(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path) ?? string.Empty;
        return System.IO.Path.Combine(folder, System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));
    }

    private LiteDatabase EnsureOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_database is not null)
            return _database;

        OpenEngine();
        LogReopened(_logger, Path);
        return _database!;
    }

    private DatabaseRecovery OpenWithRecovery()
    {
        var now = _timeProvider.GetUtcNow();
        var recovery = DatabaseRecovery.None(now);
        if (File.Exists(Path) && new FileInfo(Path).Length > 0)
        {
            try
            {
                OpenEngine();
                Verify(_database!);
            }
            catch (Exception damage) when (IsDamage(damage))
            {
                CloseEngine(abandon: true);
                LogDamaged(_logger, Path, damage.GetType().Name, damage.Message);
                recovery = TryRebuild(damage, now) ?? MoveAside(damage, now);
                OpenEngine();
                Verify(_database!);
            }
        }
        else
        {
            OpenEngine();
        }

        return SettleIdentity(recovery, now);
    }

    private void OpenEngine()
    {
        DurableStream? data = null;
        DurableStream? log = null;
        try
        {
            data = new DurableStream(_files.Open(Path));
            log = new DurableStream(_files.Open(LogPath), dataFile: data);
            _database = new LiteDatabase(data, mapper: null, logStream: log) { UtcDate = true };
            _journal = new JournalWriter(_database);
            (_data, _log) = (data, log);
            Generation++;
        }
        catch
        {
            log?.Dispose();
            data?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Closes the engine. Abandoning it closes the streams first, so that nothing LiteDB does on its way out (a
    /// checkpoint, truncating the journal) can reach the files: what is in the journal stays there for the next open.
    /// </summary>
    private void CloseEngine(bool abandon)
    {
        var (database, data, log) = (_database, _data, _log);
        (_database, _data, _log, _journal) = (null, null, null, null);
        if (abandon)
        {
            log?.Dispose();
            data?.Dispose();
        }

        try
        {
            database?.Dispose();
        }
        catch (Exception) when (abandon)
        {
            // Expected: the engine cannot write to the closed streams; its journal is intact on disk.
        }

        if (!abandon)
        {
            try
            {
                data?.Sync();
                log?.Sync();
            }
            catch (IOException ex)
            {
                // The journal was not emptied (DurableStream never truncates it after a failed write): the next open
                // replays it.
                LogCloseFailed(_logger, Path, ex.Message);
            }
            finally
            {
                log?.Dispose();
                data?.Dispose();
            }
        }
    }

    private void Abandon(Exception cause)
    {
        LogAbandoned(_logger, Path, cause.Message);
        CloseEngine(abandon: true);
    }

    /// <summary>
    /// Reads every document of every collection once, so that a damaged page fails now, where it can be recovered,
    /// rather than later in the middle of a delivery. LiteDB pages carry no checksum, so damage inside a value that
    /// still parses goes unnoticed; damage to a page header, an index or a document's structure does not. It takes
    /// about half a second per 200,000 readings on a 2-core box.
    /// </summary>
    private static void Verify(LiteDatabase database)
    {
        foreach (var name in database.GetCollectionNames().ToList())
        {
            var collection = database.GetCollection(name);
            var documents = collection.FindAll().LongCount();
            if (documents != collection.LongCount())
                throw new InvalidDataException($"Collection {name}: its index counts {collection.LongCount()} documents but {documents} were read.");
        }
    }

    /// <summary>
    /// An exception from opening a file that is damaged, as opposed to one the operator must fix (permissions, a full
    /// or missing disk): LiteDB reports damage as <see cref="LiteException"/> and, for some damage, as whatever its
    /// page readers throw.
    /// </summary>
    private static bool IsDamage(Exception exception) =>
        exception is not (UnauthorizedAccessException or OutOfMemoryException)
        && (exception is not IOException || exception is EndOfStreamException);

    private DatabaseRecovery? TryRebuild(Exception damage, DateTimeOffset now)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        var before = Directory.GetFiles(folder).ToHashSet(StringComparer.Ordinal);
        Exception? last = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            try
            {
                // LiteDB's rebuild reads every page it can and writes a new file, keeping the original as -backup; on
                // some damage the first open only marks the file for rebuild and the explicit rebuild does the work.
                using var repair = new LiteDatabase(new ConnectionString
                {
                    Filename = Path,
                    Connection = ConnectionType.Direct,
                    AutoRebuild = true,
                });
                if (attempt == 2)
                    repair.Rebuild(new LiteDB.Engine.RebuildOptions { IncludeErrorReport = true });
                Verify(repair);
                var errors = repair.CollectionExists(RebuildErrorsCollection) ? repair.GetCollection(RebuildErrorsCollection).Count() : 0;
                var backup = Directory.GetFiles(folder).Where(file => !before.Contains(file) && file.Contains("-backup", StringComparison.Ordinal)).Order(StringComparer.Ordinal).LastOrDefault();
                var detail = $"{damage.Message}; LiteDB rebuilt the file from the pages it could read ({errors} errors listed in its {RebuildErrorsCollection} collection)";
                LogRebuilt(_logger, Path, errors, backup ?? "none");
                return new DatabaseRecovery(DatabaseRecoveryKind.Rebuilt, detail, backup, now, 0);
            }
            catch (Exception ex) when (IsDamage(ex))
            {
                last = ex;
            }
        }

        LogRebuildFailed(_logger, Path, last?.Message ?? "unknown");
        return null;
    }

    private DatabaseRecovery MoveAside(Exception damage, DateTimeOffset now)
    {
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = $"{Path}.damaged-{stamp}";
        for (var n = 1; File.Exists(target); n++)
            target = $"{Path}.damaged-{stamp}-{n}";
        File.Move(Path, target);
        if (File.Exists(LogPath))
            File.Move(LogPath, target + "-log");
        LogMovedAside(_logger, Path, target);
        return new DatabaseRecovery(
            DatabaseRecoveryKind.MovedAside,
            $"{damage.Message}; LiteDB could not rebuild the file, so it was renamed to {target} and a fresh outbox started",
            target,
            now,
            0);
    }

    /// <summary>
    /// Compares the identity stored in the file with the one kept beside it, records a fresh one where there is none,
    /// and after any recovery raises <see cref="SequenceFloor"/> above every sequence number used before.
    /// </summary>
    private DatabaseRecovery SettleIdentity(DatabaseRecovery recovery, DateTimeOffset now)
    {
        var sidecar = Path + ".id";
        var remembered = File.Exists(sidecar) ? File.ReadAllText(sidecar).Trim() : null;
        var database = _database!;
        var meta = database.GetCollection(MetaCollection);
        var identity = meta.FindById(IdentityKey);
        if (recovery.Kind == DatabaseRecoveryKind.None && !string.IsNullOrEmpty(remembered))
        {
            if (identity is null)
            {
                recovery = new DatabaseRecovery(DatabaseRecoveryKind.ContentsLost,
                    $"{sidecar} names outbox {remembered} but the file holds no identity: it lost its contents or was replaced", null, now, 0);
            }
            else if (identity[IdField].AsString != remembered)
            {
                recovery = new DatabaseRecovery(DatabaseRecoveryKind.ContentsLost,
                    $"{sidecar} names outbox {remembered} but the file is outbox {identity[IdField].AsString}: it was replaced by another copy", null, now, 0);
            }

            if (recovery.Kind != DatabaseRecoveryKind.None)
                LogContentsLost(_logger, Path, recovery.Detail);
        }

        identity ??= new BsonDocument
        {
            ["_id"] = IdentityKey,
            [IdField] = Guid.NewGuid().ToString("N"),
            [CreatedField] = now.UtcDateTime,
            [FloorField] = 0L,
        };
        if (recovery.Kind != DatabaseRecoveryKind.None)
        {
            // Microseconds since 1970 exceed any count of records a gateway can have numbered since it was installed
            // (it would take a million per second since 1970), so the new numbers lie above every old one.
            var floor = Math.Max(identity[FloorField].AsInt64, (now - DateTimeOffset.UnixEpoch).Ticks / 10);
            identity[FloorField] = floor;
            recovery = recovery with { SequenceFloor = floor };
        }

        database.BeginTrans();
        meta.Upsert(identity);
        database.Commit();
        _journal!.WaitUntilWritten();
        _log!.Sync();
        SequenceFloor = identity[FloorField].AsInt64;

        var id = identity[IdField].AsString;
        if (remembered != id)
            WriteSidecar(sidecar, id);
        return recovery;
    }

    private static void WriteSidecar(string sidecar, string id)
    {
        var temporary = sidecar + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(id + "\n"));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, sidecar, overwrite: true);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The gateway database {Path} is damaged ({ErrorType}: {Error}); recovering it")]
    private static partial void LogDamaged(ILogger logger, string path, string errorType, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebuilt the gateway database {Path} from the pages LiteDB could read: {Errors} errors; the original is kept as {Backup}")]
    private static partial void LogRebuilt(ILogger logger, string path, int errors, string backup);

    [LoggerMessage(Level = LogLevel.Error, Message = "LiteDB could not rebuild the gateway database {Path}: {Error}")]
    private static partial void LogRebuildFailed(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Moved the damaged gateway database {Path} aside to {Target} and started a fresh one; the readings in it are not lost but no longer delivered")]
    private static partial void LogMovedAside(ILogger logger, string path, string target);

    [LoggerMessage(Level = LogLevel.Error, Message = "The gateway database {Path} is not the one this gateway wrote last: {Detail}")]
    private static partial void LogContentsLost(ILogger logger, string path, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed the gateway database {Path} after a failed write ({Error}); it is reopened from its journal on next use")]
    private static partial void LogAbandoned(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sync the gateway database {Path} on closing ({Error}); its journal keeps what was committed")]
    private static partial void LogCloseFailed(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reopened the gateway database {Path} from its journal")]
    private static partial void LogReopened(ILogger logger, string path);
}
