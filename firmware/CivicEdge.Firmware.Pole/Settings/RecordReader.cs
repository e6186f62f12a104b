using System;

namespace CivicEdge.Firmware.Pole.Settings;

/// <summary>Reads the little-endian fields <see cref="RecordWriter"/> wrote; reading past the end sets <see cref="Overrun"/>.</summary>
public sealed class RecordReader
{
    private readonly byte[] _buffer;
    private int _position;

    public RecordReader(byte[] buffer)
    {
        _buffer = buffer;
    }

    /// <summary>True once a read went past the end: the record is shorter than its layout and must not be used.</summary>
    public bool Overrun { get; private set; }

    public int ReadByte()
    {
        if (_position >= _buffer.Length)
        {
            Overrun = true;
            return 0;
        }

        return _buffer[_position++];
    }

    public int ReadInt32()
    {
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            value |= ReadByte() << (8 * i);
        }

        return value;
    }

    public long ReadInt64()
    {
        long value = 0;
        for (var i = 0; i < 8; i++)
        {
            value |= (long)ReadByte() << (8 * i);
        }

        return value;
    }

    public double ReadDouble() => BitConverter.Int64BitsToDouble(ReadInt64());

    public string ReadAscii()
    {
        var length = ReadByte();
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)ReadByte();
        }

        return new string(chars);
    }
}
