using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Commands;

/// <summary>
/// Executes one command on the gateway or a device it runs. The whitelist is the configuration itself: a write
/// reaches a point of the device's profile marked <c>writable</c>, within its <c>min</c>/<c>max</c>, or one of the
/// gateway's GPIO outputs (relay 0/1, dimmer 0–100 %) configured for that device; anything else is rejected saying why.
/// Field-bus work runs in the device's bus lane (<see cref="BusScheduler.RunExclusiveAsync{T}"/>), one transaction at
/// a time; a write is read back, so the result holds the value the device now has.
/// </summary>
/// <remarks>
/// Commands: <c>write</c> {point, value}; <c>read</c> {point}; <c>switch</c> {on, point?} (a relay or writable coil;
/// the point may be left out when the device has one); <c>dim</c> {level, point?} (a dimmer or writable % register);
/// <c>acknowledge-alarm</c> {alarm, by?} (an edge rule's alarm on the target device, acknowledged at the fleet).
/// Edge rules write through <see cref="WritePointAsync"/>, the same path as <c>write</c>, with the same rate limit.
/// </remarks>
public sealed class CommandExecutor(
    AcquisitionService acquisition,
    IOptions<GatewayOptions> gateway,
    IOptions<CommandOptions> options,
    TimeProvider timeProvider,
    GpioOutputs? gpio = null,
    IAlarmAcknowledger? alarms = null)
{
    /// <summary>The command that acknowledges an edge rule's alarm.</summary>
    public const string AcknowledgeAlarm = "acknowledge-alarm";

    private readonly WriteRateLimit _rateLimit = new(options.Value.MaxWritesPerMinute, timeProvider);

    public async Task<CommandOutcome> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arguments = new CommandArguments(request.Arguments);
        if (request.Name == AcknowledgeAlarm)
            return Acknowledge(request.Target, arguments);
        if (Find(request.Target) is not { } target)
            return Unknown(request.Target);

        try
        {
            return request.Name switch
            {
                "read" => await ReadAsync(target, arguments.Text("point"), cancellationToken).ConfigureAwait(false),
                "write" => await WriteAsync(target, arguments.Text("point"), arguments.Number("value"), cancellationToken).ConfigureAwait(false),
                "switch" => await WriteAsync(target, arguments.OptionalText("point") ?? SoleOutput(target, GpioOutputKind.Relay), arguments.Switch("on") ? 1 : 0, cancellationToken).ConfigureAwait(false),
                "dim" => await WriteAsync(target, arguments.OptionalText("point") ?? SoleOutput(target, GpioOutputKind.Dimmer), arguments.Number("level"), cancellationToken).ConfigureAwait(false),
                _ => CommandOutcome.Rejected($"name: expected read, write, switch, dim or {AcknowledgeAlarm}, found '{request.Name}'"),
            };
        }
        catch (FormatException exception)
        {
            return CommandOutcome.Rejected(exception.Message);
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/> to a point of a device: the one write path of commands and edge rules (writable
    /// points within their limits or the device's GPIO outputs, rate limited per device, in the device's bus lane).
    /// </summary>
    public Task<CommandOutcome> WritePointAsync(string deviceId, string point, double value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(point);
        return Find(deviceId) is { } target
            ? WriteAsync(target, point, value, cancellationToken)
            : Task.FromResult(Unknown(deviceId));
    }

    private Target? Find(string deviceId)
    {
        var outputs = gpio?.States.Where(s => string.Equals(s.DeviceId, deviceId, StringComparison.Ordinal)).ToList() ?? [];
        var poller = acquisition.Pollers.FirstOrDefault(p => string.Equals(p.DeviceId, deviceId, StringComparison.Ordinal));
        return poller is null && outputs.Count == 0 ? null : new Target(deviceId, poller, outputs);
    }

    private CommandOutcome Unknown(string deviceId)
    {
        var known = acquisition.Pollers.Select(p => p.DeviceId).Concat(gpio?.States.Select(s => s.DeviceId) ?? []).Distinct(StringComparer.Ordinal);
        var self = string.Equals(deviceId, gateway.Value.Id, StringComparison.Ordinal) ? " has no outputs or points;" : " is neither this gateway nor a device it runs;";
        return new CommandOutcome(CommandStatus.UnknownTarget, $"{deviceId}{self} devices here: {string.Join(", ", known)}", null);
    }

    private CommandOutcome Acknowledge(string deviceId, CommandArguments arguments)
    {
        try
        {
            var alarm = arguments.Text("alarm");
            const string prefix = "rule.";
            if (alarm.StartsWith(prefix, StringComparison.Ordinal))
                alarm = alarm[prefix.Length..];
            if (alarms is null)
                return CommandOutcome.Rejected("this gateway runs no edge rules (Rules:Enabled is false), so it has no rule alarms to acknowledge");
            return alarms.Acknowledge(deviceId, alarm, arguments.OptionalText("by"))
                ? new CommandOutcome(CommandStatus.Succeeded, null, null)
                : CommandOutcome.Rejected($"alarm: expected an active edge-rule alarm of {deviceId}, found '{alarm}' not active");
        }
        catch (FormatException exception)
        {
            return CommandOutcome.Rejected(exception.Message);
        }
    }

    private async Task<CommandOutcome> ReadAsync(Target target, string pointName, CancellationToken cancellationToken)
    {
        if (target.Outputs.FirstOrDefault(o => o.Name == pointName) is { } output)
            return Succeeded(output.Name, output.Value, output.Unit, null);

        if (target.Poller?.Profile.Points.FirstOrDefault(p => p.Name == pointName && PointDecoder.IsNumeric(p)) is not { } point)
            return CommandOutcome.Rejected($"point: expected one of {Describe(target, writableOnly: false)}, found '{pointName}'");

        return await OnBusAsync(target, async ct =>
        {
            var (result, value) = await target.Poller!.ReadPointAsync(point, ct).ConfigureAwait(false);
            return result.IsOk && value is not null
                ? Succeeded(point.Name, value.Value, point.Unit, null)
                : CommandOutcome.Failed($"reading {point.Name} of {target.DeviceId}: {(result.IsOk ? "the device sent a value that is not a number" : result.ToString())}");
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CommandOutcome> WriteAsync(Target target, string pointName, double value, CancellationToken cancellationToken)
    {
        if (target.Outputs.FirstOrDefault(o => o.Name == pointName) is { } output)
        {
            var valid = output.Kind == GpioOutputKind.Relay ? value is 0 or 1 : value is >= 0 and <= 100;
            if (!valid)
            {
                return CommandOutcome.Rejected(output.Kind == GpioOutputKind.Relay
                    ? $"value: expected 0 (off) or 1 (on) for relay {output.Name}, found {Text(value)}"
                    : $"value: expected a level 0..100 % for dimmer {output.Name}, found {Text(value)}");
            }

            if (RateLimited(target.DeviceId) is { } limited)
                return limited;
            var applied = await gpio!.SetAsync(output.Name, value, cancellationToken).ConfigureAwait(false);
            return Succeeded(applied.Name, applied.Value, applied.Unit, value);
        }

        var point = target.Poller?.Profile.Points.FirstOrDefault(p => p.Name == pointName);
        if (point is null || !point.Writable)
        {
            var what = point is null ? $"found '{pointName}'" : $"found '{pointName}', which the profile {target.Poller!.Profile.Model} does not mark writable";
            return CommandOutcome.Rejected($"point: expected a writable point of {target.DeviceId} ({Describe(target, writableOnly: true)}), {what}");
        }

        if (point.Table == RegisterTable.Coils && value is not (0 or 1))
            return CommandOutcome.Rejected($"value: expected 0 or 1 for coil {point.Name}, found {Text(value)}");
        if ((point.Min is { } min && value < min) || (point.Max is { } max && value > max))
            return CommandOutcome.Rejected($"value: expected {point.Name} within {Text(point.Min)}..{Text(point.Max)} {point.Unit}, found {Text(value)}");
        if (point.Table != RegisterTable.Coils && (point.Bits is not null || point.IsText))
            return CommandOutcome.Rejected($"point: {point.Name} is a {(point.IsText ? "text" : "bit-field")} point, which commands do not write");
        if (RateLimited(target.DeviceId) is { } refused)
            return refused;

        return await OnBusAsync(target, async ct =>
        {
            var written = await target.Poller!.WritePointAsync(point, value, ct).ConfigureAwait(false);
            if (!written.IsOk)
                return CommandOutcome.Failed($"writing {Text(value)} to {point.Name} of {target.DeviceId}: {written}");

            // Read back: the result says what the device holds now, which may differ from what was asked (clamping).
            var (read, readBack) = await target.Poller.ReadPointAsync(point, ct).ConfigureAwait(false);
            return read.IsOk && readBack is not null
                ? Succeeded(point.Name, readBack.Value, point.Unit, value)
                : Succeeded(point.Name, value, point.Unit, value, $"written; reading it back failed: {read}");
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CommandOutcome> OnBusAsync(Target target, Func<CancellationToken, Task<CommandOutcome>> work, CancellationToken cancellationToken)
    {
        var poller = target.Poller!;
        if (acquisition.Buses.FirstOrDefault(b => b.Devices.Contains(poller)) is not { } bus)
            return CommandOutcome.Failed($"{target.DeviceId} is on no running bus");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            return await bus.RunExclusiveAsync(poller, work, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CommandOutcome.Failed($"no outcome from bus {bus.Link.Id} within {options.Value.Timeout} (Commands:Timeout)");
        }
        catch (InvalidOperationException exception)
        {
            return CommandOutcome.Failed(exception.Message);
        }
    }

    private CommandOutcome? RateLimited(string deviceId) =>
        _rateLimit.TryTake(deviceId, out var next)
            ? null
            : CommandOutcome.Rejected(
                $"rate limit: {deviceId} took {options.Value.MaxWritesPerMinute} writes in the last minute (Commands:MaxWritesPerMinute); the next is allowed at {next:O}");

    private static string SoleOutput(Target target, GpioOutputKind kind)
    {
        var candidates = target.Outputs.Where(o => o.Kind == kind).Select(o => o.Name).ToList();
        if (target.Poller is { } poller)
        {
            candidates.AddRange(poller.Profile.Points
                .Where(p => p.Writable && (kind == GpioOutputKind.Relay ? p.Table == RegisterTable.Coils : p.Table == RegisterTable.HoldingRegisters && p.Unit == "%"))
                .Select(p => p.Name));
        }

        return candidates.Count == 1
            ? candidates[0]
            : throw new FormatException(
                $"argument 'point': expected the {(kind == GpioOutputKind.Relay ? "relay" : "dimmer")} to set, since {target.DeviceId} has {(candidates.Count == 0 ? "none" : string.Join(", ", candidates))}, found nothing");
    }

    private static string Describe(Target target, bool writableOnly)
    {
        var names = target.Outputs.Select(o => o.Name)
            .Concat(target.Poller?.Profile.Points.Where(p => PointDecoder.IsNumeric(p) && (!writableOnly || p.Writable)).Select(p => p.Name) ?? [])
            .ToList();
        return names.Count == 0 ? "it has none" : string.Join(", ", names);
    }

    private static CommandOutcome Succeeded(string point, double value, string unit, double? requested, string? note = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("point", point);
            writer.WriteNumber("value", value);
            writer.WriteString("unit", unit);
            if (requested is { } asked)
                writer.WriteNumber("requested", asked);
            if (note is not null)
                writer.WriteString("note", note);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new CommandOutcome(CommandStatus.Succeeded, null, document.RootElement.Clone());
    }

    private static string Text(double? value) => value?.ToString("G", CultureInfo.InvariantCulture) ?? "any";

    private sealed record Target(string DeviceId, DevicePoller? Poller, IReadOnlyList<GpioOutputState> Outputs);
}
