using System.Text;

namespace CivicEdge.Gateway.Ota;

/// <summary>
/// The update block of a field device as read in one transaction (hardware/ota/modbus-update.md): where its update
/// stands, the next image offset it needs, the manifest it holds and the version it runs.
/// </summary>
public sealed record FieldUpdateStatus(
    FieldDeviceUpdateState State,
    FieldDeviceUpdateError LastError,
    long NextOffset,
    long ImageSize,
    byte[] Sha256,
    string TargetVersion,
    string RunningVersion,
    int RecordsPerFile,
    int MaxChunkBytes)
{
    /// <summary>Registers in the block.</summary>
    public const int BlockLength = 41;

    /// <summary>Where the block starts unless a device's profile says otherwise.</summary>
    public const ushort DefaultBaseAddress = 0xFF00;

    /// <summary>Offset of the command register.</summary>
    public const int CommandOffset = 0;

    /// <summary>Offset of the manifest registers: size (2), SHA-256 (16), version (8).</summary>
    public const int ManifestOffset = 5;

    /// <summary>Registers of the manifest.</summary>
    public const int ManifestLength = 26;

    /// <summary>Command: open the update the manifest registers describe.</summary>
    public const ushort StartCommand = 1;

    /// <summary>Command: boot the verified image.</summary>
    public const ushort InstallCommand = 2;

    /// <summary>Command: drop the update in progress.</summary>
    public const ushort AbortCommand = 3;

    /// <summary>The longest version the registers hold.</summary>
    public const int MaxVersionLength = 16;

    /// <summary>Parses the block's registers.</summary>
    /// <exception cref="ArgumentException">Fewer than <see cref="BlockLength"/> registers.</exception>
    public static FieldUpdateStatus Parse(ReadOnlySpan<ushort> block)
    {
        if (block.Length < BlockLength)
            throw new ArgumentException($"The update block has {BlockLength} registers; found {block.Length}.", nameof(block));
        var sha = new byte[32];
        for (int i = 0; i < 16; i++)
        {
            sha[2 * i] = (byte)(block[7 + i] >> 8);
            sha[(2 * i) + 1] = (byte)block[7 + i];
        }

        return new FieldUpdateStatus(
            (FieldDeviceUpdateState)block[1],
            (FieldDeviceUpdateError)block[2],
            ((long)block[3] << 16) | block[4],
            ((long)block[5] << 16) | block[6],
            sha,
            Text(block.Slice(23, 8)),
            Text(block.Slice(31, 8)),
            block[39],
            block[40]);
    }

    /// <summary>The manifest registers for an image: size, SHA-256, version.</summary>
    /// <exception cref="ArgumentException">A version that is not 1..16 printable ASCII characters, or a hash that is not 32 bytes.</exception>
    public static ushort[] ManifestRegisters(long size, ReadOnlySpan<byte> sha256, string version)
    {
        if (sha256.Length != 32)
            throw new ArgumentException($"A SHA-256 has 32 bytes; found {sha256.Length}.", nameof(sha256));
        if (version.Length is < 1 or > MaxVersionLength || version.Any(c => c is < '!' or > '~'))
            throw new ArgumentException($"A field device takes a version of 1..{MaxVersionLength} printable ASCII characters; found '{version}'.", nameof(version));
        var registers = new ushort[ManifestLength];
        registers[0] = (ushort)(size >> 16);
        registers[1] = (ushort)size;
        for (int i = 0; i < 16; i++)
            registers[2 + i] = (ushort)((sha256[2 * i] << 8) | sha256[(2 * i) + 1]);
        var ascii = Encoding.ASCII.GetBytes(version);
        for (int i = 0; i < ascii.Length; i++)
            registers[18 + (i / 2)] |= (ushort)(i % 2 == 0 ? ascii[i] << 8 : ascii[i]);
        return registers;
    }

    private static string Text(ReadOnlySpan<ushort> registers)
    {
        var builder = new StringBuilder(2 * registers.Length);
        foreach (var register in registers)
        {
            foreach (var b in new[] { (char)(register >> 8), (char)(register & 0xFF) })
            {
                if (b == '\0')
                    return builder.ToString();
                builder.Append(b);
            }
        }

        return builder.ToString();
    }
}
