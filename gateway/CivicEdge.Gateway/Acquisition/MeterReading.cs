using CivicEdge.Meters;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>The failures of the DL/T 645 and CJ/T 188 masters in the terms the gateway counts.</summary>
internal static class MeterReading
{
    public static MeterExchange Failed(MeterFailure failure, string reason) => new(
        failure switch
        {
            MeterFailure.NoAnswer => MeterOutcome.Timeout,
            MeterFailure.Damaged => MeterOutcome.Damaged,
            MeterFailure.Refused => MeterOutcome.Refused,
            _ => MeterOutcome.LinkFailed,
        },
        reason);
}
