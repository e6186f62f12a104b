using Microsoft.Extensions.Logging;
using Npgsql;

namespace CivicEdge.Fleet.Storage.PostgreSql;

/// <summary>
/// Single-leader jobs among fleet nodes that share one PostgreSQL database: the leader of a job is the node whose
/// session holds the job's advisory lock (<c>pg_try_advisory_lock</c>). Each leadership has a connection of its own,
/// outside the pool, so the lock lives exactly as long as that session: a node that dies or loses the database loses
/// the lock with it, and another node can lead. The session is probed every <see cref="ProbeInterval"/>; a failed probe
/// cancels <see cref="Core.ILeadership.Lost"/>.
/// </summary>
public sealed partial class PostgreSqlLeaderElection : Core.ILeaderElection
{
    /// <summary>How often a held leadership checks that its session still stands.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    private readonly string _connectionString;
    private readonly string _schema;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PostgreSqlLeaderElection> _logger;

    public PostgreSqlLeaderElection(PostgreSqlFleetStoreOptions options, TimeProvider timeProvider, ILogger<PostgreSqlLeaderElection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Pooling = false,
            ApplicationName = "civicedge-fleet leader",
        };
        _connectionString = builder.ConnectionString;
        _schema = options.Schema;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<Core.ILeadership?> TryLeadAsync(string job, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(job);
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // The key is per schema, so fleets sharing a database in schemas of their own do not block each other.
            var key = $"civicedge:{_schema}:leader:{job}";
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended($1, 0))", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                LogLeading(_logger, job, connection.ProcessID);
                return new Leadership(this, job, key, connection);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Leading {Job} (PostgreSQL session {Pid})")]
    private static partial void LogLeading(ILogger logger, string job, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the leadership of {Job}: its PostgreSQL session failed")]
    private static partial void LogLost(ILogger logger, string job, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped leading {Job}")]
    private static partial void LogReleased(ILogger logger, string job);

    /// <summary>A held advisory lock, its connection, and the probe that notices when the session ends.</summary>
    private sealed class Leadership : Core.ILeadership
    {
        private readonly PostgreSqlLeaderElection _election;
        private readonly NpgsqlConnection _connection;
        private readonly string _key;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _disposing = new();
        private readonly Task _probing;

        public Leadership(PostgreSqlLeaderElection election, string job, string key, NpgsqlConnection connection)
        {
            _election = election;
            _key = key;
            _connection = connection;
            Job = job;
            _probing = ProbeAsync();
        }

        public string Job { get; }

        public CancellationToken Lost => _lost.Token;

        public async ValueTask DisposeAsync()
        {
            await _disposing.CancelAsync().ConfigureAwait(false);
            await _probing.ConfigureAwait(false);

            // Unlocked explicitly: the server ends a closed session's backend, and releases its locks, only some time
            // after the client has gone, and another node asking in that moment would be refused. Closing the session
            // (the connection is not pooled, so it really closes) releases the lock anyway when the unlock cannot run.
            if (!_lost.IsCancellationRequested)
            {
                try
                {
                    await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended($1, 0))", _connection);
                    unlock.Parameters.Add(new NpgsqlParameter { Value = _key });
                    await unlock.ExecuteScalarAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
                {
                    LogLost(_election._logger, Job, exception);
                }
            }

            await _connection.DisposeAsync().ConfigureAwait(false);
            _lost.Dispose();
            _disposing.Dispose();
            LogReleased(_election._logger, Job);
        }

        private async Task ProbeAsync()
        {
            while (!_disposing.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(ProbeInterval, _election._timeProvider, _disposing.Token).ConfigureAwait(false);
                    await using var command = new NpgsqlCommand("select 1", _connection);
                    await command.ExecuteScalarAsync(_disposing.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
                {
                    LogLost(_election._logger, Job, exception);
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
    }
}
