using System;

namespace CivicEdge.Firmware.Core.Json;

/// <summary>
/// A pull reader over one UTF-8 JSON message (RFC 8259), for the few messages a device receives (desired state,
/// commands, acknowledgements). It never throws on bad input: the first problem stops it, <see cref="Read"/> returns
/// false from then on and <see cref="Error"/> says what was expected, what was found and at which byte offset. Callers
/// checking a message's meaning report their own problems through <see cref="Fail"/>, so one message has one error.
/// </summary>
public sealed class JsonReader
{
    private readonly bool[] _inObject;
    private byte[] _data;
    private int _end;
    private int _position;
    private int _depth;
    private bool _needComma;
    private bool _afterName;
    private bool _done;
    private JsonTokenKind _kind;
    private int _tokenStart;
    private int _valueStart;
    private int _valueLength;
    private bool _valueEscaped;
    private string _error;
    private int _errorOffset;
    private char[] _chars = new char[64];
    private int _origin;

    /// <param name="maxDepth">The deepest nesting accepted; deeper input is an error rather than a stack overflow.</param>
    public JsonReader(int maxDepth)
    {
        _inObject = new bool[maxDepth + 1];
    }

    /// <summary>The token the reader stands on.</summary>
    public JsonTokenKind Kind
    {
        get { return _kind; }
    }

    /// <summary>How deep the reader is in objects and arrays; a start token counts as inside.</summary>
    public int Depth
    {
        get { return _depth; }
    }

    /// <summary>Null while the message reads well; otherwise the first problem, naming the offset.</summary>
    public string Error
    {
        get { return _error; }
    }

    /// <summary>The byte offset of the first problem; -1 while there is none.</summary>
    public int ErrorOffset
    {
        get { return _error == null ? -1 : _errorOffset; }
    }

    /// <summary>The byte offset of the current token within the message.</summary>
    public int TokenOffset
    {
        get { return _tokenStart; }
    }

    /// <summary>Starts reading <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
    public void Reset(byte[] data, int offset, int count)
    {
        _data = data;
        _position = offset;
        _end = offset + count;
        _depth = 0;
        _needComma = false;
        _afterName = false;
        _done = false;
        _kind = JsonTokenKind.None;
        _tokenStart = offset;
        _error = null;
        _errorOffset = -1;
        _origin = offset;
    }

    /// <summary>Moves to the next token; false at the end of the message or after an error.</summary>
    public bool Read()
    {
        if (_error != null)
        {
            return false;
        }

        SkipWhitespace();
        if (_done)
        {
            if (_position < _end)
            {
                FailAt("the end of the message", Describe(_position), _position);
            }

            _kind = JsonTokenKind.None;
            return false;
        }

        if (_position >= _end)
        {
            FailAt(_depth == 0 ? "a JSON value" : (_inObject[_depth] ? "',' or '}'" : "',' or ']'"), "the end of the message", _position);
            return false;
        }

        byte b = _data[_position];
        bool inObject = _depth > 0 && _inObject[_depth];
        if (b == '}' || b == ']')
        {
            return ReadClose(b, inObject);
        }

        if (_needComma && !_afterName)
        {
            if (b != ',')
            {
                FailAt(inObject ? "',' or '}'" : "',' or ']'", Describe(_position), _position);
                return false;
            }

            _position++;
            SkipWhitespace();
            if (_position >= _end)
            {
                FailAt(inObject ? "a property name" : "a value", "the end of the message", _position);
                return false;
            }

            b = _data[_position];
        }

        if (inObject && !_afterName)
        {
            return ReadName(b);
        }

        _afterName = false;
        return ReadValue(b);
    }

    /// <summary>Skips the value the reader stands on (or, on a property name, that property's value) with everything inside it.</summary>
    public bool Skip()
    {
        if (_kind == JsonTokenKind.PropertyName && !Read())
        {
            return false;
        }

        if (_kind != JsonTokenKind.StartObject && _kind != JsonTokenKind.StartArray)
        {
            return _error == null;
        }

        int depth = _depth;
        while (Read())
        {
            if (_depth < depth)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Stops the reader with a problem of meaning at the current token: what was expected, what was found.</summary>
    public void Fail(string expected, string found)
    {
        FailAt(expected, found, _tokenStart);
    }

    /// <summary>True when the current string or property name is exactly <paramref name="text"/>; allocates nothing.</summary>
    public bool ValueEquals(string text)
    {
        if (_kind != JsonTokenKind.String && _kind != JsonTokenKind.PropertyName)
        {
            return false;
        }

        if (_valueEscaped)
        {
            return GetString() == text;
        }

        // Unescaped UTF-8: ASCII text compares byte for byte; anything else decodes first.
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] >= 0x80)
            {
                return GetString() == text;
            }
        }

