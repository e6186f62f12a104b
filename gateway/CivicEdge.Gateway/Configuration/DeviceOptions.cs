namespace CivicEdge.Gateway.Configuration;

/// <summary>One entry of the <c>Devices</c> array: a field device the gateway polls.</summary>
public sealed class DeviceOptions
{
    /// <summary>The device's unified device code.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The model key of its hardware profile, e.g. <c>eastron-sdm630</c>.</summary>
    public string Profile { get; set; } = string.Empty;

    /// <summary>
    /// Where it answers, as <c>tcp://host:port</c> (port 502 when omitted): a Modbus TCP device on a bus of its own.
    /// Give either this or <see cref="Bus"/>.
    /// </summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The <see cref="BusOptions.Id"/> of the bus the device is on.</summary>
    public string? Bus { get; set; }

    /// <summary><c>high</c>, <c>normal</c> (default) or <c>low</c>: which of several due devices on a bus goes first.</summary>
    public string Priority { get; set; } = "normal";

    /// <summary>The Modbus unit identifier (slave address), 1..247.</summary>
    public int Unit { get; set; } = 1;

    /// <summary>
    /// The address of a meter on a meter line: on M-Bus a primary address 0..250 or an 8-digit secondary address
    /// (identification number); on CJ/T 188 the 14-digit meter address; on DL/T 645 the 12-digit meter address.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>How often to poll it (<c>5s</c> or <c>00:00:05</c>); when absent, the profile's poll interval.</summary>
    public TimeSpan? PollInterval { get; set; }
}
