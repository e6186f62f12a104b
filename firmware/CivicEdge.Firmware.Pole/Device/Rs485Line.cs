using System.IO.Ports;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>
/// The board's RS-485 port: an ESP32 UART in RS-485 half-duplex mode, whose RTS line (the transceiver's DE/RE pin,
/// given the COMx_RTS function in Program) the UART driver raises while it transmits. Modbus RTU default 9600 8E1.
/// </summary>
public sealed class Rs485Line : ISerialLink
{
    private readonly SerialPort _port;

    public Rs485Line(string portName, int baudRate)
    {
        _port = new SerialPort(portName, baudRate, Parity.Even, 8, StopBits.One);
        _port.Mode = SerialMode.RS485;
        _port.Handshake = Handshake.None;
        _port.Open();
    }

    public int BaudRate => _port.BaudRate;

    public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
    {
        if (_port.BytesToRead == 0)
        {
            if (timeoutMilliseconds <= 0)
            {
                return 0;
            }

            _port.ReadTimeout = timeoutMilliseconds;
        }

        try
        {
            var available = _port.BytesToRead;
            return _port.Read(buffer, offset, available > 0 && available < count ? available : count);
        }
        catch (TimeoutException)
        {
            return 0;
        }
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        _port.Write(buffer, offset, count);
    }

    public void DiscardInput() => _port.DiscardInBuffer();
}
