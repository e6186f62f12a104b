using System.Device.Gpio;
using System.Globalization;
using System.Threading.Channels;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Gpio;

/// <summary>
/// The <c>Gpio</c> section's outputs, set by name: relays (0 off, 1 on) and dimmers (0–100 %, clamped to the
/// dimmer's Min..Max). Each is put in its safe state at start-up, before anything can set it, and again on shutdown;
/// every change is reported as a reading of the point named after the output. Writes are serialised, so readings
/// come in the order the outputs were set.
/// </summary>
/// <remarks>
/// A dimmer's PWM channel is left running at its safe level on shutdown rather than released: a released sysfs PWM
/// channel stops, which a 0–10 V interface reads as 0 V, the lowest level, not the safe one.
/// </remarks>
public sealed partial class GpioOutputs(
    IOptions<GpioOptions> options,
    GpioController controller,
    IGpioHardware hardware,
    ChannelWriter<DeviceReading> readings,
    TimeProvider timeProvider,
    ILogger<GpioOutputs> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Dictionary<string, RelayOutput> _relays =
        options.Value.Relays.ToDictionary(r => r.Name, r => new RelayOutput(r, controller), StringComparer.Ordinal);
    private readonly Dictionary<string, DimmerOutput> _dimmers =
        options.Value.Dimmers.ToDictionary(d => d.Name, d => new DimmerOutput(d, hardware), StringComparer.Ordinal);
    private readonly Dictionary<string, GpioOutputState> _states = new(StringComparer.Ordinal);
    private readonly Lock _statesGate = new();
    private bool _running;

    /// <summary>Every output's state, relays first, in configuration order.</summary>
    public IReadOnlyList<GpioOutputState> States
    {
        get
        {
            var gpio = options.Value;
            lock (_statesGate)
            {
                return [.. gpio.Relays.Select(r => r.Name).Concat(gpio.Dimmers.Select(d => d.Name))
                    .Where(_states.ContainsKey).Select(name => _states[name])];
            }
        }
    }

    /// <summary>The state of the output named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No output has that name; the message lists those there are.</exception>
    public GpioOutputState State(string name)
    {
        lock (_statesGate)
            return _states.TryGetValue(name, out var state) ? state : throw Unknown(name);
    }

    /// <summary>Sets the output named <paramref name="name"/>: a relay to 0 (off) or 1 (on), a dimmer to a level in %.</summary>
    /// <returns>The state applied, as reported.</returns>
    /// <exception cref="KeyNotFoundException">No output has that name; the message lists those there are.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one the output takes; the message says what is.</exception>
    /// <exception cref="InvalidOperationException">The outputs are not running (before start-up or after shutdown).</exception>
    public ValueTask<GpioOutputState> SetAsync(string name, double value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_relays.ContainsKey(name))
        {
            return value switch
            {
                0 => SwitchAsync(name, on: false, cancellationToken),
                1 => SwitchAsync(name, on: true, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(value), value,
                    $"GPIO output '{name}' is a relay; expected 0 (off) or 1 (on), found {Text(value)}."),
            };
        }

        return _dimmers.ContainsKey(name) ? DimAsync(name, value, cancellationToken) : throw Unknown(name);
    }

    /// <summary>Switches the relay named <paramref name="name"/> on or off.</summary>
    /// <exception cref="KeyNotFoundException">No relay has that name.</exception>
    public async ValueTask<GpioOutputState> SwitchAsync(string name, bool on, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_relays.TryGetValue(name, out var relay))
            throw Unknown(name, GpioOutputKind.Relay);

        return await WriteAsync(() =>
        {
            relay.Switch(on);
            return Relay(relay, on);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the dimmer named <paramref name="name"/> to <paramref name="percent"/>, clamped to its Min..Max.</summary>
    /// <exception cref="KeyNotFoundException">No dimmer has that name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is not a level 0..100.</exception>
    public async ValueTask<GpioOutputState> DimAsync(string name, double percent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_dimmers.TryGetValue(name, out var dimmer))
            throw Unknown(name, GpioOutputKind.Dimmer);
        if (!double.IsFinite(percent) || percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent,
                $"GPIO output '{name}' is a dimmer; expected a level 0..100 %, found {Text(percent)}.");
        }

        return await WriteAsync(() =>
        {
            var applied = dimmer.Clamp(percent);
            dimmer.Dim(applied);
            return Dimmer(dimmer, applied, percent);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var relay in _relays.Values)
            relay.Open();
        foreach (var dimmer in _dimmers.Values)
            dimmer.Open();

        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _running = true;
            await ReportSafeStatesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_running)
                return;
            _running = false;
            foreach (var relay in _relays.Values)
                relay.Switch(relay.SafeState);
            foreach (var dimmer in _dimmers.Values)
                dimmer.Dim(dimmer.Options.SafeLevel);
            await ReportSafeStatesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writes.Release();
        }
    }

    public void Dispose() => _writes.Dispose();

    private async Task ReportSafeStatesAsync(CancellationToken cancellationToken)
    {
        foreach (var relay in _relays.Values)
            await ReportAsync(Relay(relay, relay.SafeState), cancellationToken).ConfigureAwait(false);
        foreach (var dimmer in _dimmers.Values)
            await ReportAsync(Dimmer(dimmer, dimmer.Options.SafeLevel, dimmer.Options.SafeLevel), cancellationToken).ConfigureAwait(false);
    }

    private async Task<GpioOutputState> WriteAsync(Func<GpioOutputState> write, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_running)
                throw new InvalidOperationException("The GPIO outputs are not running (the gateway is starting or stopping).");
            var state = write();
            LogSet(logger, state.Name, state.DeviceId, state.Value, state.Unit, state.Requested);
            await ReportAsync(state, cancellationToken).ConfigureAwait(false);
            return state;
        }
        finally
        {
            _writes.Release();
        }
    }

    private async Task ReportAsync(GpioOutputState state, CancellationToken cancellationToken)
    {
        lock (_statesGate)
            _states[state.Name] = state;
        var quantity = state.Kind == GpioOutputKind.Relay ? "switch_state" : "dimming_level";
        var reading = new DeviceReading(state.DeviceId, null, state.ChangedAt, [new PointValue(state.Name, state.Value, state.Unit, quantity, Quality.Good)]);
        await readings.WriteAsync(reading, cancellationToken).ConfigureAwait(false);
    }

    private GpioOutputState Relay(RelayOutput relay, bool on) =>
        new(relay.Options.Name, relay.Options.DeviceId, GpioOutputKind.Relay, on ? 1 : 0, on ? 1 : 0, "1", timeProvider.GetUtcNow());

    private GpioOutputState Dimmer(DimmerOutput dimmer, double applied, double requested) =>
        new(dimmer.Options.Name, dimmer.Options.DeviceId, GpioOutputKind.Dimmer, applied, requested, "%", timeProvider.GetUtcNow());

    private KeyNotFoundException Unknown(string name, GpioOutputKind? kind = null)
    {
        var relays = options.Value.Relays.Select(r => $"{r.Name} (relay)");
        var dimmers = options.Value.Dimmers.Select(d => $"{d.Name} (dimmer)");
        var known = (kind switch
        {
            GpioOutputKind.Relay => relays,
            GpioOutputKind.Dimmer => dimmers,
            _ => relays.Concat(dimmers),
        }).ToList();
        var what = kind switch
        {
            GpioOutputKind.Relay => "relay",
            GpioOutputKind.Dimmer => "dimmer",
            _ => "GPIO output",
        };
        return new KeyNotFoundException(known.Count == 0
            ? $"No {what} is named '{name}'; the {GpioOptions.SectionName} section configures none."
            : $"No {what} is named '{name}'; expected one of {string.Join(", ", known)}.");
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "GPIO output {Name} of {DeviceId} set to {Value} {Unit} (asked {Requested})")]
    private static partial void LogSet(ILogger logger, string name, string deviceId, double value, string unit, double requested);
}
