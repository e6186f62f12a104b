using System.IO.Ports;
using System.Runtime.InteropServices;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// A firmware serial line on a Linux serial device: an RS-485 adapter, or one end of a socat pty pair standing in for
/// the bus. System.IO.Ports sets the line up (speed, parity, raw mode); bytes go through a descriptor of the link's own,
/// waited on with poll(2), because the port's stream polls in 1 ms steps and a Modbus frame ends after 1.75 ms of
/// silence at 115200 baud. Reads and writes allocate nothing.
/// </summary>
public sealed class SerialDeviceLink : ISerialLink, IDisposable
{
    // Linux open(2) flags and poll(2) events (asm-generic, shared by x86-64 and arm64).
    private const int ReadWrite = 0x2;
    private const int NoControllingTerminal = 0x100;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private const short Readable = 0x001;
    private const short Writable = 0x004;
    private const short Failed = 0x008 | 0x010 | 0x020;
    private const int WouldBlock = 11;
    private const int Interrupted = 4;
    private const int FlushInput = 0;

    private readonly SerialPort _port;
    private readonly int _descriptor;
    private bool _disposed;

    /// <summary>Opens <paramref name="path"/> at <paramref name="baudRate"/>, 8 data bits, <paramref name="parity"/>, 1 stop bit.</summary>
    /// <exception cref="IOException">The device is missing or cannot be opened; the message names it.</exception>
    public SerialDeviceLink(string path, int baudRate, Parity parity = Parity.None)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(baudRate, 50);
        if (!File.Exists(path))
            throw new IOException($"Serial device {path} does not exist: expected a serial port or pty at that path.");

        Path = path;
        BaudRate = baudRate;
        _port = new SerialPort(path, baudRate, parity, 8, StopBits.One) { Handshake = Handshake.None };
        try
        {
            _port.Open();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or ArgumentException or InvalidOperationException)
        {
            _port.Dispose();
            throw new IOException($"Serial device {path} cannot be opened at {baudRate} baud, parity {parity}: {e.Message}", e);
        }

        _descriptor = Open(path, ReadWrite | NoControllingTerminal | NonBlocking | CloseOnExec);
        if (_descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            _port.Dispose();
            throw new IOException($"Serial device {path} cannot be opened for reading and writing: {Marshal.GetPInvokeErrorMessage(error)}.");
        }
    }

    public string Path { get; }

    public int BaudRate { get; }

    /// <exception cref="IOException">The line failed or hung up.</exception>
    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + count, buffer.Length);
        if (!WaitFor(Readable, timeoutMilliseconds))
            return 0;
        while (true)
        {
            var read = ReadDevice(_descriptor, ref buffer[offset], count);
            if (read >= 0)
                return (int)read;
            var error = Marshal.GetLastPInvokeError();
            if (error == Interrupted)
                continue;
            if (error == WouldBlock)
                return 0;
            throw new IOException($"Reading from {Path} failed: {Marshal.GetPInvokeErrorMessage(error)}.");
        }
    }

    /// <exception cref="IOException">The line failed, or did not take the bytes within a second.</exception>
    public void Write(byte[] buffer, int offset, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + count, buffer.Length);
        while (count > 0)
        {
            var written = WriteDevice(_descriptor, ref buffer[offset], count);
            if (written > 0)
            {
                offset += (int)written;
                count -= (int)written;
                continue;
            }

            var error = written < 0 ? Marshal.GetLastPInvokeError() : WouldBlock;
            if (error == Interrupted)
                continue;
            if (error != WouldBlock)
                throw new IOException($"Writing to {Path} failed: {Marshal.GetPInvokeErrorMessage(error)}.");
            if (!WaitFor(Writable, 1000))
                throw new IOException($"Writing to {Path} failed: the driver took no bytes for a second ({count} left).");
        }
    }

    public void DiscardInput()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = FlushDevice(_descriptor, FlushInput);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _ = CloseDevice(_descriptor);
        _port.Dispose();
    }

    public override string ToString() => $"{Path} {BaudRate} baud";

    private bool WaitFor(short events, int timeoutMilliseconds)
    {
        var watched = new PollDescriptor { Descriptor = _descriptor, Events = events };
        while (true)
        {
            watched.Returned = 0;
            var ready = Poll(ref watched, 1, Math.Max(timeoutMilliseconds, 0));
            if (ready < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == Interrupted)
                    continue;
                throw new IOException($"Waiting on {Path} failed: {Marshal.GetPInvokeErrorMessage(error)}.");
            }

            if (ready == 0)
                return false;
            if ((watched.Returned & events) != 0)
                return true;
            if ((watched.Returned & Failed) != 0)
                throw new IOException($"The line {Path} hung up or failed (poll events 0x{watched.Returned:X}).");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short Returned;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int CloseDevice(int descriptor);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint ReadDevice(int descriptor, ref byte buffer, nint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint WriteDevice(int descriptor, ref byte buffer, nint count);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll(ref PollDescriptor descriptors, nuint count, int timeoutMilliseconds);

    [DllImport("libc", EntryPoint = "tcflush", SetLastError = true)]
    private static extern int FlushDevice(int descriptor, int queue);
}
