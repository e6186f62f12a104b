using System;

namespace CivicEdge.Firmware.Pole.Settings;

/// <summary>Writes little-endian fields into a preallocated buffer (nanoFramework has no BinaryPrimitives).</summary>
public sealed class RecordWriter
{
    private readonly byte[] _buffer;

    public RecordWriter(byte[] buffer)
    {
        _buffer = buffer;
    }

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    public byte[] Buffer => _buffer;

    public void Reset() => Length = 0;

    public void WriteByte(int value) => _buffer[Length++] = (byte)value;

    public void WriteInt32(int value)
    {
        for (var i = 0; i < 4; i++)
        {
            _buffer[Length++] = (byte)(value >> (8 * i));
        }
    }

    public void WriteInt64(long value)
    {
        for (var i = 0; i < 8; i++)
        {
            _buffer[Length++] = (byte)(value >> (8 * i));
        }
    }

    public void WriteDouble(double value) => WriteInt64(BitConverter.DoubleToInt64Bits(value));

    /// <summary>A length byte then the characters as ASCII (anything else becomes '?').</summary>
    public void WriteAscii(string text)
    {
        WriteByte(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            _buffer[Length++] = c < 128 ? (byte)c : (byte)'?';
        }
    }
}
