namespace CivicEdge.Fleet.Core;

/// <summary>Why the fleet refused a message; the key under which refusals are counted.</summary>
public enum RejectionCause
{
    /// <summary>The payload is not JSON of the expected shape (syntax, missing or mistyped fields, null entries).</summary>
    MalformedPayload,

    /// <summary>The message names another source than the topic it was published on.</summary>
    SourceMismatch,

    /// <summary>The source id is too long or contains control characters.</summary>
    InvalidSourceId,

    /// <summary>The stream name is empty, too long or contains control characters.</summary>
    InvalidStream,

    /// <summary>The batch holds no record or more than the configured maximum.</summary>
    BatchSize,

    /// <summary>A sequence number is below 1 or not above the one before it.</summary>
    SequenceOrder,

    /// <summary>A device id cannot serve as one MQTT topic level or is too long.</summary>
    InvalidDeviceId,

    /// <summary>A record has no point or too many, or a point has a bad name, an empty unit or an unknown quality.</summary>
    InvalidPoint,

    /// <summary>A value is NaN or infinite.</summary>
    NonFiniteValue,

    /// <summary>An event has no code or message, a message too long, or an unknown state or severity.</summary>
    InvalidEvent,
}
