namespace CivicEdge.Protocols.MBus;

/// <summary>What a record's value is, deciding which of its properties carries it.</summary>
public enum MbusValueKind
{
    /// <summary>A number, scaled to the unit: <see cref="MbusDataRecord.Value"/>.</summary>
    Numeric,

    /// <summary>A date (type G) or date and time (types F, I, J): <see cref="MbusDataRecord.Text"/> in ISO 8601 form.</summary>
    DateTime,

    /// <summary>ASCII text of a variable-length field or plain-text VIF: <see cref="MbusDataRecord.Text"/>.</summary>
    Text,

    /// <summary>Bytes the standard does not define (manufacturer-specific): <see cref="MbusDataRecord.Raw"/>.</summary>
    Bytes,
}
