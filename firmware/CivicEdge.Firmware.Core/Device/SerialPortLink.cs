using System;
using System.IO.Ports;
using System.Threading;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Device;

/// <summary>
/// A serial line on one of the device's UARTs through nanoFramework's System.IO.Ports. On RS-485 the port runs in
/// <see cref="SerialMode.RS485"/>, so the driver raises RTS (the transceiver's driver enable) while it sends and
/// lowers it once the last bit has left. The UART's pins are assigned by the application before this is made
/// (nanoFramework.Hardware.Esp32 <c>Configuration.SetPinFunction</c>).
/// </summary>
/// <remarks>
/// nanoFramework's <c>SerialPort.Read</c> throws <see cref="TimeoutException"/> when nothing arrives, which on a quiet
/// line would be an exception every few milliseconds; this link waits on <c>BytesToRead</c> in 1 ms steps instead and
/// reads only what has arrived, so that a quiet line costs no allocation.
/// </remarks>
public sealed class SerialPortLink : ISerialLink, IDisposable
{
    private readonly SerialPort _port;
    private readonly byte[] _scratch = new byte[64];

    /// <param name="portName">The UART, e.g. <c>COM2</c>.</param>
    /// <param name="baudRate">Bits per second.</param>
    /// <param name="parity">Even for Modbus RTU unless the bus says otherwise (MODBUS over Serial Line V1.02, §2.5.1).</param>
    /// <param name="rs485">Whether the port drives an RS-485 transceiver's direction through RTS.</param>
    public SerialPortLink(string portName, int baudRate, Parity parity, bool rs485)
    {
        // §2.5.1: 11 bits per character; without parity a second stop bit keeps the character length.
        _port = new SerialPort(portName, baudRate, parity, 8, parity == Parity.None ? StopBits.Two : StopBits.One);
        _port.Handshake = Handshake.None;
        _port.ReadTimeout = 1;
        _port.WriteTimeout = 1000;
        if (rs485)
        {
            _port.Mode = SerialMode.RS485;
        }

        _port.Open();
        BaudRate = baudRate;
    }

    public int BaudRate { get; }

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        long deadline = Environment.TickCount64 + timeoutMilliseconds;
        int available = _port.BytesToRead;
        while (available == 0)
        {
            if (Environment.TickCount64 >= deadline)
            {
                return 0;
            }

            Thread.Sleep(1);
            available = _port.BytesToRead;
        }

        return _port.Read(buffer, offset, available < count ? available : count);
    }

    public void Write(byte[] buffer, int offset, int count) => _port.Write(buffer, offset, count);

    public void DiscardInput()
    {
        int available = _port.BytesToRead;
        while (available > 0)
        {
            available -= _port.Read(_scratch, 0, available < _scratch.Length ? available : _scratch.Length);
        }
    }

    public void Dispose() => _port.Dispose();
}
