namespace CivicEdge.Firmware.MeterNode.Tests.Support;

/// <summary>An uplink that keeps what it was asked to send, and can be out of coverage.</summary>
internal sealed class RecordingUplink : IMeterUplink
{
    public bool InCoverage { get; set; } = true;

    public List<(ulong ForwardMillilitres, int Flow)> Sent { get; } = [];

    public bool Send(MeterState state, int flowLitresPerHour)
    {
        if (!InCoverage)
            return false;
        Sent.Add((state.ForwardMillilitres, flowLitresPerHour));
        return true;
    }
}
