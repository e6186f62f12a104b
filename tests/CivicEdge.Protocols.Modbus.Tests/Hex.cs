namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>Byte vectors written as the Modbus specification prints them: "03 00 6B 00 03".</summary>
internal static class Hex
{
    public static byte[] Bytes(string spaced) => Convert.FromHexString(spaced.Replace(" ", "", StringComparison.Ordinal));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
