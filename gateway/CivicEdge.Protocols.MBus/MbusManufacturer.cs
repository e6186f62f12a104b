namespace CivicEdge.Protocols.MBus;

/// <summary>
/// The manufacturer identification (EN 13757-3 §5.6; EN 62056-21 flag codes): three letters packed into 15 bits,
/// each letter as 5 bits with A = 1, value = (L1 − 64)·32² + (L2 − 64)·32 + (L3 − 64), sent least significant byte first.
/// </summary>
public static class MbusManufacturer
{
    public static string Decode(ushort code) => string.Create(3, code, static (chars, c) =>
    {
        chars[0] = (char)(((c >> 10) & 0x1F) + 64);
        chars[1] = (char)(((c >> 5) & 0x1F) + 64);
        chars[2] = (char)((c & 0x1F) + 64);
    });

    public static ushort Encode(string flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        if (flag.Length != 3 || !flag.All(c => c is >= 'A' and <= 'Z'))
            throw new ArgumentException($"Expected three capital letters A–Z, found '{flag}'.", nameof(flag));
        return (ushort)(((flag[0] - 64) << 10) | ((flag[1] - 64) << 5) | (flag[2] - 64));
    }
}
