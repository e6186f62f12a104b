using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Core.Commands;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Commands;

/// <summary>
/// Delivers commands and records their results. A command is stored queued; while its addressee (the target's gateway,
/// or the target itself) is online, the addressee's oldest open command is published and marked sent, and the next
/// one goes out once that one has its result (or has expired): one command in flight per addressee, so a gateway runs
/// its commands in the order they were given. An open command whose expiry passes becomes expired (never sent) or
/// timed out (sent, no result); the expiry sweep runs every <see cref="CommandOptions.SweepInterval"/>.
/// </summary>
/// <remarks>
/// MQTT drops a message nobody is subscribed to, and a gateway announces itself online before it has subscribed to its
/// commands; so a sent command without a result is published again when the gateway first speaks after coming online
/// (telemetry, events, health) and whenever <see cref="CommandOptions.ResendAfter"/> has passed since it was sent.
/// Gateways run a command id once and answer a repeat with the recorded result, which makes the repeats harmless and
/// keeps the order: the next command never overtakes one that was lost. Every state change is a compare-and-set in the
/// store, so a result, a cancellation and the expiry sweep racing on one command — on this node or another — leave one
/// outcome; the sweep also delivers commands queued through another fleet node for an addressee this node hears from.
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
    private readonly Lock _changedGate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stores <paramref name="commands"/> (all queued) and publishes those whose addressee is online.</summary>
    public async Task SubmitAsync(IReadOnlyList<CommandRecord> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        await store.AddCommandsAsync(commands, cancellationToken).ConfigureAwait(false);
        foreach (var addressee in commands.Select(c => c.Addressee).Distinct(StringComparer.Ordinal))
        {
            if (_confirmed.ContainsKey(addressee))
                await DeliverAsync(addressee, resend: false, cancellationToken).ConfigureAwait(false);
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
    /// Results recorded by another fleet node are seen too: the store is read again at least every 250 ms. Only the
    /// commands still open are read again.
    /// </summary>
    public async Task<IReadOnlyList<CommandRecord>> WaitAsync(IReadOnlyList<string> ids, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, CommandRecord>(StringComparer.Ordinal);
        while (true)
        {
            Task changed;
            lock (_changedGate)
                changed = _changed.Task;

            foreach (var id in ids)
            {
                if (latest.TryGetValue(id, out var known) && known.IsFinal)
                    continue;
                if (await store.FindCommandAsync(id, cancellationToken).ConfigureAwait(false) is { } command)
                    latest[id] = command;
            }

            var remaining = deadline - timeProvider.GetUtcNow();
            if (latest.Values.All(c => c.IsFinal) || remaining <= TimeSpan.Zero)
                return [.. ids.Where(latest.ContainsKey).Select(id => latest[id])];

            var poll = remaining < TimeSpan.FromMilliseconds(250) ? remaining : TimeSpan.FromMilliseconds(250);
            await Task.WhenAny(changed, Task.Delay(poll, timeProvider, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
                return DeliverAsync(signal.Source, resend: false, cancellationToken);
            case CommandSignalKind.Offline:
                _confirmed.TryRemove(signal.Source, out _);
                return Task.CompletedTask;
            case CommandSignalKind.Spoke:
                if (!_confirmed.TryGetValue(signal.Source, out var confirmed) || !confirmed)
                {
                    _confirmed[signal.Source] = true;
                    return DeliverAsync(signal.Source, resend: true, cancellationToken);
                }

                return Task.CompletedTask;
            case CommandSignalKind.Result:
                return RecordResultAsync(signal.Source, signal.Payload ?? [], signal.CorrelationData, cancellationToken);
            default:
                return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Publishes the addressee's oldest open command unless one is in flight: a sent one is published again only with
    /// <paramref name="resend"/> or once <see cref="CommandOptions.ResendAfter"/> has passed. Expired ones on the way
    /// are ended.
    /// </summary>
    private async Task DeliverAsync(string addressee, bool resend, CancellationToken cancellationToken)
    {
        var gate = _deliveries.GetOrAdd(addressee, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var open = await store.ListCommandsAsync(new CommandQuery { Addressee = addressee, States = CommandQuery.Open }, cancellationToken).ConfigureAwait(false);
            foreach (var command in open)
            {
                var now = timeProvider.GetUtcNow();
                if (command.ExpiresAt <= now)
                {
                    await ExpireAsync(command, now, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!_confirmed.ContainsKey(addressee))
                    return;
                if (command.State == CommandState.Sent && !resend && now - command.SentAt < options.Value.ResendAfterPeriod)
                    return;

                var request = new CommandRequest(command.Id, command.Target, command.Name, command.Arguments, command.ExpiresAt);
                if (!await publisher.PublishCommandAsync(addressee, request, cancellationToken).ConfigureAwait(false))
                    return;

                if (command.State == CommandState.Sent)
                    LogResent(logger, command.Id, addressee);
                else
                    LogSent(logger, command.Id, command.Name, command.Target, addressee);
                if (await store.TryUpdateCommandAsync(command with { State = CommandState.Sent, SentAt = now }, command.State, cancellationToken).ConfigureAwait(false))
                    NotifyChanged();
                return;
            }
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

                // The next command for this gateway goes out now that this one is done.
                await DeliverAsync(source, resend: false, cancellationToken).ConfigureAwait(false);
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
                    var open = await store.ListCommandsAsync(new CommandQuery { States = CommandQuery.Open }, stoppingToken).ConfigureAwait(false);
                    foreach (var command in open.Where(c => c.ExpiresAt <= now))
                        await ExpireAsync(command, now, stoppingToken).ConfigureAwait(false);

                    // The next command after an expired one, one queued through another fleet node, one lost on the way.
                    foreach (var addressee in open.Select(c => c.Addressee).Distinct(StringComparer.Ordinal).Where(_confirmed.ContainsKey))
                        await DeliverAsync(addressee, resend: false, stoppingToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Command {CommandId} sent again to {Addressee}: no result yet")]
    private static partial void LogResent(ILogger logger, string commandId, string addressee);

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
