using System.Text;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// A firmware "image" for the host build: a header line naming its version and whether it boots healthy, then filler
/// bytes. The simulated device boots whatever image its boot loader starts and reports the version in it, so an update
/// is seen to work only if the bytes that arrived are the bytes that were sent.
/// </summary>
public static class SimulatedFirmwareImage
{
    private const string Magic = "CIVICEDGE-IMAGE";

    /// <summary>An image of <paramref name="size"/> bytes for <paramref name="version"/>; a faulty one never becomes healthy.</summary>
    public static byte[] Create(string version, int size, bool healthy = true, int seed = 1)
    {
        var header = Encoding.ASCII.GetBytes($"{Magic} {version} {(healthy ? "healthy" : "faulty")}\n");
        ArgumentOutOfRangeException.ThrowIfLessThan(size, header.Length);
        var image = new byte[size];
        new Random(seed).NextBytes(image);
        header.CopyTo(image, 0);
        return image;
    }

    /// <summary>The version an image carries.</summary>
    /// <exception cref="ArgumentException">The bytes are no simulated image.</exception>
    public static string VersionOf(byte[] image) => Header(image)[1];

    /// <summary>Whether an image becomes healthy after it boots.</summary>
    public static bool BootsHealthy(byte[] image) => Header(image)[2] == "healthy";

    private static string[] Header(byte[] image)
    {
        int end = Array.IndexOf(image, (byte)'\n', 0, Math.Min(image.Length, 64));
        var fields = end > 0 ? Encoding.ASCII.GetString(image, 0, end).Split(' ') : [];
        if (fields.Length != 3 || fields[0] != Magic)
            throw new ArgumentException($"Expected a simulated image starting '{Magic} <version> healthy|faulty'; found {Convert.ToHexString(image.AsSpan(0, Math.Min(16, image.Length)))}….");
        return fields;
    }
}
