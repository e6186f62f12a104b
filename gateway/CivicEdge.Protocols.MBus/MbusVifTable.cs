namespace CivicEdge.Protocols.MBus;

/// <summary>
/// The value information tables of EN 13757-3:2013: primary VIFs (Table 10), the first extension table after FD
/// (Table 14) and the second after FB (Table 12). Units are SI or the customary unit of the meter industry (Wh, m^3/h,
/// °C); <see cref="MbusValueInformation.Scale"/> takes the raw value to that unit.
/// </summary>
internal static class MbusVifTable
{
    private static readonly (string Unit, double Scale)[] TimeUnits = [("s", 1), ("s", 60), ("s", 3600), ("s", 86400)];

    public static MbusValueInformation Primary(byte vif)
    {
        int v = vif & 0x7F;
        int n3 = v & 0x07;
        int n2 = v & 0x03;
        return v switch
        {
            <= 0x07 => new("Energy", "Wh", Pow10(n3 - 3)),
            <= 0x0F => new("Energy", "J", Pow10(n3)),
            <= 0x17 => new("Volume", "m^3", Pow10(n3 - 6)),
            <= 0x1F => new("Mass", "kg", Pow10(n3 - 3)),
            <= 0x23 => Time("On time", n2),
            <= 0x27 => Time("Operating time", n2),
            <= 0x2F => new("Power", "W", Pow10(n3 - 3)),
            <= 0x37 => new("Power", "J/h", Pow10(n3)),
            <= 0x3F => new("Volume flow", "m^3/h", Pow10(n3 - 6)),
            <= 0x47 => new("Volume flow", "m^3/min", Pow10(n3 - 7)),
            <= 0x4F => new("Volume flow", "m^3/s", Pow10(n3 - 9)),
            <= 0x57 => new("Mass flow", "kg/h", Pow10(n3 - 3)),
            <= 0x5B => new("Flow temperature", "°C", Pow10(n2 - 3)),
            <= 0x5F => new("Return temperature", "°C", Pow10(n2 - 3)),
            <= 0x63 => new("Temperature difference", "K", Pow10(n2 - 3)),
            <= 0x67 => new("External temperature", "°C", Pow10(n2 - 3)),
            <= 0x6B => new("Pressure", "bar", Pow10(n2 - 3)),
            0x6C => new("Time point (date)", "", 1, MbusVifMeaning.TimePoint),
            0x6D => new("Time point (date & time)", "", 1, MbusVifMeaning.TimePoint),
            0x6E => new("Units for H.C.A.", "", 1),
            0x6F => new("Reserved", "", 1, MbusVifMeaning.Reserved),
            <= 0x73 => Time("Averaging duration", n2),
            <= 0x77 => Time("Actuality duration", n2),
            0x78 => new("Fabrication number", "", 1),
            0x79 => new("Enhanced identification", "", 1),
            0x7A => new("Bus address", "", 1),
            0x7C => new("", "", 1, MbusVifMeaning.PlainText),
            0x7E => new("Any VIF", "", 1),
            0x7F => new("Manufacturer specific", "", 1, MbusVifMeaning.ManufacturerSpecific),
            _ => new("Reserved", "", 1, MbusVifMeaning.Reserved),
        };
    }

    /// <summary>VIF FD, first extension table (EN 13757-3:2013 Table 14).</summary>
    public static MbusValueInformation ExtensionFd(byte vife)
    {
        int v = vife & 0x7F;
        int n2 = v & 0x03;
        return v switch
        {
            <= 0x03 => new("Credit", "currency", Pow10(n2 - 3)),
            <= 0x07 => new("Debit", "currency", Pow10(n2 - 3)),
            0x08 => new("Access number", "", 1),
            0x09 => new("Medium", "", 1),
            0x0A => new("Manufacturer", "", 1),
            0x0B => new("Parameter set identification", "", 1),
            0x0C => new("Model / version", "", 1),
            0x0D => new("Hardware version", "", 1),
            0x0E => new("Firmware version", "", 1),
            0x0F => new("Software version", "", 1),
            0x10 => new("Customer location", "", 1),
            0x11 => new("Customer", "", 1),
            0x12 => new("Access code user", "", 1),
            0x13 => new("Access code operator", "", 1),
            0x14 => new("Access code system operator", "", 1),
            0x15 => new("Access code developer", "", 1),
            0x16 => new("Password", "", 1),
            0x17 => new("Error flags", "", 1),
            0x18 => new("Error mask", "", 1),
            0x1A => new("Digital output", "", 1),
            0x1B => new("Digital input", "", 1),
            0x1C => new("Baud rate", "Bd", 1),
            0x1D => new("Response delay time", "bit times", 1),
            0x1E => new("Retry", "", 1),
            0x20 => new("First storage number for cyclic storage", "", 1),
            0x21 => new("Last storage number for cyclic storage", "", 1),
            0x22 => new("Size of storage block", "", 1),
            >= 0x24 and <= 0x27 => Time("Storage interval", n2),
            0x28 => new("Storage interval", "month", 1),
            0x29 => new("Storage interval", "year", 1),
            >= 0x2C and <= 0x2F => Time("Duration since last readout", n2),
            0x30 => new("Start of tariff", "", 1, MbusVifMeaning.TimePoint),
            >= 0x31 and <= 0x33 => Time("Duration of tariff", n2),
            >= 0x34 and <= 0x37 => Time("Period of tariff", n2),
            0x38 => new("Period of tariff", "month", 1),
            0x39 => new("Period of tariff", "year", 1),
            0x3A => new("Dimensionless", "", 1),
            >= 0x40 and <= 0x4F => new("Voltage", "V", Pow10((v & 0x0F) - 9)),
            >= 0x50 and <= 0x5F => new("Current", "A", Pow10((v & 0x0F) - 12)),
            0x60 => new("Reset counter", "", 1),
            0x61 => new("Cumulation counter", "", 1),
            0x62 => new("Control signal", "", 1),
            0x63 => new("Day of week", "", 1),
            0x64 => new("Week number", "", 1),
            0x65 => new("Time point of day change", "", 1),
            0x66 => new("State of parameter activation", "", 1),
            0x67 => new("Special supplier information", "", 1),
            >= 0x68 and <= 0x6B => Time("Duration since last cumulation", n2),
            >= 0x6C and <= 0x6F => Time("Operating time battery", n2),
            0x70 => new("Date and time of battery change", "", 1, MbusVifMeaning.TimePoint),
            0x71 => new("RSSI", "dBm", 1),
            _ => new("Reserved", "", 1, MbusVifMeaning.Reserved),
        };
    }

