namespace CivicEdge.Firmware.Core.Settings;

/// <summary>One setting in memory: its kind and its value in the field for that kind (no boxing).</summary>
internal sealed class SettingEntry
{
    public SettingEntry(SettingKind kind)
    {
        Kind = kind;
    }

    public SettingKind Kind { get; }

    /// <summary>Int32, Int64 and Boolean (0 or 1) values.</summary>
    public long Integer { get; set; }

    public double Real { get; set; }

    public string Text { get; set; }

    public byte[] Bytes { get; set; }
}
