namespace CivicEdge.Firmware.Core.Hal;

/// <summary>
/// Where a new firmware image is staged and how the boot loader is told to start it, in the shape of nanoFramework's
/// In-Field Update storage: an area erased once, written at offsets, read back for the hash check, then marked bootable.
/// The boot loader starts a bootable image on trial; the firmware confirms it once it proved healthy, or asks for the
/// previous image back. A write may be cut by a power loss at any byte: callers re-write from their last checkpoint.
/// </summary>
public interface IUpdateStorage
{
    /// <summary>The largest image the area holds, in bytes.</summary>
    int Capacity { get; }

    /// <summary>Erases the staging area; whatever was staged is gone and nothing is bootable.</summary>
    void Erase();

    /// <summary>Writes <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="index"/> at <paramref name="offset"/> of the area.</summary>
    void Write(int offset, byte[] data, int index, int count);

    /// <summary>Reads <paramref name="count"/> bytes at <paramref name="offset"/> of the area into <paramref name="into"/> at <paramref name="index"/>.</summary>
    void Read(int offset, byte[] into, int index, int count);

    /// <summary>The first <paramref name="length"/> bytes of the area are an image to start, on trial, at the next reset.</summary>
    void MarkBootable(int length);

    /// <summary>The image running on trial stays: the previous one may be dropped.</summary>
    void ConfirmRunning();

    /// <summary>The image running on trial failed: the next reset starts the previous image again.</summary>
    void RollBack();
}
