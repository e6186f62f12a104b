using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using LiteDB;

namespace CivicEdge.Gateway.Storage;

/// <summary>
/// Waits until LiteDB has written a committed transaction to its journal. LiteDB 5 returns from <c>Commit</c> as soon
/// as the pages are queued for its background writer, and reports a failed write only on a later operation; a reading
/// "durable before anything else sees it" needs the wait, and a full disk needs to fail the commit that hit it.
/// </summary>
/// <remarks>
/// LiteDB offers no public call for this, so the writer queue (<c>DiskWriterQueue</c>, internal to LiteDB 5.0.x) is
/// reached by reflection; the fields are checked when the database opens, so a LiteDB release that changes them fails
/// at once (and in the tests), never silently. Every type and member is named by a constant, so the trimmer and the
/// Native AOT compiler keep them and their reflection metadata (their data flow analysis follows <c>Type.GetType</c>
/// and <c>GetField</c>/<c>GetProperty</c> with constant names); the edge build's end-to-end run checks it works there.
/// </remarks>
internal sealed class JournalWriter
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private static readonly FieldInfo EngineField = Field(typeof(LiteDatabase), "_engine");
    private static readonly FieldInfo DiskField = Field(Type.GetType("LiteDB.Engine.LiteEngine, LiteDB", throwOnError: true)!, "_disk");
    private static readonly FieldInfo QueueField = Field(Type.GetType("LiteDB.Engine.DiskService, LiteDB", throwOnError: true)!, "_queue");
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicFields)]
    private static readonly Type QueueType = Type.GetType("LiteDB.Engine.DiskWriterQueue, LiteDB", throwOnError: true)!;
    private static readonly FieldInfo EmptyField = Field(QueueType, "_queueIsEmpty");
    private static readonly FieldInfo ErrorField = Field(QueueType, "_exception");

    // DiskService._queue is a Lazy<DiskWriterQueue>, named in full so that the properties read below are kept.
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    private static readonly Type LazyQueueType = Type.GetType("System.Lazy`1[[LiteDB.Engine.DiskWriterQueue, LiteDB]]", throwOnError: true)!;
    private static readonly PropertyInfo QueueCreated = Property(LazyQueueType, "IsValueCreated");
    private static readonly PropertyInfo QueueValue = Property(LazyQueueType, "Value");

    private readonly object _queue;

    public JournalWriter(LiteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var engine = EngineField.GetValue(database) ?? throw Unsupported("LiteDatabase._engine is null");
        var disk = DiskField.GetValue(engine) ?? throw Unsupported("LiteEngine._disk is null");
        if (QueueField.FieldType != LazyQueueType)
            throw Unsupported($"DiskService._queue is a {QueueField.FieldType}, not a Lazy<DiskWriterQueue>");
        _queue = QueueField.GetValue(disk) ?? throw Unsupported("DiskService._queue is null");
    }

    /// <summary>
    /// Blocks until every page queued so far is written to the journal stream; throws what the writer failed with.
    /// </summary>
    /// <exception cref="IOException">The writer failed (a full disk, an I/O error); the transaction may be incomplete.</exception>
    public void WaitUntilWritten()
    {
        // The queue is created with the first page written; asking for it earlier would create it for nothing.
        if (!(bool)QueueCreated.GetValue(_queue)!)
            return;
        var queue = QueueValue.GetValue(_queue)!;
        var empty = (ManualResetEventSlim)EmptyField.GetValue(queue)!;
        while (!empty.Wait(PollInterval))
            ThrowIfFailed(queue);
        ThrowIfFailed(queue);
    }

    private static void ThrowIfFailed(object queue)
    {
        if (ErrorField.GetValue(queue) is Exception error)
            throw error as IOException ?? new IOException($"LiteDB could not write its journal: {error.Message}", error);
    }

    private static FieldInfo Field([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.NonPublicFields)] Type type, string name) =>
        type.GetField(name, Private) ?? throw Unsupported($"{type.FullName}.{name} does not exist");

    private static PropertyInfo Property([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, string name) =>
        type.GetProperty(name) ?? throw Unsupported($"{type.FullName}.{name} does not exist");

    private static NotSupportedException Unsupported(string detail) =>
        new($"The gateway waits for LiteDB's journal writer through LiteDB 5.0.x internals, and {detail} in LiteDB {typeof(LiteDatabase).Assembly.GetName().Version}.");
}
