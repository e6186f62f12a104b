namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>
/// One decoded value: an exact integer, a floating-point number, a text, or a problem with the raw data (for example a
/// register that is not valid BCD). Dirty field data is shown, never thrown.
/// </summary>
public readonly record struct ModbusValue(long? Integer = null, double? Number = null, string? Text = null, bool? Bit = null, string? Problem = null)
{
    public override string ToString() =>
        Problem ?? Text ?? Bit?.ToString().ToLowerInvariant()
        ?? Integer?.ToString(System.Globalization.CultureInfo.InvariantCulture)
        ?? Number?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
