namespace CivicEdge.Gateway.Gpio;

/// <summary>Where a GPIO output stands.</summary>
/// <param name="Name">The output's name, which is also the point its state is reported as.</param>
/// <param name="DeviceId">The device it belongs to.</param>
/// <param name="Kind">Relay or dimmer.</param>
/// <param name="Value">What is applied: 0 or 1 for a relay, the level in % for a dimmer (after its Min/Max clamp).</param>
/// <param name="Requested">What was last asked for; differs from <paramref name="Value"/> when a dimmer level was clamped.</param>
/// <param name="Unit"><c>1</c> for a relay, <c>%</c> for a dimmer.</param>
/// <param name="ChangedAt">When it was last set (at start-up: when the safe state was applied).</param>
public sealed record GpioOutputState(
    string Name,
    string DeviceId,
    GpioOutputKind Kind,
    double Value,
    double Requested,
    string Unit,
    DateTimeOffset ChangedAt);
