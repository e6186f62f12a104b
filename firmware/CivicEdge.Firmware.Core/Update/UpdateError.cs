namespace CivicEdge.Firmware.Core.Update;

/// <summary>Why the last update step was refused or failed; the number is what the last-error register holds.</summary>
public enum UpdateError
{
    /// <summary>Nothing went wrong.</summary>
    None = 0,

    /// <summary>The manifest's size is 0 or more than the staging area holds.</summary>
    ImageTooLarge = 1,

    /// <summary>The manifest's version is empty or not printable ASCII.</summary>
    BadVersion = 2,

    /// <summary>A chunk starts past the next offset needed, or ends past the image's size.</summary>
    OffsetOutOfRange = 3,

    /// <summary>The staged image's SHA-256 differs from the manifest's.</summary>
    HashMismatch = 4,

    /// <summary>The command does not fit the current state (e.g. install before the image is verified).</summary>
    WrongState = 5,

    /// <summary>The staging area failed to erase, write or read.</summary>
    StorageFault = 6,

    /// <summary>The new image restarted too often without becoming healthy and was rolled back.</summary>
    NeverConfirmed = 7,

    /// <summary>The command register held an unknown command.</summary>
    UnknownCommand = 8,
}