        if (text.Length != _valueLength)
        {
            return false;
        }

        for (int i = 0; i < _valueLength; i++)
        {
            if (_data[_valueStart + i] != text[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The current string or property name, unescaped (allocates the string).</summary>
    public string GetString()
    {
        if (_kind != JsonTokenKind.String && _kind != JsonTokenKind.PropertyName)
        {
            return null;
        }

        if (_chars.Length < _valueLength)
        {
            _chars = new char[_valueLength];
        }

        int count = 0;
        int i = _valueStart;
        int end = _valueStart + _valueLength;
        while (i < end)
        {
            int b = _data[i];
            if (b == '\\')
            {
                i = Unescape(i, ref count);
                continue;
            }

            int codePoint;
            int size;
            if (b < 0x80)
            {
                codePoint = b;
                size = 1;
            }
            else if ((b & 0xE0) == 0xC0)
            {
                codePoint = ((b & 0x1F) << 6) | (_data[i + 1] & 0x3F);
                size = 2;
            }
            else if ((b & 0xF0) == 0xE0)
            {
                codePoint = ((b & 0x0F) << 12) | ((_data[i + 1] & 0x3F) << 6) | (_data[i + 2] & 0x3F);
                size = 3;
            }
            else
            {
                codePoint = ((b & 0x07) << 18) | ((_data[i + 1] & 0x3F) << 12) | ((_data[i + 2] & 0x3F) << 6) | (_data[i + 3] & 0x3F);
                size = 4;
            }

            AppendCodePoint(codePoint, ref count);
            i += size;
        }

        return new string(_chars, 0, count);
    }

    /// <summary>The current number; false (and an error) when it is not a number.</summary>
    public bool TryGetDouble(out double value)
    {
        value = 0;
        if (_kind != JsonTokenKind.Number)
        {
            Fail("a number", DescribeToken());
            return false;
        }

        int i = _valueStart;
        int end = _valueStart + _valueLength;
        bool negative = _data[i] == '-';
        if (negative)
        {
            i++;
        }

        long significand = 0;
        int digits = 0;
        int scale = 0;
        while (i < end && _data[i] >= '0' && _data[i] <= '9')
        {
            Accumulate(_data[i], ref significand, ref digits, ref scale, false);
            i++;
        }

        if (i < end && _data[i] == '.')
        {
            i++;
            while (i < end && _data[i] >= '0' && _data[i] <= '9')
            {
                Accumulate(_data[i], ref significand, ref digits, ref scale, true);
                i++;
            }
        }

        int exponent = 0;
        if (i < end && (_data[i] == 'e' || _data[i] == 'E'))
        {
            i++;
            bool negativeExponent = _data[i] == '-';
            if (_data[i] == '-' || _data[i] == '+')
            {
                i++;
            }

            while (i < end)
            {
                if (exponent < 10000)
                {
                    exponent = (exponent * 10) + (_data[i] - '0');
                }

                i++;
            }

            if (negativeExponent)
            {
                exponent = -exponent;
            }
        }

        exponent += scale;
        double result = significand;
        if (exponent > 0)
        {
            result *= Math.Pow(10, exponent);
        }
        else if (exponent < 0)
        {
            // Dividing by an exact power of ten rounds once; multiplying by an inexact 10^-n would round twice.
            result = exponent >= -22 ? result / Math.Pow(10, -exponent) : result / Math.Pow(10, 22) / Math.Pow(10, -exponent - 22);
        }

        value = negative ? -result : result;
        return true;
    }

    /// <summary>The current number as an integer; false (and an error) when it is not an integer that fits 64 bits.</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        if (_kind != JsonTokenKind.Number)
        {
            Fail("an integer", DescribeToken());
            return false;
        }

        int i = _valueStart;
        int end = _valueStart + _valueLength;
        bool negative = _data[i] == '-';
        if (negative)
        {
            i++;
        }

        long result = 0;
        for (; i < end; i++)
        {
            int digit = _data[i] - '0';
            if (digit < 0 || digit > 9 || result > (long.MaxValue - digit) / 10)
            {
                Fail("an integer of at most 64 bits", DescribeToken());
                return false;
            }

            result = (result * 10) + digit;
        }

        value = negative ? -result : result;
        return true;
    }

    /// <summary>The current string as a UTC instant in ISO 8601 (<c>2026-11-29T01:24:34.123Z</c> or with an offset); false (and an error) otherwise.</summary>
    public bool TryGetTimestamp(out DateTime utc)
    {
        utc = DateTime.MinValue;
        if (_kind != JsonTokenKind.String || _valueEscaped || _valueLength < 20)
        {
            Fail("an ISO 8601 instant such as \"2026-11-29T01:24:34Z\"", DescribeToken());
            return false;
        }

        int p = _valueStart;
        int year = Digits(p, 4);
        int month = Digits(p + 5, 2);
        int day = Digits(p + 8, 2);
        int hour = Digits(p + 11, 2);
        int minute = Digits(p + 14, 2);
        int second = Digits(p + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
            || _data[p + 4] != '-' || _data[p + 7] != '-' || (_data[p + 10] != 'T' && _data[p + 10] != 't') || _data[p + 13] != ':' || _data[p + 16] != ':')
        {
            Fail("an ISO 8601 instant such as \"2026-11-29T01:24:34Z\"", DescribeToken());
            return false;
        }

        int i = p + 19;
        int end = _valueStart + _valueLength;
        long ticks = 0;
        if (i < end && _data[i] == '.')
        {
            i++;
            long unit = TimeSpan.TicksPerSecond / 10;
            while (i < end && _data[i] >= '0' && _data[i] <= '9')
            {
                ticks += (_data[i] - '0') * unit;
                unit /= 10;
                i++;
            }
        }

        long offsetMinutes = 0;
        if (i < end && (_data[i] == '+' || _data[i] == '-') && end - i == 6)
        {
            int offsetHours = Digits(i + 1, 2);
            int offsetMins = Digits(i + 4, 2);
            if (offsetHours < 0 || offsetMins < 0)
            {
                Fail("a UTC offset such as +08:00", DescribeToken());
                return false;
            }

            offsetMinutes = (offsetHours * 60) + offsetMins;
            if (_data[i] == '-')
            {
                offsetMinutes = -offsetMinutes;
            }

            i = end;
        }
        else if (i < end && (_data[i] == 'Z' || _data[i] == 'z'))
        {
            i++;
        }

        if (i != end)
        {
            Fail("an ISO 8601 instant ending in Z or a UTC offset", DescribeToken());
            return false;
        }

        DateTime local = new DateTime(year, month, day, hour, minute, second).AddTicks(ticks);
        utc = local.AddMinutes(-offsetMinutes);
        return true;
    }

    /// <summary>What the current token is, for a message: e.g. <c>the string "abc"</c>, <c>the number 12</c>, <c>an object</c>.</summary>
    public string DescribeToken()
    {
        switch (_kind)
        {
            case JsonTokenKind.StartObject:
                return "an object";
            case JsonTokenKind.StartArray:
                return "an array";
            case JsonTokenKind.String:
                return "the string \"" + GetString() + "\"";
            case JsonTokenKind.PropertyName:
                return "the property \"" + GetString() + "\"";
            case JsonTokenKind.Number:
                return "the number " + RawText();
            case JsonTokenKind.True:
                return "true";
            case JsonTokenKind.False:
                return "false";
            case JsonTokenKind.Null:
                return "null";
            default:
                return "nothing";
        }
    }

    private string RawText()
    {
        if (_chars.Length < _valueLength)
        {
            _chars = new char[_valueLength];
        }

        for (int i = 0; i < _valueLength; i++)
        {
            _chars[i] = (char)_data[_valueStart + i];
        }

        return new string(_chars, 0, _valueLength);
    }

    private int Digits(int start, int count)
    {
        int value = 0;
        for (int i = start; i < start + count; i++)
        {
            if (i >= _end || _data[i] < '0' || _data[i] > '9')
            {
                return -1;
            }

            value = (value * 10) + (_data[i] - '0');
        }

        return value;
    }

    private static void Accumulate(byte digit, ref long significand, ref int digits, ref int scale, bool fraction)
    {
        // Up to 18 digits fit a long; further integer digits only scale, further fraction digits are below precision.
        if (digits < 18)
        {
            significand = (significand * 10) + (digit - '0');
            if (significand != 0)
            {
                digits++;
            }

            if (fraction)
            {
                scale--;
            }
        }
        else if (!fraction)
        {
            scale++;
        }
    }

    private bool ReadClose(byte b, bool inObject)
    {
        _tokenStart = _position;
        if (_depth == 0)
        {
            FailAt("a JSON value", Describe(_position), _position);
            return false;
        }

        if (_afterName)
        {
            FailAt("a value after the property name", Describe(_position), _position);
            return false;
        }

        if ((b == '}') != inObject)
        {
            FailAt(inObject ? "',' or '}'" : "',' or ']'", Describe(_position), _position);
            return false;
        }

        _position++;
        _depth--;
        _kind = b == '}' ? JsonTokenKind.EndObject : JsonTokenKind.EndArray;
        AfterValue();
        return true;
    }

    private bool ReadName(byte b)
    {
        _tokenStart = _position;
        if (b != '"')
        {
            FailAt("a property name in double quotes", Describe(_position), _position);
            return false;
        }

        if (!ScanString())
        {
            return false;
        }

        SkipWhitespace();
        if (_position >= _end || _data[_position] != ':')
        {
            FailAt("':' after the property name", _position >= _end ? "the end of the message" : Describe(_position), _position);
            return false;
        }

        _position++;
        _afterName = true;
        _kind = JsonTokenKind.PropertyName;
        return true;
    }

    private bool ReadValue(byte b)
    {
        _tokenStart = _position;
        if (b == '{' || b == '[')
        {
            if (_depth + 1 >= _inObject.Length)
            {
                FailAt("nesting of at most " + (_inObject.Length - 1).ToString() + " levels", "a deeper one", _position);
                return false;
            }

            _position++;
            _depth++;
            _inObject[_depth] = b == '{';
            _needComma = false;
            _kind = b == '{' ? JsonTokenKind.StartObject : JsonTokenKind.StartArray;
            return true;
        }

        if (b == '"')
        {
            if (!ScanString())
            {
                return false;
            }

            _kind = JsonTokenKind.String;
        }
        else if (b == '-' || (b >= '0' && b <= '9'))
        {
            if (!ScanNumber())
            {
                return false;
            }

            _kind = JsonTokenKind.Number;
        }
        else if (Literal("true"))
        {
            _kind = JsonTokenKind.True;
        }
        else if (Literal("false"))
        {
            _kind = JsonTokenKind.False;
        }
        else if (Literal("null"))
        {
            _kind = JsonTokenKind.Null;
        }
        else
        {
            FailAt("a value (object, array, string, number, true, false or null)", Describe(_position), _position);
            return false;
        }

        AfterValue();
        return true;
    }

    private void AfterValue()
    {
        _needComma = true;
        if (_depth == 0)
        {
            _done = true;
        }
    }

    private bool Literal(string text)
    {
        if (_end - _position < text.Length)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            if (_data[_position + i] != text[i])
            {
                return false;
            }
        }

        _valueStart = _position;
        _valueLength = text.Length;
        _position += text.Length;
        return true;
    }

    private bool ScanString()
    {
        int start = _position;
        _position++;
        _valueStart = _position;
        _valueEscaped = false;
        while (_position < _end)
        {
            byte b = _data[_position];
            if (b == '"')
            {
                _valueLength = _position - _valueStart;
                _position++;
                return true;
            }

            if (b < 0x20)
            {
                // RFC 8259 §7: control characters inside a string must be escaped.
                FailAt("an escaped control character (RFC 8259 §7)", "the raw byte 0x" + b.ToString("X2"), _position);
                return false;
            }

            if (b == '\\')
            {
                _valueEscaped = true;
                if (!CheckEscape())
                {
                    return false;
                }

                continue;
            }

            if (b >= 0x80)
            {
                if (!CheckUtf8(b))
                {
                    return false;
                }

                continue;
            }

            _position++;
        }

        FailAt("'\"' closing the string that starts at offset " + (start - _origin).ToString(), "the end of the message", _position);
        return false;
    }

    private bool CheckEscape()
    {
        int at = _position;
        if (_position + 1 >= _end)
        {
            FailAt("an escape sequence", "the end of the message", at);
            return false;
        }

        byte e = _data[_position + 1];
        if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't')
        {
            _position += 2;
            return true;
        }

        if (e == 'u')
        {
            if (_position + 6 > _end || Hex(_position + 2) < 0)
            {
                FailAt("four hexadecimal digits after \\u", "something else", at);
                return false;
            }

            _position += 6;
            return true;
        }

        FailAt("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", Describe(_position + 1), at);
        return false;
    }

