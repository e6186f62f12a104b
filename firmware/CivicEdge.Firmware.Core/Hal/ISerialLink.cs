namespace CivicEdge.Firmware.Core.Hal;

/// <summary>
/// A serial line (RS-485 to the energy meter and the environment sensors, or to the gateway that polls this device).
/// Half duplex on RS-485: the driver switches the transceiver's direction around <see cref="Write"/>.
/// </summary>
public interface ISerialLink
{
    /// <summary>Line speed in bits per second; a frame's silent interval (Modbus RTU t3.5) is derived from it.</summary>
    int BaudRate { get; }

    /// <summary>
    /// Reads up to <paramref name="count"/> bytes, waiting at most <paramref name="timeoutMilliseconds"/> for the first
    /// one; returns how many were read, 0 on timeout.
    /// </summary>
    int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds);

    /// <summary>Sends the bytes and returns when they have left the transmitter.</summary>
    void Write(byte[] buffer, int offset, int count);

    /// <summary>Drops whatever the receiver holds (before a request, after a garbled frame).</summary>
    void DiscardInput();
}
