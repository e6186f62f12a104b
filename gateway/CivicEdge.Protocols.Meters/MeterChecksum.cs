namespace CivicEdge.Protocols.Meters;

/// <summary>
/// The frame check of DL/T 645-2007 §4.1.2 (and 1997) and CJ/T 188-2004 §5.3: the modulo-256 sum of every byte from
/// the first start character 68H up to the checksum, preamble FEH bytes excluded.
/// </summary>
public static class MeterChecksum
{
    public static byte Compute(ReadOnlySpan<byte> frame)
    {
        byte sum = 0;
        foreach (var b in frame)
            sum += b;
        return sum;
    }
}