    private bool CheckUtf8(byte b)
    {
        int size = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
        if (size == 0 || b == 0xC0 || b == 0xC1 || b > 0xF4 || _position + size > _end)
        {
            FailAt("UTF-8 text", "the byte 0x" + b.ToString("X2"), _position);
            return false;
        }

        for (int i = 1; i < size; i++)
        {
            if ((_data[_position + i] & 0xC0) != 0x80)
            {
                FailAt("a UTF-8 continuation byte", "the byte 0x" + _data[_position + i].ToString("X2"), _position + i);
                return false;
            }
        }

        _position += size;
        return true;
    }

    private bool ScanNumber()
    {
        // RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        int start = _position;
        if (_data[_position] == '-')
        {
            _position++;
        }

        if (_position < _end && _data[_position] == '0')
        {
            _position++;
        }
        else if (!ScanDigits())
        {
            FailAt("a digit", Describe(_position), _position);
            return false;
        }

        if (_position < _end && _data[_position] == '.')
        {
            _position++;
            if (!ScanDigits())
            {
                FailAt("a digit after the decimal point", Describe(_position), _position);
                return false;
            }
        }

        if (_position < _end && (_data[_position] == 'e' || _data[_position] == 'E'))
        {
            _position++;
            if (_position < _end && (_data[_position] == '+' || _data[_position] == '-'))
            {
                _position++;
            }

            if (!ScanDigits())
            {
                FailAt("a digit in the exponent", Describe(_position), _position);
                return false;
            }
        }

        _valueStart = start;
        _valueLength = _position - start;
        return true;
    }