    /// <summary>VIF FB, second extension table (EN 13757-3:2013 Table 12).</summary>
    public static MbusValueInformation ExtensionFb(byte vife)
    {
        int v = vife & 0x7F;
        int n1 = v & 0x01;
        int n2 = v & 0x03;
        return v switch
        {
            <= 0x01 => new("Energy", "Wh", Pow10(n1 + 5)),
            0x08 or 0x09 => new("Energy", "J", Pow10(n1 + 8)),
            0x10 or 0x11 => new("Volume", "m^3", Pow10(n1 + 2)),
            0x18 or 0x19 => new("Mass", "kg", Pow10(n1 + 5)),
            0x1A or 0x1B => new("Relative humidity", "%", Pow10(n1 - 1)),
            0x21 => new("Volume", "ft^3", 0.1),
            0x22 => new("Volume", "US gal", 0.1),
            0x23 => new("Volume", "US gal", 1),
            0x24 => new("Volume flow", "US gal/min", 0.001),
            0x25 => new("Volume flow", "US gal/min", 1),
            0x26 => new("Volume flow", "US gal/h", 1),
            0x28 or 0x29 => new("Power", "W", Pow10(n1 + 5)),
            0x30 or 0x31 => new("Power", "J/h", Pow10(n1 + 8)),
            >= 0x58 and <= 0x5B => new("Flow temperature", "°F", Pow10(n2 - 3)),
            >= 0x5C and <= 0x5F => new("Return temperature", "°F", Pow10(n2 - 3)),
            >= 0x60 and <= 0x63 => new("Temperature difference", "°F", Pow10(n2 - 3)),
            >= 0x64 and <= 0x67 => new("External temperature", "°F", Pow10(n2 - 3)),
            >= 0x70 and <= 0x73 => new("Cold / warm temperature limit", "°F", Pow10(n2 - 3)),
            >= 0x74 and <= 0x77 => new("Cold / warm temperature limit", "°C", Pow10(n2 - 3)),
            >= 0x78 => new("Cumulative count max power", "W", Pow10((v & 0x07) - 3)),
            _ => new("Reserved", "", 1, MbusVifMeaning.Reserved),
        };
    }

    /// <summary>
    /// A combinable (orthogonal) VIFE (EN 13757-3:2013 Table 15): a description, and the factor it applies to the value
    /// (multiplicative correction 10^(nnn−6) for E111 0nnn, 10^3 for E111 1101), 1 otherwise.
    /// </summary>
    public static (string Description, double Factor) Combinable(byte vife)
    {
        int v = vife & 0x7F;
        return v switch
        {
            <= 0x1F => ($"error or action {v:X2}", 1),
            0x20 => ("per second", 1),
            0x21 => ("per minute", 1),
            0x22 => ("per hour", 1),
            0x23 => ("per day", 1),
            0x24 => ("per week", 1),
            0x25 => ("per month", 1),
            0x26 => ("per year", 1),
            0x27 => ("per revolution / measurement", 1),
            0x28 or 0x29 => ($"increment per input pulse on channel {v & 1}", 1),
            0x2A or 0x2B => ($"increment per output pulse on channel {v & 1}", 1),
            0x2C => ("per litre", 1),
            0x2D => ("per m^3", 1),
            0x2E => ("per kg", 1),
            0x2F => ("per K", 1),
            0x30 => ("per kWh", 1),
            0x31 => ("per GJ", 1),
            0x32 => ("per kW", 1),
            0x33 => ("per (K·l)", 1),
            0x34 => ("per V", 1),
            0x35 => ("per A", 1),
            0x36 => ("multiplied by s", 1),
            0x37 => ("multiplied by s/V", 1),
            0x38 => ("multiplied by s/A", 1),
            0x39 => ("start date(/time) of", 1),
            0x3A => ("VIF contains uncorrected unit", 1),
            0x3B => ("accumulation only if positive", 1),
            0x3C => ("accumulation of abs value only if negative", 1),
            >= 0x40 and <= 0x4F => ($"limit value {v:X2}", 1),
            >= 0x50 and <= 0x5F => ($"number of exceeds of limit {v:X2}", 1),
            >= 0x60 and <= 0x6F => ($"duration or date of limit exceed {v:X2}", 1),
            >= 0x70 and <= 0x77 => ($"multiplicative correction factor 10^{(v & 0x07) - 6}", Pow10((v & 0x07) - 6)),
            >= 0x78 and <= 0x7B => ($"additive correction constant 10^{(v & 0x03) - 3}", 1),
            0x7D => ("multiplicative correction factor 10^3", 1000),
            0x7E => ("future value", 1),
            _ => ($"reserved {v:X2}", 1),
        };
    }

    private static MbusValueInformation Time(string quantity, int unitCode) =>
        new(quantity, TimeUnits[unitCode].Unit, TimeUnits[unitCode].Scale);

    private static double Pow10(int exponent) => Math.Pow(10, exponent);
}
