using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Commands;

/// <summary>
/// Takes the fleet's commands on <see cref="Topics.Commands"/>, one at a time in arrival order, and answers each on its
/// MQTT 5 response topic with its correlation data (MQTT 5.0 §4.10). A command id runs once: a repeat (the fleet sends
/// open commands again when the gateway reconnects) gets the result kept in the <see cref="CommandJournal"/>. An expired command is answered
/// <c>expired</c> and not run; a malformed one <c>rejected</c>, saying what was expected.
/// </summary>
/// <remarks>
/// The gateway publishes only under its own code, so a response topic other than its own results topic is replaced by
/// it (the broker's ACL would refuse it anyway). A result that cannot be published (the connection dropped) is in the
/// journal and is sent again when the fleet repeats the command.
/// </remarks>
public sealed partial class CommandService : BackgroundService
{
    private readonly UplinkState _uplink;
    private readonly CommandExecutor _executor;
    private readonly CommandOptions _options;
    private readonly string _gatewayId;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CommandService> _logger;
    private readonly Channel<(IUplinkSession Session, UplinkRequest Request)> _inbox =
        Channel.CreateUnbounded<(IUplinkSession, UplinkRequest)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CommandJournal _journal;
    private long _executed;

    public CommandService(
        UplinkState uplink,
        CommandExecutor executor,
        CommandJournal journal,
        IOptions<GatewayOptions> gateway,
        IOptions<CommandOptions> options,
        TimeProvider timeProvider,
        ILogger<CommandService> logger)
    {
        _uplink = uplink ?? throw new ArgumentNullException(nameof(uplink));
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
        _journal = journal ?? throw new ArgumentNullException(nameof(journal));
        _gatewayId = gateway?.Value.Id ?? throw new ArgumentNullException(nameof(gateway));
        _options = options?.Value ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>How many commands were run (repeats and expired ones not counted); for tests and diagnostics.</summary>
    public long Executed => Interlocked.Read(ref _executed);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Enabled)
            _uplink.OnConnected(SubscribeAsync);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _inbox.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (session, request) in _inbox.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
                await HandleAsync(session, request, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; a command not yet run is sent again by the fleet while it is open.
        }
    }

    private Task SubscribeAsync(IUplinkSession session, CancellationToken cancellationToken) =>
        session.SubscribeRequestsAsync(Topics.Commands(_gatewayId), request =>
        {
            // Queued, not run here: the MQTT client's receive loop must not wait on a field bus.
            _inbox.Writer.TryWrite((session, request));
            return Task.CompletedTask;
        }, cancellationToken);

    private async Task HandleAsync(IUplinkSession session, UplinkRequest message, CancellationToken cancellationToken)
    {
        var request = Read(message, out var problem);
        var id = request?.Id ?? (message.CorrelationData is { Length: > 0 } correlation ? Encoding.UTF8.GetString(correlation) : null);
        if (id is null)
        {
            LogUnanswerable(_logger, problem!);
            return;
        }

        var payload = Recorded(id);
        if (payload is null)
        {
            CommandResult result;
            if (request is null)
            {
                result = new CommandResult(id, string.Empty, CommandStatus.Rejected, problem, null, _timeProvider.GetUtcNow());
            }
            else if (request.ExpiresAt <= _timeProvider.GetUtcNow())
            {
                result = new CommandResult(id, request.Target, CommandStatus.Expired, $"arrived after its expiry {request.ExpiresAt:O}; not run", null, _timeProvider.GetUtcNow());
            }
            else
            {
                var outcome = await RunAsync(request, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _executed);
                result = new CommandResult(id, request.Target, outcome.Status, outcome.Reason, outcome.Result, _timeProvider.GetUtcNow());
            }

            LogCommand(_logger, id, request?.Name ?? "?", request?.Target ?? "?", result.Status, result.Reason ?? "-");
            payload = JsonSerializer.SerializeToUtf8Bytes(result, CommandsJson.Default.CommandResult);
            try
            {
                _journal.Record(id, payload);
            }
            catch (IOException ex)
            {
                // Answered all the same: the fleet's record matters more than the guard against a repeat.
                LogNotRecorded(_logger, id, ex);
            }
        }
        else
        {
            LogRepeated(_logger, id);
        }

        var topic = Topics.Results(_gatewayId);
        if (message.ResponseTopic is { } asked && !string.Equals(asked, topic, StringComparison.Ordinal))
            LogResponseTopicReplaced(_logger, id, asked, topic);
        var target = session.Closed.IsCancellationRequested ? _uplink.Session : session;
        if (target is null)
        {
            LogNotAnswered(_logger, id, "not connected");
            return;
        }

        try
        {
            await target.PublishResponseAsync(topic, payload, message.CorrelationData ?? Encoding.UTF8.GetBytes(id), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNotAnswered(_logger, id, ex.Message);
        }
    }

    private async Task<CommandOutcome> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await _executor.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A fault of the output or the bus, not of the command: reported as a failure, and the gateway goes on.
            LogFailed(_logger, request.Id, ex);
            return CommandOutcome.Failed($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static CommandRequest? Read(UplinkRequest message, out string? problem)
    {
        problem = null;
        try
        {
            var request = JsonSerializer.Deserialize(message.Payload, CommandsJson.Default.CommandRequest);
            if (request is null)
                problem = "expected a command as JSON, found null";
            else if (string.IsNullOrEmpty(request.Id) || string.IsNullOrEmpty(request.Target) || string.IsNullOrEmpty(request.Name))
                problem = "expected a command with an id, a target and a name, found one missing";
            else if (request.Arguments.ValueKind != JsonValueKind.Object)
                problem = $"arguments: expected a JSON object, found {request.Arguments.ValueKind}";
            else
                return request;
        }
        catch (JsonException ex)
        {
            problem = $"expected a command as JSON (id, target, name, arguments, expiresAt), found {ex.Message}";
        }

        return null;
    }

    private byte[]? Recorded(string id)
    {
        try
        {
            return _journal.Find(id);
        }
        catch (IOException ex)
        {
            LogNotRecorded(_logger, id, ex);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} ({Name}) for {Target}: {Status} ({Reason})")]
    private static partial void LogCommand(ILogger logger, string commandId, string name, string target, CommandStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} came again; answered with its result, not run again")]
    private static partial void LogRepeated(ILogger logger, string commandId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A command without an id cannot be answered: {Problem}")]
    private static partial void LogUnanswerable(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of command {CommandId} was not sent ({Reason}); it is sent again when the fleet repeats the command")]
    private static partial void LogNotAnswered(ILogger logger, string commandId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} asked for its result on {Asked}; answered on {Topic}, the only results topic this gateway may publish on")]
    private static partial void LogResponseTopicReplaced(ILogger logger, string commandId, string asked, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {CommandId}: the command journal cannot be read or written; a repeat of it may run again")]
    private static partial void LogNotRecorded(ILogger logger, string commandId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {CommandId} failed")]
    private static partial void LogFailed(ILogger logger, string commandId, Exception exception);
}
