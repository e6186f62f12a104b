using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Core.Security;

/// <summary>
/// Applies <see cref="TopicAcl"/> for a connected device, resolving "a device registered behind this gateway" against
/// the ledger at the time of each publish or subscription, so a device moved to another gateway or decommissioned is
/// out of reach at once.
/// </summary>
public sealed class DeviceTopicAuthorizer(IDeviceLedgerStore store)
{
    /// <summary>Null when allowed; otherwise the reason.</summary>
    public Task<string?> CheckPublishAsync(DeviceIdentity device, string topic, CancellationToken cancellationToken) =>
        ResolveAsync(device, TopicAcl.Publish(device.Code, topic), cancellationToken);

    /// <summary>Null when allowed; otherwise the reason.</summary>
    public Task<string?> CheckSubscribeAsync(DeviceIdentity device, string filter, CancellationToken cancellationToken) =>
        ResolveAsync(device, TopicAcl.Subscribe(device.Code, filter), cancellationToken);

    /// <summary>Null when the device may receive a message on <paramref name="topic"/> (a fleet → device topic or its own).</summary>
    public Task<string?> CheckDeliveryAsync(DeviceIdentity device, string topic, CancellationToken cancellationToken) =>
        ResolveAsync(device, TopicAcl.Subscribe(device.Code, topic), cancellationToken);

    private async Task<string?> ResolveAsync(DeviceIdentity device, TopicAccess access, CancellationToken cancellationToken)
    {
        switch (access.Kind)
        {
            case TopicAccessKind.Own:
                return null;
            case TopicAccessKind.Denied:
                return access.Reason;
        }

        if (device.Kind != DeviceKind.Gateway)
            return $"{access.Source} is another device's code; only a gateway reaches the devices behind it";

        var other = await store.FindDeviceAsync(access.Source!, cancellationToken).ConfigureAwait(false);
        if (other is null || !string.Equals(other.Gateway, device.Code, StringComparison.Ordinal))
            return $"{access.Source} is not registered behind {device.Code}";
        return other.State == LifecycleState.Decommissioned ? $"{access.Source} is decommissioned" : null;
    }
}
