namespace CivicEdge.Fleet.Core.Security;

/// <summary>The broker sessions devices hold, as far as the fleet can cut them (the embedded broker's; none for an external one).</summary>
public interface IDeviceSessions
{
    /// <summary>
    /// Disconnects the sessions of <paramref name="device"/> — only those authenticated with
    /// <paramref name="credentialId"/> when it is given — and returns how many it closed.
    /// </summary>
    Task<int> CloseAsync(string device, string? credentialId, string reason, CancellationToken cancellationToken);
}
