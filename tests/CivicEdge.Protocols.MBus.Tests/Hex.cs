namespace CivicEdge.Protocols.MBus.Tests;

/// <summary>Byte vectors written as EN 13757 prints them: "68 03 03 68 08 01 72".</summary>
internal static class Hex
{
    public static byte[] Bytes(string spaced) =>
        Convert.FromHexString(string.Concat(spaced.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
