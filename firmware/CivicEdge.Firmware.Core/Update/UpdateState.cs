namespace CivicEdge.Firmware.Core.Update;

/// <summary>Where an update stands on the device; the number is what the status register holds (firmware/README.md).</summary>
public enum UpdateState
{
    /// <summary>No update in progress.</summary>
    Idle = 0,

    /// <summary>A manifest was accepted; chunks are being written; the next-offset register says where to go on.</summary>
    Receiving = 1,

    /// <summary>Every byte is staged; the device is reading the image back and hashing it.</summary>
    Verifying = 2,

    /// <summary>The staged image's size and SHA-256 match the manifest; it may be installed.</summary>
    Staged = 3,

    /// <summary>The image is marked bootable and the device restarts into it.</summary>
    Rebooting = 4,

    /// <summary>The new image runs on trial until the boot guard confirms a healthy boot.</summary>
    Trial = 5,

    /// <summary>The new image booted healthy and stays.</summary>
    Confirmed = 6,

    /// <summary>The update stopped before the switch; the last-error register says why; the old image still runs.</summary>
    Failed = 7,

    /// <summary>The new image never confirmed; the device went back to the previous one.</summary>
    RolledBack = 8,
}
