namespace CivicEdge.Gateway.Configuration;

/// <summary>The serial settings of an RTU bus.</summary>
/// <param name="Path">The serial port, e.g. <c>/dev/ttyUSB0</c>.</param>
/// <param name="Baud">Bits per second.</param>
/// <param name="Parity"><c>N</c>, <c>E</c> or <c>O</c>.</param>
/// <param name="DataBits">7 or 8.</param>
/// <param name="StopBits">1 or 2.</param>
public sealed record SerialLine(string Path, int Baud, char Parity, int DataBits, int StopBits)
{
    public override string ToString() => $"{Path} {Baud} {DataBits}{Parity}{StopBits}";
}
