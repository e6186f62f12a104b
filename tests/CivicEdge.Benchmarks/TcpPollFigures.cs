namespace CivicEdge.Benchmarks;

/// <summary>The median polls per second of each Modbus TCP master against the same libmodbus server.</summary>
internal sealed record TcpPollFigures(int Polls, double LibmodbusPerSecond, double OursPerSecond)
{
    /// <summary>Ours as a share of libmodbus's rate; 1.0 or more meets the target.</summary>
    public double Ratio => OursPerSecond / LibmodbusPerSecond;
}
