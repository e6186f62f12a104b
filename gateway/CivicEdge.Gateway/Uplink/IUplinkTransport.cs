namespace CivicEdge.Gateway.Uplink;

/// <summary>Opens connections to the fleet. Each connection is one <see cref="IUplinkSession"/>.</summary>
public interface IUplinkTransport
{
    /// <summary>
    /// Connects, subscribes to the acknowledgements and announces the gateway online. Throws when the fleet cannot be
    /// reached; the caller retries with backoff.
    /// </summary>
    Task<IUplinkSession> ConnectAsync(CancellationToken cancellationToken);
}
