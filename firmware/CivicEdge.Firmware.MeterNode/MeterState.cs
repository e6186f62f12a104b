namespace CivicEdge.Firmware.MeterNode;

/// <summary>
/// Everything the node must still know after a power loss or a deep sleep (which loses RAM as well): the totals, the
/// dial's position between pulses, the alarm flags and when the water last moved. One journal record holds all of it.
/// </summary>
public sealed class MeterState
{
    /// <summary>Flag: the reverse-flow alarm is raised.</summary>
    public const int ReverseFlowFlag = 1;

    /// <summary>Flag: the leak alarm is raised.</summary>
    public const int LeakFlag = 2;

    /// <summary>Flag: a magnet is (or was, until cleared) held against the head.</summary>
    public const int MagnetFlag = 4;

    /// <summary>Flag: the cable's loop wire is open.</summary>
    public const int CableCutFlag = 8;

    /// <summary>Forward volume in millilitres since commissioning.</summary>
    public ulong ForwardMillilitres { get; set; }

    /// <summary>Reverse volume in millilitres since commissioning.</summary>
    public ulong ReverseMillilitres { get; set; }

    public uint ForwardPulses { get; set; }

    public uint ReversePulses { get; set; }

    /// <summary>Volume of one pulse in millilitres.</summary>
    public uint PulseWeightMillilitres { get; set; }

    /// <summary>The quadrature contacts' state (bit 1: A closed, bit 0: B closed).</summary>
    public int ContactState { get; set; }

    /// <summary>Quarter steps towards the next pulse, -3..3.</summary>
    public int Quarters { get; set; }

    /// <summary>Pulses in a row in the direction opposite to the present alarm state (reverse while clear, forward while raised).</summary>
    public int DirectionRun { get; set; }

    /// <summary><see cref="ReverseFlowFlag"/>, <see cref="LeakFlag"/>, <see cref="MagnetFlag"/>, <see cref="CableCutFlag"/>.</summary>
    public int Flags { get; set; }

    /// <summary>How often a magnet was detected (a rising edge of <see cref="MagnetFlag"/>).</summary>
    public int MagnetEvents { get; set; }

    /// <summary>How often the cable was found cut.</summary>
    public int CableCutEvents { get; set; }

    /// <summary>Seconds since 2000-01-01 UTC of the last pulse; 0 for none.</summary>
    public uint LastPulseSeconds { get; set; }

    /// <summary>Seconds since 2000-01-01 UTC at which the present run of flow began (the end of the last still period).</summary>
    public uint FlowingSinceSeconds { get; set; }

    /// <summary>Seconds since 2000-01-01 UTC of the last report sent by a battery node; 0 for none.</summary>
    public uint LastReportSeconds { get; set; }

    /// <summary>Meter number, 8 ASCII bytes padded with zeros.</summary>
    public byte[] MeterNumber { get; } = new byte[8];

    public bool Has(int flag) => (Flags & flag) != 0;

    public void Set(int flag, bool raised) => Flags = raised ? Flags | flag : Flags & ~flag;

    /// <summary>Copies every field from <paramref name="other"/>.</summary>
    public void CopyFrom(MeterState other)
    {
        ForwardMillilitres = other.ForwardMillilitres;
        ReverseMillilitres = other.ReverseMillilitres;
        ForwardPulses = other.ForwardPulses;
        ReversePulses = other.ReversePulses;
        PulseWeightMillilitres = other.PulseWeightMillilitres;
        ContactState = other.ContactState;
        Quarters = other.Quarters;
        DirectionRun = other.DirectionRun;
        Flags = other.Flags;
        MagnetEvents = other.MagnetEvents;
        CableCutEvents = other.CableCutEvents;
        LastPulseSeconds = other.LastPulseSeconds;
        FlowingSinceSeconds = other.FlowingSinceSeconds;
        LastReportSeconds = other.LastReportSeconds;
        for (int i = 0; i < MeterNumber.Length; i++)
        {
            MeterNumber[i] = other.MeterNumber[i];
        }
    }
}
