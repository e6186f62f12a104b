using System;

namespace CivicEdge.Firmware.Core.Json;

/// <summary>
/// Writes UTF-8 JSON (RFC 8259) into a buffer allocated once, so that a device formats its messages without allocating
/// per value. Commas and nesting are tracked here; callers write names and values in order. A write that does not fit
/// sets <see cref="Overflowed"/> and writes nothing more: a caller filling a batch takes a <see cref="Mark"/> before each
/// record and rewinds to it when the record did not fit.
/// </summary>
public sealed class JsonWriter
{
    // 15 significant digits: every double with up to 15 decimal digits (a billing register's 123456789.123 kWh)
    // survives the round trip, and 10^15 still fits in a long exactly (below 2^53).
    private const int SignificantDigits = 15;
    private const long SignificandLimit = 1000000000000000L;
    private const long SignificandFloor = 100000000000000L;

    private static readonly byte[] HexDigits = { (byte)'0', (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7', (byte)'8', (byte)'9', (byte)'a', (byte)'b', (byte)'c', (byte)'d', (byte)'e', (byte)'f' };

    private readonly byte[] _buffer;
    private readonly bool[] _hasItems;
    private readonly byte[] _digits = new byte[20];
    private int _length;
    private int _depth;
    private bool _afterName;
    private bool _overflowed;

    /// <param name="capacity">The largest message in bytes.</param>
    /// <param name="maxDepth">The deepest nesting of objects and arrays.</param>
    public JsonWriter(int capacity, int maxDepth)
    {
        if (capacity < 2)
        {
            throw new ArgumentOutOfRangeException("capacity", "A JSON buffer needs at least 2 bytes.");
        }

        _buffer = new byte[capacity];
        _hasItems = new bool[maxDepth + 1];
    }

    /// <summary>The bytes written so far start at index 0.</summary>
    public byte[] Buffer
    {
        get { return _buffer; }
    }

    /// <summary>How many bytes of <see cref="Buffer"/> hold the message.</summary>
    public int Length
    {
        get { return _length; }
    }

    /// <summary>The size of <see cref="Buffer"/>.</summary>
    public int Capacity
    {
        get { return _buffer.Length; }
    }

    /// <summary>True once a write did not fit; the message is incomplete until rewound to a mark taken before.</summary>
    public bool Overflowed
    {
        get { return _overflowed; }
    }

    /// <summary>How deep the writer is in objects and arrays (0 at the top level).</summary>
    public int Depth
    {
        get { return _depth; }
    }

    /// <summary>Starts a new message.</summary>
    public void Reset()
    {
        _length = 0;
        _depth = 0;
        _hasItems[0] = false;
        _afterName = false;
        _overflowed = false;
    }

    /// <summary>The position to come back to with <see cref="Rewind"/>: between two values of the current container.</summary>
    public JsonMark Mark()
    {
        return new JsonMark(_length, _depth, _hasItems[_depth]);
    }

    /// <summary>Drops everything written after <paramref name="mark"/> and clears <see cref="Overflowed"/>.</summary>
    public void Rewind(JsonMark mark)
    {
        _length = mark.Length;
        _depth = mark.Depth;
        _hasItems[_depth] = mark.HasItems;
        _afterName = false;
        _overflowed = false;
    }

    /// <summary>Copies the message into a new array of its exact length (the form a link's publish takes).</summary>
    public byte[] ToArray()
    {
        byte[] copy = new byte[_length];
        Array.Copy(_buffer, copy, _length);
        return copy;
    }

    public void BeginObject()
    {
        BeginValue();
        Append((byte)'{');
        Push();
    }

    public void EndObject()
    {
        Pop();
        Append((byte)'}');
    }

    public void BeginArray()
    {
        BeginValue();
        Append((byte)'[');
        Push();
    }

    public void EndArray()
    {
        Pop();
        Append((byte)']');
    }

    /// <summary>Writes a property name; the next write is its value.</summary>
    public void Name(string name)
    {
        if (_afterName)
        {
            throw new InvalidOperationException("A JSON property name must be followed by its value, found another name '" + name + "'.");
        }

        Separate();
        WriteQuoted(name);
        Append((byte)':');
        _afterName = true;
    }

    public void String(string value)
    {
        if (value == null)
        {
            Null();
            return;
        }

        BeginValue();
        WriteQuoted(value);
    }

    public void Boolean(bool value)
    {
        BeginValue();
        if (value)
        {
            AppendAscii("true");
        }
        else
        {
            AppendAscii("false");
        }
    }

    public void Null()
    {
        BeginValue();
        AppendAscii("null");
    }

    public void Number(long value)
    {
        BeginValue();
        WriteInteger(value);
    }

    /// <summary>
    /// Writes a finite number with up to 15 significant digits, positionally from 1e-6 to 1e15 and with an exponent
    /// outside (RFC 8259 §6); JSON has no NaN or infinity, so those are the caller's error.
    /// </summary>
    public void Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException("JSON numbers are finite (RFC 8259 §6); found " + (double.IsNaN(value) ? "NaN" : "an infinity") + ".", "value");
        }

        BeginValue();
        WriteDouble(value);
    }

