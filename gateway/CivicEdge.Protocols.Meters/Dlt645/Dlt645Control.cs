namespace CivicEdge.Protocols.Meters.Dlt645;

/// <summary>
/// The control code C (DL/T 645-2007 §4.1.3): D7 direction (1 = the meter answers), D6 abnormal reply,
/// D5 a follow-up frame is coming, D4..D0 the function.
/// </summary>
public readonly record struct Dlt645Control(byte Value)
{
    private const byte ResponseBit = 0x80;
    private const byte AbnormalBit = 0x40;
    private const byte FollowUpBit = 0x20;

    public bool IsResponse => (Value & ResponseBit) != 0;

    /// <summary>An abnormal reply: the data field is one error byte instead of data.</summary>
    public bool IsAbnormal => (Value & AbnormalBit) != 0;

    /// <summary>A reply whose data continues in follow-up frames (read follow-up, 12H).</summary>
    public bool HasFollowUp => (Value & FollowUpBit) != 0;

    public Dlt645Function Function => (Dlt645Function)(Value & 0x1F);

    public static Dlt645Control Request(Dlt645Function function) => new((byte)function);

    public static Dlt645Control Response(Dlt645Function function, bool followUp = false) =>
        new((byte)(ResponseBit | (followUp ? FollowUpBit : 0) | (byte)function));

    public static Dlt645Control Abnormal(Dlt645Function function) => new((byte)(ResponseBit | AbnormalBit | (byte)function));

    public override string ToString() => $"{Value:X2}H ({(IsResponse ? IsAbnormal ? "abnormal reply" : "reply" : "request")}, {Function})";
}
