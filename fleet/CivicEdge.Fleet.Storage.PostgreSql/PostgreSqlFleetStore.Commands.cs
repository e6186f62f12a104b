using System.Text.Json;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Core.Commands;
using Npgsql;
using NpgsqlTypes;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>
/// Command records in <c>commands</c>, one row per command and target. A state change is one conditional update
/// (<c>where state = expected</c>), so nodes racing on one command leave exactly one change standing.
/// </summary>
public sealed partial class PostgreSqlFleetStore : ICommandStore
{
    private const string CommandColumns =
        "id, target, addressee, tenant, name, arguments::text, sent_by, created_at, expires_at, state, reason, result::text, sent_at, completed_at";

    public async Task AddCommandsAsync(IReadOnlyList<CommandRecord> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        foreach (var command in commands)
            RequireName(command.Id, nameof(commands));
        RequireInitialized();

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in commands)
        {
            await using var insert = new NpgsqlCommand($"""
                insert into {_s}.commands (id, target, addressee, tenant, name, arguments, sent_by, created_at, expires_at, state, reason, result, sent_at, completed_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                """, connection, transaction);
            AddCommandParameters(insert, record);
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new InvalidOperationException($"A command with id '{record.Id}' exists; no command of this batch was added.", exception);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<CommandRecord?> FindCommandAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"select {CommandColumns} from {_s}.commands where id = $1");
        command.Parameters.Add(Text(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadCommand(reader) : null;
    }

    public async Task<IReadOnlyList<CommandRecord>> ListCommandsAsync(CommandQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        RequireInitialized();

        // The newest `limit` are picked in descending order, then put back oldest first.
        await using var command = _dataSource.CreateCommand($"""
            select * from (
                select {CommandColumns} from {_s}.commands
                where ($1::text is null or target = $1)
                  and ($2::text is null or addressee = $2)
                  and ($3::text[] is null or state = any($3))
                  and ($4::timestamptz is null or expires_at <= $4)
                order by created_at desc, id desc
                limit $5) newest
            order by created_at, id
            """);
        command.Parameters.Add(Text(query.Target));
        command.Parameters.Add(Text(query.Addressee));
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = query.States is { } states ? states.Select(state => state.ToString()).ToArray() : DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        command.Parameters.Add(NullableTime(query.ExpiresBy));
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit is { } limit ? limit : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        var commands = new List<CommandRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            commands.Add(ReadCommand(reader));
        return commands;
    }

    public async Task<bool> TryUpdateCommandAsync(CommandRecord updated, CommandState expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        RequireInitialized();
        await using var command = _dataSource.CreateCommand($"""
            update {_s}.commands set
                target = $2, addressee = $3, tenant = $4, name = $5, arguments = $6, sent_by = $7, created_at = $8,
                expires_at = $9, state = $10, reason = $11, result = $12, sent_at = $13, completed_at = $14
            where id = $1 and state = $15
            """);
        AddCommandParameters(command, updated);
        command.Parameters.Add(Text(expected.ToString()));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static void AddCommandParameters(NpgsqlCommand command, CommandRecord record)
    {
        command.Parameters.Add(Text(record.Id));
        command.Parameters.Add(Text(record.Target));
        command.Parameters.Add(Text(record.Addressee));
        command.Parameters.Add(Text(record.Tenant));
        command.Parameters.Add(Text(record.Name));
        command.Parameters.Add(Json(record.Arguments.GetRawText()));
        command.Parameters.Add(Text(record.SentBy));
        command.Parameters.Add(Time(record.CreatedAt));
        command.Parameters.Add(Time(record.ExpiresAt));
        command.Parameters.Add(Text(record.State.ToString()));
        command.Parameters.Add(Text(record.Reason));
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = record.Result?.GetRawText(), NpgsqlDbType = NpgsqlDbType.Json });
        command.Parameters.Add(NullableTime(record.SentAt));
        command.Parameters.Add(NullableTime(record.CompletedAt));
    }

    private static CommandRecord ReadCommand(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetString(4),
        ParseJson(reader.GetString(5)),
        reader.GetString(6),
        ReadTime(reader, 7),
        ReadTime(reader, 8),
        Enum.Parse<CommandState>(reader.GetString(9)),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        reader.IsDBNull(11) ? null : ParseJson(reader.GetString(11)),
        reader.IsDBNull(12) ? null : ReadTime(reader, 12),
        reader.IsDBNull(13) ? null : ReadTime(reader, 13));

    private static JsonElement ParseJson(string json)
    {
        using var parsed = JsonDocument.Parse(json);
        return parsed.RootElement.Clone();
    }
}