    /// <summary>Writes a UTC instant as ISO 8601 with milliseconds, e.g. <c>"2026-11-29T01:24:34.123Z"</c>.</summary>
    public void Timestamp(DateTime utc)
    {
        BeginValue();
        Append((byte)'"');
        AppendPadded(utc.Year, 4);
        Append((byte)'-');
        AppendPadded(utc.Month, 2);
        Append((byte)'-');
        AppendPadded(utc.Day, 2);
        Append((byte)'T');
        AppendPadded(utc.Hour, 2);
        Append((byte)':');
        AppendPadded(utc.Minute, 2);
        Append((byte)':');
        AppendPadded(utc.Second, 2);
        Append((byte)'.');
        AppendPadded(utc.Millisecond, 3);
        Append((byte)'Z');
        Append((byte)'"');
    }

    /// <summary>Writes bytes that already are one complete JSON value (a record kept encoded in an outbox).</summary>
    public void RawValue(byte[] source, int offset, int count)
    {
        BeginValue();
        if (_overflowed)
        {
            return;
        }

        if (_length + count > _buffer.Length)
        {
            _overflowed = true;
            return;
        }

        Array.Copy(source, offset, _buffer, _length, count);
        _length += count;
    }

    private void Push()
    {
        if (_depth + 1 >= _hasItems.Length)
        {
            throw new InvalidOperationException("JSON nesting deeper than " + (_hasItems.Length - 1).ToString() + " levels.");
        }

        _depth++;
        _hasItems[_depth] = false;
    }

