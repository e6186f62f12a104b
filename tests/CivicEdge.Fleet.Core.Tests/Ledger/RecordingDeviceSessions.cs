using CivicEdge.Fleet.Core.Security;

namespace CivicEdge.Fleet.Core.Tests.Ledger;

/// <summary>Broker sessions as the ledger sees them: it records every cut it asks for and reports one session per cut.</summary>
internal sealed class RecordingDeviceSessions : IDeviceSessions
{
    public List<(string Device, string? CredentialId, string Reason)> Closed { get; } = [];

    public List<(string Device, string CredentialId, DateTimeOffset ValidUntil)> Limited { get; } = [];

    public Task<int> CloseAsync(string device, string? credentialId, string reason, CancellationToken cancellationToken)
    {
        Closed.Add((device, credentialId, reason));
        return Task.FromResult(1);
    }

    public Task LimitAsync(string device, string credentialId, DateTimeOffset validUntil, CancellationToken cancellationToken)
    {
        Limited.Add((device, credentialId, validUntil));
        return Task.CompletedTask;
    }
}
