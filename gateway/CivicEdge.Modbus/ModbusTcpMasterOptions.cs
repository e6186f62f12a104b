namespace CivicEdge.Modbus;

/// <summary>Where a <see cref="ModbusTcpMaster"/> connects and how patiently it waits.</summary>
public sealed class ModbusTcpMasterOptions
{
    // CancellationTokenSource.CancelAfter takes at most uint.MaxValue - 1 milliseconds; int.MaxValue is a round bound below it.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>Host name or IP address of the Modbus TCP server or gateway.</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 502;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one attempt waits for its response once the request is sent.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Further attempts after a timeout, a transport error or a malformed answer; 0 tries once.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>
    /// Requests on the wire at once on the one connection, answered in any order and paired by transaction id
    /// (Implementation Guide V1.0b §3.1.3); 1 sends the next request only after the previous answer. Some gateways
    /// queue or drop requests beyond their own limit, so this is per device.
    /// </summary>
    public int MaxInFlight { get; set; } = 8;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
            throw new ArgumentException($"{nameof(Host)} must name the Modbus TCP server; found \"{Host}\".", nameof(Host));
        if (Port is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Port), Port, $"{nameof(Port)} must be 1..65535; found {Port}.");
        CheckTimeout(ConnectTimeout, nameof(ConnectTimeout));
        CheckTimeout(ResponseTimeout, nameof(ResponseTimeout));
        if (Retries < 0)
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, $"{nameof(Retries)} must be 0 or more; found {Retries}.");
        if (MaxInFlight is < 1 or > 256)
            throw new ArgumentOutOfRangeException(nameof(MaxInFlight), MaxInFlight, $"{nameof(MaxInFlight)} must be 1..256; found {MaxInFlight}.");
    }

    private static void CheckTimeout(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value > MaxTimeout)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be greater than zero and at most {MaxTimeout}; found {value}.");
    }
}
