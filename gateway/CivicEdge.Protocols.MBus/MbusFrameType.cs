namespace CivicEdge.Protocols.MBus;

/// <summary>The four telegram formats of the link layer (EN 13757-2 §5, FT1.2 of IEC 60870-5-1).</summary>
public enum MbusFrameType
{
    /// <summary>E5: the acknowledgement a slave sends to SND_NKE and SND_UD.</summary>
    SingleCharacter,

    /// <summary>10 C A CS 16: requests without data (SND_NKE, REQ_UD2).</summary>
    Short,

    /// <summary>68 03 03 68 C A CI CS 16: a long frame with no user data after the CI field.</summary>
    Control,

    /// <summary>68 L L 68 C A CI data CS 16: a long frame carrying user data.</summary>
    Long,
}
