namespace CivicEdge.Fleet.Core.Security;

/// <summary>The broker sessions devices hold, as far as the fleet can cut them (the embedded broker's; none for an external one).</summary>
public interface IDeviceSessions
{
    /// <summary>
    /// Disconnects the sessions of <paramref name="device"/> — only those authenticated with
    /// <paramref name="credentialId"/> when it is given — and returns how many it closed.
    /// </summary>
    Task<int> CloseAsync(string device, string? credentialId, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the sessions of <paramref name="device"/> authenticated with <paramref name="credentialId"/> at
    /// <paramref name="validUntil"/> (a rotation's grace period) rather than never.
    /// </summary>
    Task LimitAsync(string device, string credentialId, DateTimeOffset validUntil, CancellationToken cancellationToken);
}
