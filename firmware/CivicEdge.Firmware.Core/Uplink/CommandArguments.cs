using CivicEdge.Firmware.Core.Json;

namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>
/// The arguments of a command: the single values of its <c>arguments</c> object, e.g. <c>{"level":40}</c>. Reused from
/// one command to the next, so a handler copies what it keeps.
/// </summary>
public sealed class CommandArguments
{
    private readonly string[] _names;
    private readonly ScalarValue[] _values;

    internal CommandArguments(int capacity)
    {
        _names = new string[capacity];
        _values = new ScalarValue[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _values[i] = new ScalarValue();
        }
    }

    /// <summary>How many arguments there are.</summary>
    public int Count { get; private set; }

    /// <summary>The most arguments a command may have.</summary>
    internal int Capacity
    {
        get { return _names.Length; }
    }

    public string NameAt(int index)
    {
        return _names[index];
    }

    public ScalarValue ValueAt(int index)
    {
        return _values[index];
    }

    /// <summary>The argument named <paramref name="name"/>; null when the command has none of that name.</summary>
    public ScalarValue Find(string name)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_names[i] == name)
            {
                return _values[i];
            }
        }

        return null;
    }

    /// <summary>The number named <paramref name="name"/>; false when it is absent or not a number.</summary>
    public bool TryGetNumber(string name, out double value)
    {
        ScalarValue found = Find(name);
        value = found != null && found.Kind == ScalarKind.Number ? found.Number : 0;
        return found != null && found.Kind == ScalarKind.Number;
    }

    /// <summary>The true/false named <paramref name="name"/>; false when it is absent or not a boolean.</summary>
    public bool TryGetBoolean(string name, out bool value)
    {
        ScalarValue found = Find(name);
        value = found != null && found.Kind == ScalarKind.Boolean && found.Boolean;
        return found != null && found.Kind == ScalarKind.Boolean;
    }

    /// <summary>The text named <paramref name="name"/>; false when it is absent or not a string.</summary>
    public bool TryGetString(string name, out string value)
    {
        ScalarValue found = Find(name);
        value = found != null && found.Kind == ScalarKind.String ? found.Text : null;
        return value != null;
    }

    internal void Clear()
    {
        Count = 0;
    }

    /// <summary>Takes the value the reader stands on as argument <paramref name="name"/>; false when it is not a single value.</summary>
    internal bool TryAdd(string name, JsonReader reader)
    {
        if (!_values[Count].TryRead(reader))
        {
            return false;
        }

        _names[Count] = name;
        Count++;
        return true;
    }
}
