namespace CivicEdge.Fleet.Core.Ota;

/// <summary>One device in a campaign: its wave, where it stands, and the last report applied.</summary>
public sealed class CampaignDevice(CampaignTarget target, int wave)
{
    /// <summary>The device as the ledger found it; its place follows the ledger while the device waits for its offer.</summary>
    public CampaignTarget Target { get; internal set; } = target;

    public string Device => Target.Device;

    /// <summary>The wave it belongs to, from 0 (the canary).</summary>
    public int Wave { get; internal set; } = wave;

    public CampaignDeviceState State { get; internal set; }

    /// <summary>How many times it has been offered the update; 0 before the first offer.</summary>
    public int Attempt { get; internal set; }

    /// <summary>The sequence number of the last report applied for the current attempt.</summary>
    public long LastSequence { get; internal set; }

    public DateTimeOffset? OfferedAt { get; internal set; }

    public DateTimeOffset? ConfirmedAt { get; internal set; }

    public DateTimeOffset? FinishedAt { get; internal set; }

    /// <summary>Payload bytes it said it had while downloading.</summary>
    public long? BytesReceived { get; internal set; }

    /// <summary>The version it last said it runs.</summary>
    public string? RunningVersion { get; internal set; }

    /// <summary>Why it failed, or, while it waits, why it is held rather than offered.</summary>
    public string? Reason { get; internal set; }

    public bool IsFinal => State is CampaignDeviceState.Succeeded or CampaignDeviceState.Failed;

    internal void Fail(string reason, DateTimeOffset now)
    {
        State = CampaignDeviceState.Failed;
        Reason = reason;
        FinishedAt = now;
    }
}
