namespace CivicEdge.Firmware.Core.Json;

/// <summary>What a <see cref="JsonReader"/> stands on.</summary>
public enum JsonTokenKind
{
    /// <summary>Before the first token, after the last one, or after an error.</summary>
    None,
    StartObject,
    EndObject,
    StartArray,
    EndArray,
    PropertyName,
    String,
    Number,
    True,
    False,
    Null,
}
