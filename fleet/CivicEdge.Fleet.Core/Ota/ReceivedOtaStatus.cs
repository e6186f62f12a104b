using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>A status report as received: <paramref name="Source"/> is the MQTT source it came from, which must be the device's addressee.</summary>
public sealed record ReceivedOtaStatus(string Source, OtaStatusReport Report);