    private bool ScanDigits()
    {
        int start = _position;
        while (_position < _end && _data[_position] >= '0' && _data[_position] <= '9')
        {
            _position++;
        }

        return _position > start;
    }

    private int Unescape(int i, ref int count)
    {
        byte e = _data[i + 1];
        switch (e)
        {
            case (byte)'b':
                AppendChar('\b', ref count);
                return i + 2;
            case (byte)'f':
                AppendChar('\f', ref count);
                return i + 2;
            case (byte)'n':
                AppendChar('\n', ref count);
                return i + 2;
            case (byte)'r':
                AppendChar('\r', ref count);
                return i + 2;
            case (byte)'t':
                AppendChar('\t', ref count);
                return i + 2;
            case (byte)'u':
                AppendChar((char)Hex(i + 2), ref count);
                return i + 6;
            default:
                AppendChar((char)e, ref count);
                return i + 2;
        }
    }

    private void AppendCodePoint(int codePoint, ref int count)
    {
        if (codePoint >= 0x10000)
        {
            codePoint -= 0x10000;
            AppendChar((char)(0xD800 + (codePoint >> 10)), ref count);
            AppendChar((char)(0xDC00 + (codePoint & 0x3FF)), ref count);
            return;
        }

        AppendChar((char)codePoint, ref count);
    }

