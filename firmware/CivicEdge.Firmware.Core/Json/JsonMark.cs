namespace CivicEdge.Firmware.Core.Json;

/// <summary>A position in a <see cref="JsonWriter"/>'s message to rewind to when what follows did not fit.</summary>
public struct JsonMark
{
    internal JsonMark(int length, int depth, bool hasItems)
    {
        Length = length;
        Depth = depth;
        HasItems = hasItems;
    }

    internal int Length { get; }

    internal int Depth { get; }

    internal bool HasItems { get; }
}
