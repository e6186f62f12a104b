using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Core.Commands;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Commands;

/// <summary>
/// Delivers commands and records their results. A command is stored queued, then published to its addressee (the
/// target's gateway, or the target itself) while the addressee is online, oldest first, and marked sent; the
/// addressee's result moves it to its final state. Queued commands wait for their addressee to come online; an open
/// command whose expiry passes becomes expired (never sent) or timed out (sent, no result), checked every
/// <see cref="CommandOptions.SweepInterval"/>.
/// </summary>
/// <remarks>
/// A gateway announces itself online before it has subscribed to its commands, and MQTT drops a message nobody is
/// subscribed to; so when a source first speaks after coming online (telemetry, events, health: sent only once its
/// subscriptions are made) every command still open for it is published again. Gateways execute a command id once,
/// which makes the repeat harmless. Every state change is a compare-and-set in the store, so a result, a cancellation
/// and the expiry sweep racing on one command — on this node or another — leave one outcome. Delivery to one
/// addressee is serialised, which keeps its commands in order.
/// </remarks>
internal sealed partial class CommandDispatcher(
    ICommandStore store,
    ICommandPublisher publisher,
    CommandSignals signals,
    IOptions<CommandOptions> options,
    TimeProvider timeProvider,
    ILogger<CommandDispatcher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, bool> _confirmed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _deliveries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);
    private readonly Lock _changedGate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stores <paramref name="commands"/> (all queued) and publishes those whose addressee is online.</summary>
    public async Task SubmitAsync(IReadOnlyList<CommandRecord> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        await store.AddCommandsAsync(commands, cancellationToken).ConfigureAwait(false);
        foreach (var addressee in commands.Select(c => c.Addressee).Distinct(StringComparer.Ordinal))
        {
            _queued[addressee] = 0;
            if (_confirmed.ContainsKey(addressee))
                await DeliverAsync(addressee, includeSent: false, cancellationToken).ConfigureAwait(false);
            else
                LogQueued(logger, addressee, commands.Count(c => c.Addressee == addressee));
        }
    }

    /// <summary>Cancels a queued command; the command as it stands afterwards, or null when there is no such command.</summary>
    public async Task<(CommandRecord? Command, bool Cancelled)> CancelAsync(string id, string by, CancellationToken cancellationToken)
    {
        var command = await store.FindCommandAsync(id, cancellationToken).ConfigureAwait(false);
        if (command is not { State: CommandState.Queued })
            return (command, false);

        var cancelled = command with { State = CommandState.Cancelled, Reason = $"cancelled by {by}", CompletedAt = timeProvider.GetUtcNow() };
        if (!await store.TryUpdateCommandAsync(cancelled, CommandState.Queued, cancellationToken).ConfigureAwait(false))
            return (await store.FindCommandAsync(id, cancellationToken).ConfigureAwait(false), false);
        NotifyChanged();
        return (cancelled, true);
    }

    /// <summary>
    /// The commands <paramref name="ids"/> once all are final, or as they stand at <paramref name="deadline"/>.
    /// Results recorded by another fleet node are seen too: the store is read again at least every 250 ms.
    /// </summary>
    public async Task<IReadOnlyList<CommandRecord>> WaitAsync(IReadOnlyList<string> ids, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_changedGate)
                changed = _changed.Task;

            var commands = new List<CommandRecord>(ids.Count);
            foreach (var id in ids)
            {
                if (await store.FindCommandAsync(id, cancellationToken).ConfigureAwait(false) is { } command)
                    commands.Add(command);
            }

            var remaining = deadline - timeProvider.GetUtcNow();
            if (commands.All(c => c.IsFinal) || remaining <= TimeSpan.Zero)
                return commands;

            var poll = remaining < TimeSpan.FromMilliseconds(250) ? remaining : TimeSpan.FromMilliseconds(250);
            await Task.WhenAny(changed, Task.Delay(poll, timeProvider, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var queued in await store.ListCommandsAsync(new CommandQuery { States = [CommandState.Queued] }, stoppingToken).ConfigureAwait(false))
                _queued[queued.Addressee] = 0;
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Not fatal: each addressee's queue is read again when it comes online.
            LogSweepFailed(logger, exception);
        }

        await Task.WhenAll(HandleSignalsAsync(stoppingToken), SweepAsync(stoppingToken)).ConfigureAwait(false);
    }

    private async Task HandleSignalsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var signal in signals.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await HandleAsync(signal, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The store may be down for a moment; open commands are delivered again on the next signal or expire.
                    LogSignalFailed(logger, signal.Kind.ToString(), signal.Source, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task HandleAsync(CommandSignal signal, CancellationToken cancellationToken)
    {
        switch (signal.Kind)
        {
            case CommandSignalKind.Online:
                _confirmed[signal.Source] = false;
                return _queued.ContainsKey(signal.Source) ? DeliverAsync(signal.Source, includeSent: false, cancellationToken) : Task.CompletedTask;
            case CommandSignalKind.Offline:
                _confirmed.TryRemove(signal.Source, out _);
                return Task.CompletedTask;
            case CommandSignalKind.Spoke:
                if (!_confirmed.TryGetValue(signal.Source, out var confirmed) || !confirmed)
                {
                    _confirmed[signal.Source] = true;
                    return DeliverAsync(signal.Source, includeSent: true, cancellationToken);
                }

                return _queued.ContainsKey(signal.Source) ? DeliverAsync(signal.Source, includeSent: false, cancellationToken) : Task.CompletedTask;
            case CommandSignalKind.Result:
                return RecordResultAsync(signal.Source, signal.Payload ?? [], signal.CorrelationData, cancellationToken);
            default:
                return Task.CompletedTask;
        }
    }

    /// <summary>Publishes the addressee's queued commands (and, with <paramref name="includeSent"/>, its unanswered sent ones), oldest first.</summary>
    private async Task DeliverAsync(string addressee, bool includeSent, CancellationToken cancellationToken)
    {
        var gate = _deliveries.GetOrAdd(addressee, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var open = await store.ListCommandsAsync(
                new CommandQuery { Addressee = addressee, States = includeSent ? CommandQuery.Open : [CommandState.Queued] },
                cancellationToken).ConfigureAwait(false);
            var undelivered = false;
            foreach (var command in open)
            {
                var now = timeProvider.GetUtcNow();
                if (command.ExpiresAt <= now)
                {
                    await ExpireAsync(command, now, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!_confirmed.ContainsKey(addressee))
                {
                    undelivered = true;
                    break;
                }

                var request = new CommandRequest(command.Id, command.Target, command.Name, command.Arguments, command.ExpiresAt);
                if (!await publisher.PublishCommandAsync(addressee, request, cancellationToken).ConfigureAwait(false))
                {
                    // Still queued; it goes out at the addressee's next sign of life or expires.
                    undelivered = true;
                    break;
                }

                LogSent(logger, command.Id, command.Name, command.Target, addressee);
                if (await store.TryUpdateCommandAsync(command with { State = CommandState.Sent, SentAt = now }, command.State, cancellationToken).ConfigureAwait(false))
                    NotifyChanged();
            }

            if (!undelivered)
                _queued.TryRemove(addressee, out _);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task RecordResultAsync(string source, byte[] payload, byte[]? correlationData, CancellationToken cancellationToken)
    {
        var result = CommandResultReader.Read(new ReadOnlySequence<byte>(payload), out var problem);
        if (result is null)
        {
            LogResultMalformed(logger, source, problem!);
            return;
        }

        if (correlationData is { Length: > 0 } && !string.Equals(Encoding.UTF8.GetString(correlationData), result.Id, StringComparison.Ordinal))
        {
            LogResultMalformed(logger, source, $"correlation data: expected the command id {result.Id}, found '{Encoding.UTF8.GetString(correlationData)}'");
            return;
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var command = await store.FindCommandAsync(result.Id, cancellationToken).ConfigureAwait(false);
            if (command is null)
            {
                LogResultUnknown(logger, source, result.Id);
                return;
            }

            // The ACL lets a gateway publish on its own results topic; only commands addressed to it are its to answer.
            if (!string.Equals(command.Addressee, source, StringComparison.Ordinal))
            {
                LogResultForeign(logger, source, result.Id, command.Addressee);
                return;
            }

            if (command.IsFinal)
            {
                LogResultLate(logger, source, result.Id, command.State.ToString());
                return;
            }

            var (state, reason) = CommandOutcomes.Of(result);
            var completed = command with { State = state, Reason = reason, Result = result.Result, CompletedAt = timeProvider.GetUtcNow() };
            if (await store.TryUpdateCommandAsync(completed, command.State, cancellationToken).ConfigureAwait(false))
            {
                LogCompleted(logger, command.Id, command.Target, state.ToString(), reason ?? "-");
                NotifyChanged();
                return;
            }
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepIntervalPeriod, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var now = timeProvider.GetUtcNow();
                    var due = await store.ListCommandsAsync(new CommandQuery { States = CommandQuery.Open, ExpiresBy = now }, stoppingToken).ConfigureAwait(false);
                    foreach (var command in due)
                        await ExpireAsync(command, now, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSweepFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ExpireAsync(CommandRecord command, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ended = command.State == CommandState.Queued
            ? command with { State = CommandState.Expired, Reason = $"expired at {command.ExpiresAt:O} before {command.Addressee} could be reached", CompletedAt = now }
            : command with { State = CommandState.TimedOut, Reason = $"no result from {command.Addressee} by {command.ExpiresAt:O}", CompletedAt = now };
        if (await store.TryUpdateCommandAsync(ended, command.State, cancellationToken).ConfigureAwait(false))
        {
            LogCompleted(logger, command.Id, command.Target, ended.State.ToString(), ended.Reason!);
            NotifyChanged();
        }
    }

    private void NotifyChanged()
    {
        TaskCompletionSource changed;
        lock (_changedGate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} commands queued for {Addressee}, which is offline; they are sent when it connects")]
    private static partial void LogQueued(ILogger logger, string addressee, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} ({Name}) for {Target} sent to {Addressee}")]
    private static partial void LogSent(ILogger logger, string commandId, string name, string target, string addressee);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} for {Target}: {State} ({Reason})")]
    private static partial void LogCompleted(ILogger logger, string commandId, string target, string state, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a command result from {Source}: {Problem}")]
    private static partial void LogResultMalformed(ILogger logger, string source, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} answered command {CommandId}, which the fleet does not know")]
    private static partial void LogResultUnknown(ILogger logger, string source, string commandId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Source}'s result for command {CommandId}: the command was sent to {Addressee}")]
    private static partial void LogResultForeign(ILogger logger, string source, string commandId, string addressee);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} answered command {CommandId} again or late; it stays {State}")]
    private static partial void LogResultLate(ILogger logger, string source, string commandId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not handle the {Kind} signal of {Source}")]
    private static partial void LogSignalFailed(ILogger logger, string kind, string source, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check commands for expiry; trying again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
