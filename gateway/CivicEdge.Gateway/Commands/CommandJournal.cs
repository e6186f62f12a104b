using CivicEdge.Gateway.Storage;
using LiteDB;

namespace CivicEdge.Gateway.Commands;

/// <summary>
/// The results of the latest commands, kept in the gateway's database by command id, so that a command the fleet sends
/// again — after a reconnection or a restart of either side — is answered with its result rather than run twice. Each
/// result is durable before it is published; the oldest are forgotten beyond <c>Commands:RememberedCommands</c>.
/// </summary>
/// <remarks>
/// A crash after a command ran and before its result was written loses the result, and the command runs again when
/// the fleet repeats it: at least once across a crash, exactly once otherwise.
/// </remarks>
public sealed class CommandJournal
{
    private const string Collection = "commands";
    private const string OrderField = "n";
    private const string ResultField = "result";

    private readonly GatewayDatabase _database;
    private readonly int _capacity;
    private long _last;

    public CommandJournal(GatewayDatabase database, int capacity)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _database = database;
        _capacity = capacity;
        _last = database.Write(db =>
        {
            var commands = db.GetCollection(Collection);
            commands.EnsureIndex(OrderField);
            return commands.Query().OrderByDescending(OrderField).Limit(1).FirstOrDefault() is { } newest ? newest[OrderField].AsInt64 : 0;
        });
    }

    /// <summary>The result recorded for <paramref name="id"/>, as it was published; null when none is.</summary>
    public byte[]? Find(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return _database.Read(db => db.GetCollection(Collection).FindById(id)?[ResultField].AsBinary);
    }

    /// <summary>Records the result of <paramref name="id"/> durably, forgetting the oldest beyond the capacity.</summary>
    public void Record(string id, byte[] result)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(result);
        _database.Write(db =>
        {
            var commands = db.GetCollection(Collection);
            var order = ++_last;
            commands.Upsert(new BsonDocument { ["_id"] = id, [OrderField] = order, [ResultField] = result });
            return commands.DeleteMany(Query.LTE(OrderField, order - _capacity));
        });
    }
}
