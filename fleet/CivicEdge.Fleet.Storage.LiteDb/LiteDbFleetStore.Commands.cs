using System.Text.Json;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Core.Commands;
using LiteDB;

namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>
/// Command records in the fleet's LiteDB file, keyed by command id, indexed by addressee (for delivery) and target
/// (for lists). Arguments and results are kept as their JSON text, so they read back exactly as sent.
/// </summary>
public sealed partial class LiteDbFleetStore : ICommandStore
{
    private const string CommandsName = "commands";

    private ILiteCollection<BsonDocument> _commands = null!;

    public Task AddCommandsAsync(IReadOnlyList<CommandRecord> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        foreach (var command in commands)
            StoreKeys.RequireName(command.Id, nameof(commands));
        Run(cancellationToken, () => InTransaction(() =>
        {
            foreach (var command in commands)
            {
                if (_commands.FindById(command.Id) is not null)
                    throw new InvalidOperationException($"A command with id '{command.Id}' exists; no command of this batch was added.");
                _commands.Insert(ToDocument(command));
            }

            return true;
        }));
        return Task.CompletedTask;
    }

    public Task<CommandRecord?> FindCommandAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Task.FromResult(Run(cancellationToken, () =>
            id.Length > 0 && _commands.FindById(id) is { } document ? ToCommand(document) : null));
    }

    public Task<IReadOnlyList<CommandRecord>> ListCommandsAsync(CommandQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(Run(cancellationToken, () =>
        {
            // The narrowest index first: a gateway's or a device's commands, else the few still open (the expiry sweep).
            var candidates = query.Addressee is { } addressee
                ? _commands.Find(Query.EQ("addressee", addressee))
                : query.Target is { } target
                    ? _commands.Find(Query.EQ("target", target))
                    : query.States is { } states
                        ? _commands.Find(Query.In("state", states.Select(state => new BsonValue(state.ToString()))))
                        : _commands.FindAll();
            return CommandQuery.Order(candidates.Select(ToCommand).Where(query.Matches), query.Limit);
        }));
    }

    public Task<bool> TryUpdateCommandAsync(CommandRecord updated, CommandState expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        return Task.FromResult(Run(cancellationToken, () =>
        {
            if (_commands.FindById(updated.Id) is not { } stored || stored["state"].AsString != expected.ToString())
                return false;
            return _commands.Update(ToDocument(updated));
        }));
    }

    /// <summary>Opens the commands with the rest of the store, before anyone reads them (see the class remarks).</summary>
    private void OpenCommandCollections()
    {
        _commands = _database.GetCollection(CommandsName, BsonAutoId.ObjectId);
        CreateCollection(_commands);
        _commands.EnsureIndex("addressee");
        _commands.EnsureIndex("target");
        _commands.EnsureIndex("state");
    }

    private static BsonDocument ToDocument(CommandRecord command) => new()
    {
        ["_id"] = command.Id,
        ["target"] = command.Target,
        ["addressee"] = command.Addressee,
        ["tenant"] = command.Tenant is { } tenant ? tenant : BsonValue.Null,
        ["name"] = command.Name,
        ["arguments"] = command.Arguments.GetRawText(),
        ["sentBy"] = command.SentBy,
        ["createdAt"] = ToStoredTime(command.CreatedAt),
        ["expiresAt"] = ToStoredTime(command.ExpiresAt),
        ["state"] = command.State.ToString(),
        ["reason"] = command.Reason is { } reason ? reason : BsonValue.Null,
        ["result"] = command.Result is { } result ? result.GetRawText() : BsonValue.Null,
        ["sentAt"] = command.SentAt is { } sent ? ToStoredTime(sent) : BsonValue.Null,
        ["completedAt"] = command.CompletedAt is { } completed ? ToStoredTime(completed) : BsonValue.Null,
    };

    private static CommandRecord ToCommand(BsonDocument document) => new(
        document["_id"].AsString,
        document["target"].AsString,
        document["addressee"].AsString,
        NullableString(document["tenant"]),
        document["name"].AsString,
        ParseJson(document["arguments"].AsString),
        document["sentBy"].AsString,
        FromStoredTime(document["createdAt"]),
        FromStoredTime(document["expiresAt"]),
        Enum.Parse<CommandState>(document["state"].AsString),
        NullableString(document["reason"]),
        document["result"].IsNull ? null : ParseJson(document["result"].AsString),
        NullableTime(document["sentAt"]),
        NullableTime(document["completedAt"]));

    private static JsonElement ParseJson(string json)
    {
        using var parsed = JsonDocument.Parse(json);
        return parsed.RootElement.Clone();
    }
}
