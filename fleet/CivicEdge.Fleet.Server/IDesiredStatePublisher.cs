using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Server;

/// <summary>Puts a twin's desired state on the wire, retained on <see cref="Topics.Desired"/>.</summary>
internal interface IDesiredStatePublisher
{
    /// <summary>Publishes <paramref name="state"/>; false when the broker cannot be reached now (it is published on reconnecting).</summary>
    Task<bool> PublishDesiredAsync(string deviceId, DesiredState state, CancellationToken cancellationToken);
}
