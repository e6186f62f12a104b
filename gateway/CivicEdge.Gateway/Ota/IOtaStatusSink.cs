using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Gateway.Ota;

/// <summary>Where numbered OTA status reports go on their way to the fleet (<c>Topics.OtaStatus</c>).</summary>
public interface IOtaStatusSink
{
    /// <summary>Hands over a report; it is numbered and persisted already, so sending it again is harmless.</summary>
    ValueTask SendAsync(OtaStatusReport report, CancellationToken cancellationToken);
}
