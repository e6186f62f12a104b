using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Gateway.Ota;

/// <summary>Where the relay says how an update of one device stands: in production a numbered <see cref="OtaStatusReport"/> to the fleet.</summary>
public interface IFieldUpdateReporter
{
    /// <summary>Reports a phase of the update; <paramref name="runningVersion"/> comes with confirmed and rolled back, <paramref name="reason"/> with failed and rolled back.</summary>
    ValueTask ReportAsync(OtaPhase phase, long? bytesReceived, string? runningVersion, string? reason, CancellationToken cancellationToken);
}
