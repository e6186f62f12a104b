namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>One device of a campaign.</summary>
/// <param name="Device">Its code.</param>
/// <param name="Addressee">Who its offers go to: its gateway, or itself.</param>
/// <param name="Wave">Its wave, from 1.</param>
/// <param name="State"><c>pending</c>, <c>offered</c>, <c>installing</c>, <c>confirmed</c>, <c>succeeded</c> or <c>failed</c>.</param>
/// <param name="Attempt">How many times it was offered the update.</param>
/// <param name="FromVersion">What it ran when it joined.</param>
/// <param name="RunningVersion">What it last said it runs.</param>
/// <param name="BytesReceived">Payload bytes it said it had while downloading; for a device behind a gateway's relay, first the gateway's download, then the bytes the device itself has acknowledged.</param>
/// <param name="Reason">Why it failed.</param>
public sealed record OtaCampaignDevice(
    string Device, string Addressee, int Wave, string State, int Attempt, string FromVersion, string? RunningVersion, long? BytesReceived, string? Reason);
