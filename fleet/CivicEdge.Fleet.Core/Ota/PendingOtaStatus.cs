using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>A status report waiting in the store for the campaign leader.</summary>
/// <param name="Id">Its number in the store, increasing in the order reports were appended.</param>
/// <param name="Source">The MQTT source it came from, which must be the device's addressee.</param>
/// <param name="Report">The report.</param>
/// <param name="ReceivedAt">When a fleet node received it.</param>
public sealed record PendingOtaStatus(long Id, string Source, OtaStatusReport Report, DateTimeOffset ReceivedAt);
