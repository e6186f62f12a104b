namespace CivicEdge.Gateway.Ota;

/// <summary>How the gateway feeds an image to a device on its bus.</summary>
public sealed class FieldUpdateOptions
{
    /// <summary>Image bytes per Write File Record request, an even 2..244; the device's own limit applies too.</summary>
    public int ChunkBytes { get; set; } = 240;

    /// <summary>
    /// The share of the bus's time the update may take, above 0 and at most 1: after each transaction the relay leaves
    /// the line to polling for as long again as (1 − share) / share times the transaction took.
    /// </summary>
    public double BusShare { get; set; } = 0.5;

    /// <summary>How long the device may take to verify the staged image.</summary>
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the device may take to restart into the new image and confirm it (or roll it back).</summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the status block is read while waiting for the device.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Transactions in a row that may fail (timeouts, CRC errors) before the update is given up.</summary>
    public int MaxConsecutiveFailures { get; set; } = 20;

    /// <summary>
    /// While feeding a device, how long at most between two <c>downloading</c> reports of the bytes it has acknowledged
    /// (a report also goes out whenever <see cref="ProgressStep"/> more of the image has been taken).
    /// </summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>While feeding a device, the share of the image (above 0, at most 1) after which progress is reported again.</summary>
    public double ProgressStep { get; set; } = 0.1;

    /// <summary>The first register of the device's update block.</summary>
    public ushort RegisterBase { get; set; } = FieldUpdateStatus.DefaultBaseAddress;

    /// <summary>Checks every option; the message names the option, what it must be and what it is.</summary>
    /// <exception cref="ArgumentException">An option out of range.</exception>
    public void Validate()
    {
        if (ChunkBytes is < 2 or > 244 || ChunkBytes % 2 != 0)
            throw new ArgumentException($"{nameof(ChunkBytes)} must be an even 2..244 (one Write File Record request); found {ChunkBytes}.");
        if (!(BusShare > 0 && BusShare <= 1))
            throw new ArgumentException($"{nameof(BusShare)} must be above 0 and at most 1; found {BusShare}.");
        if (VerifyTimeout <= TimeSpan.Zero || ConfirmTimeout <= TimeSpan.Zero || StatusInterval <= TimeSpan.Zero)
            throw new ArgumentException($"{nameof(VerifyTimeout)}, {nameof(ConfirmTimeout)} and {nameof(StatusInterval)} must be positive; found {VerifyTimeout}, {ConfirmTimeout}, {StatusInterval}.");
        if (ProgressInterval <= TimeSpan.Zero)
            throw new ArgumentException($"{nameof(ProgressInterval)} must be positive; found {ProgressInterval}.");
        if (!(ProgressStep > 0 && ProgressStep <= 1))
            throw new ArgumentException($"{nameof(ProgressStep)} must be above 0 and at most 1 (a share of the image); found {ProgressStep}.");
        if (MaxConsecutiveFailures < 1)
            throw new ArgumentException($"{nameof(MaxConsecutiveFailures)} must be at least 1; found {MaxConsecutiveFailures}.");
        if (RegisterBase > 65536 - FieldUpdateStatus.BlockLength)
            throw new ArgumentException($"{nameof(RegisterBase)} leaves no room for the {FieldUpdateStatus.BlockLength}-register block; found {RegisterBase}.");
    }
}