    private void AppendChar(char c, ref int count)
    {
        // Decoded text is never longer than its UTF-8 bytes, except a 4-byte sequence's two UTF-16 units: room was made.
        if (count == _chars.Length)
        {
            char[] larger = new char[_chars.Length * 2];
            Array.Copy(_chars, larger, count);
            _chars = larger;
        }

        _chars[count++] = c;
    }

    private int Hex(int start)
    {
        int value = 0;
        for (int i = start; i < start + 4; i++)
        {
            int b = _data[i];
            int digit = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    private void SkipWhitespace()
    {
        while (_position < _end)
        {
            byte b = _data[_position];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r')
            {
                return;
            }

            _position++;
        }
    }

    private string Describe(int position)
    {
        if (position >= _end)
        {
            return "the end of the message";
        }

        byte b = _data[position];
        if (b >= 0x20 && b < 0x7F)
        {
            return "'" + ((char)b).ToString() + "'";
        }

        return "the byte 0x" + b.ToString("X2");
    }

    private void FailAt(string expected, string found, int position)
    {
        if (_error != null)
        {
            return;
        }

        _errorOffset = position - _origin;
        _error = "expected " + expected + ", found " + found + " at offset " + _errorOffset.ToString();
        _kind = JsonTokenKind.None;
    }
}
