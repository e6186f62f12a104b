namespace CivicEdge.Benchmarks;

/// <summary>What feeding one image to one device over Modbus RTU took: time, bytes on the wire both ways, transactions.</summary>
internal sealed record OtaFeedFigures(int BaudRate, int ImageBytes, double Seconds, long WireBytes, long Transactions)
{
    /// <summary>The time for a 1 MiB image at the same rate per byte: every chunk costs the same on the line.</summary>
    public double SecondsPerMebibyte => Seconds * (1 << 20) / ImageBytes;

    /// <summary>Image bytes per byte on the wire (frame headers, CRCs, echoes and status reads are the rest).</summary>
    public double Efficiency => (double)ImageBytes / WireBytes;

    /// <summary>How long the wire bytes alone take at 10 bits a character (8N1).</summary>
    public double WireSeconds => WireBytes * 10.0 / BaudRate;
}
