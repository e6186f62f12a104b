namespace CivicEdge.Firmware.Core.Json;

/// <summary>What a <see cref="ScalarValue"/> holds.</summary>
public enum ScalarKind
{
    Null,
    String,
    Number,
    Boolean,
}
