namespace CivicEdge.Protocols.Meters.Tests;

/// <summary>Byte vectors written as the standards print them: "68 AA AA 68 13 00 DF 16".</summary>
internal static class Hex
{
    public static byte[] Bytes(string spaced) => Convert.FromHexString(spaced.Replace(" ", "", StringComparison.Ordinal));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
