using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Commands;

namespace CivicEdge.Fleet.Server.Commands;

/// <summary>Puts a command on the wire: <see cref="Topics.Commands"/> of its addressee, with response topic and correlation data.</summary>
internal interface ICommandPublisher
{
    /// <summary>Publishes <paramref name="request"/> to <paramref name="addressee"/>; false when the broker cannot be reached or refused it.</summary>
    Task<bool> PublishCommandAsync(string addressee, CommandRequest request, CancellationToken cancellationToken);
}
