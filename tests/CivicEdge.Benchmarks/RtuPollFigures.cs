namespace CivicEdge.Benchmarks;

/// <summary>Modbus RTU polls per second at one baud rate against the line's theoretical maximum for the frame.</summary>
internal sealed record RtuPollFigures(int BaudRate, int Polls, double PerSecond, double TheoreticalPerSecond)
{
    /// <summary>The measured rate as a share of the theoretical maximum; the target is 0.9 or more.</summary>
    public double Share => PerSecond / TheoreticalPerSecond;
}
