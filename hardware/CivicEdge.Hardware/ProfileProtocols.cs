namespace CivicEdge.Hardware;

/// <summary>The values of a profile's <c>protocol</c> field.</summary>
public static class ProfileProtocols
{
    public const string Modbus = "modbus";

    /// <summary>M-Bus, EN 13757-2/-3.</summary>
    public const string MBus = "mbus";

    /// <summary>CJ/T 188-2004, water, gas and heat meters.</summary>
    public const string CjT188 = "cjt188";

    /// <summary>DL/T 645-2007, electricity meters.</summary>
    public const string Dlt645 = "dlt645";

    /// <summary>DL/T 645-1997, older electricity meters (2-byte identifiers).</summary>
    public const string Dlt645V1997 = "dlt645-1997";
}
