namespace CivicEdge.Firmware.MeterNode;

/// <summary>
/// What the node is told at build or commissioning time. The pulse weight and the meter number can later be written by
/// a gateway (see <see cref="MeterRegisterMap"/>); they are then kept in the journal, not here.
/// </summary>
public sealed class MeterNodeConfiguration
{
    /// <summary>How the pulse contacts are wired.</summary>
    public ContactSensing Sensing { get; set; } = ContactSensing.Quadrature;

    /// <summary>Volume of one pulse in millilitres (1000 for a 1 L/pulse water meter, 10000 for a 10 L/pulse gas meter).</summary>
    public int PulseWeightMillilitres { get; set; } = 1000;

    /// <summary>
    /// How long a contact must hold a level before it is believed. Reed contacts bounce for 0.5–2 ms; a Wiegand sensor
    /// does not bounce at all. The debounce must stay well below half the shortest pulse at the meter's overload flow.
    /// </summary>
    public int DebounceMilliseconds { get; set; } = 5;

    /// <summary>
    /// The journal is written once this many pulses are unsaved: it bounds what a power cut can lose (at most this many
    /// pulses) against how often flash is written.
    /// </summary>
    public int PersistEveryPulses { get; set; } = 10;

    /// <summary>Unsaved pulses fewer than <see cref="PersistEveryPulses"/> are written once the meter has been still this long.</summary>
    public int PersistAfterStillMilliseconds { get; set; } = 60000;

    /// <summary>Flash slots the journal rotates over: each holds one record, so wear spreads over them all.</summary>
    public int JournalSlots { get; set; } = 8;

    /// <summary>A gap between pulses at least this long means the water stood still (the flow rate reads 0 after it).</summary>
    public int StillSeconds { get; set; } = 3600;

    /// <summary>Flow that never stood still for <see cref="StillSeconds"/> within this long raises the leak flag.</summary>
    public int LeakSeconds { get; set; } = 86400;

    /// <summary>This many reverse pulses in a row raise the reverse-flow flag; as many forward pulses in a row clear it.</summary>
    public int ReversePulsesForAlarm { get; set; } = 3;

    /// <summary>
    /// Both quadrature contacts held closed this long suggest a magnet held against the head. A dial at rest on the
    /// quarter turn where both close looks the same, so a head with a dedicated tamper reed is the sure way.
    /// </summary>
    public int MagnetHoldMilliseconds { get; set; } = 600000;

    /// <summary>A battery node reports this often (wall-clock seconds), and sleeps in between.</summary>
    public int ReportIntervalSeconds { get; set; } = 21600;

    /// <summary>A battery node stays awake this long after a contact last moved, counting, before it may sleep again.</summary>
    public int AwakeAfterActivityMilliseconds { get; set; } = 30000;

    /// <summary>Meter number printed on the nameplate, up to 8 ASCII characters, until a gateway writes another.</summary>
    public string MeterNumber { get; set; } = "";
}