    private void Pop()
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("Closed a JSON object or array that was not open.");
        }

        _depth--;
    }

    private void BeginValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        Separate();
    }

    private void Separate()
    {
        if (_hasItems[_depth])
        {
            Append((byte)',');
        }

        _hasItems[_depth] = true;
    }

    private void WriteQuoted(string value)
    {
        Append((byte)'"');
        int length = value.Length;
        for (int i = 0; i < length; i++)
        {
            int c = value[i];

            // RFC 8259 §7: the quotation mark, the reverse solidus and the control characters must be escaped.
            if (c == '"' || c == '\\')
            {
                Append((byte)'\\');
                Append((byte)c);
            }
            else if (c < 0x20)
            {
                WriteControl(c);
            }
            else if (c < 0x80)
            {
                Append((byte)c);
            }
            else if (c < 0x800)
            {
                Append((byte)(0xC0 | (c >> 6)));
                Append((byte)(0x80 | (c & 0x3F)));
            }
            else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < length && value[i + 1] >= 0xDC00 && value[i + 1] <= 0xDFFF)
            {
                int codePoint = 0x10000 + ((c - 0xD800) << 10) + (value[i + 1] - 0xDC00);
                i++;
                Append((byte)(0xF0 | (codePoint >> 18)));
                Append((byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                Append((byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                Append((byte)(0x80 | (codePoint & 0x3F)));
            }
            else
            {
                if (c >= 0xD800 && c <= 0xDFFF)
                {
                    // A lone surrogate has no UTF-8 form (RFC 3629 §3): it becomes U+FFFD, the replacement character.
                    c = 0xFFFD;
                }

                Append((byte)(0xE0 | (c >> 12)));
                Append((byte)(0x80 | ((c >> 6) & 0x3F)));
                Append((byte)(0x80 | (c & 0x3F)));
            }
        }

        Append((byte)'"');
    }

    private void WriteControl(int c)
    {
        Append((byte)'\\');
        switch (c)
        {
            case '\b':
                Append((byte)'b');
                break;
            case '\f':
                Append((byte)'f');
                break;
            case '\n':
                Append((byte)'n');
                break;
            case '\r':
                Append((byte)'r');
                break;
            case '\t':
                Append((byte)'t');
                break;
            default:
                Append((byte)'u');
                Append((byte)'0');
                Append((byte)'0');
                Append(HexDigits[c >> 4]);
                Append(HexDigits[c & 0xF]);
                break;
        }
    }

    private void WriteInteger(long value)
    {
        if (value == long.MinValue)
        {
            AppendAscii("-9223372036854775808");
            return;
        }

        if (value < 0)
        {
            Append((byte)'-');
            value = -value;
        }

        int count = 0;
        do
        {
            _digits[count++] = (byte)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value != 0);

        while (count > 0)
        {
            Append(_digits[--count]);
        }
    }

    private void WriteDouble(double value)
    {
        if (value == 0)
        {
            Append((byte)'0');
            return;
        }

        if (value < 0)
        {
            Append((byte)'-');
            value = -value;
        }

        // The value as significand × 10^(exponent − 14), the significand holding exactly 15 digits.
        int exponent = (int)Math.Floor(Math.Log10(value));
        long significand = Scale(value, exponent);
        if (significand >= SignificandLimit)
        {
            exponent++;
            significand = Scale(value, exponent);
        }
        else if (significand < SignificandFloor)
        {
            exponent--;
            significand = Scale(value, exponent);
        }

        if (significand >= SignificandLimit)
        {
            // Rounding carried into a 16th digit (9.999…95 → 10.0…).
            significand /= 10;
            exponent++;
        }

        for (int i = SignificantDigits - 1; i >= 0; i--)
        {
            _digits[i] = (byte)('0' + (int)(significand % 10));
            significand /= 10;
        }

        int count = SignificantDigits;
        while (count > 1 && _digits[count - 1] == '0')
        {
            count--;
        }

        if (exponent >= -6 && exponent < SignificantDigits)
        {
            WritePositional(count, exponent);
        }
        else
        {
            Append(_digits[0]);
            if (count > 1)
            {
                Append((byte)'.');
                for (int i = 1; i < count; i++)
                {
                    Append(_digits[i]);
                }
            }

            Append((byte)'E');
            WriteInteger(exponent);
        }
    }

    private void WritePositional(int count, int exponent)
    {
        if (exponent < 0)
        {
            Append((byte)'0');
            Append((byte)'.');
            for (int i = -1; i > exponent; i--)
            {
                Append((byte)'0');
            }

            for (int i = 0; i < count; i++)
            {
                Append(_digits[i]);
            }

            return;
        }

        for (int i = 0; i <= exponent; i++)
        {
            Append(i < count ? _digits[i] : (byte)'0');
        }

        if (count > exponent + 1)
        {
            Append((byte)'.');
            for (int i = exponent + 1; i < count; i++)
            {
                Append(_digits[i]);
            }
        }
    }

    private static long Scale(double value, int exponent)
    {
        int shift = SignificantDigits - 1 - exponent;
        double scaled = shift >= 0 ? value * PowerOfTen(shift) : value / PowerOfTen(-shift);
        return (long)Math.Floor(scaled + 0.5);
    }

    private static double PowerOfTen(int exponent)
    {
        // Powers of ten up to 10^22 are exact in a double; a product of two exact ones keeps the error to one rounding.
        if (exponent <= 22)
        {
            return Math.Pow(10, exponent);
        }

        return Math.Pow(10, 22) * Math.Pow(10, exponent - 22);
    }

    private void AppendPadded(int value, int width)
    {
        int divisor = 1;
        for (int i = 1; i < width; i++)
        {
            divisor *= 10;
        }

        for (; divisor > 0; divisor /= 10)
        {
            Append((byte)('0' + ((value / divisor) % 10)));
        }
    }

    private void AppendAscii(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            Append((byte)text[i]);
        }
    }

    private void Append(byte value)
    {
        if (_overflowed)
        {
            return;
        }

        if (_length == _buffer.Length)
        {
            _overflowed = true;
            return;
        }

        _buffer[_length++] = value;
    }
}
