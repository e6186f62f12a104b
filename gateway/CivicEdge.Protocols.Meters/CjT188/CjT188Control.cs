namespace CivicEdge.Protocols.Meters.CjT188;

/// <summary>
/// The control code C (CJ/T 188-2004 §5.3.4): D7 direction (1 = the meter answers), D6 abnormal reply, D5..D0 the function.
/// </summary>
public readonly record struct CjT188Control(byte Value)
{
    private const byte ResponseBit = 0x80;
    private const byte AbnormalBit = 0x40;

    public bool IsResponse => (Value & ResponseBit) != 0;

    public bool IsAbnormal => (Value & AbnormalBit) != 0;

    public CjT188Function Function => (CjT188Function)(Value & 0x3F);

    public static CjT188Control Request(CjT188Function function) => new((byte)function);

    public static CjT188Control Response(CjT188Function function) => new((byte)(ResponseBit | (byte)function));

    public static CjT188Control Abnormal(CjT188Function function) => new((byte)(ResponseBit | AbnormalBit | (byte)function));

    public override string ToString() => $"{Value:X2}H ({(IsResponse ? IsAbnormal ? "abnormal reply" : "reply" : "request")}, {Function})";
}
