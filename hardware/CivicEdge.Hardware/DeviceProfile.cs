using CivicEdge.Protocols.Meters.CjT188;

namespace CivicEdge.Hardware;

/// <summary>
/// A device model as described by a file in <c>hardware/profiles</c>: how to talk to it and what its points mean.
/// </summary>
/// <param name="Schema">The schema identifier and version the file declares, e.g. <c>civicedge.profile/v1</c>.</param>
/// <param name="Model">The model key that device configurations refer to, e.g. <c>eastron-sdm630</c>.</param>
/// <param name="Manufacturer">Who makes the device.</param>
/// <param name="Description">What the device is, for people.</param>
/// <param name="Protocol">The field protocol: <c>modbus</c>, <c>mbus</c>, <c>cjt188</c>, <c>dlt645</c> (2007) or <c>dlt645-1997</c>.</param>
/// <param name="PollInterval">How often the gateway reads the device unless its configuration says otherwise.</param>
/// <param name="Points">The points the device offers, in file order.</param>
/// <param name="SourceFile">The file the profile was loaded from, for error messages.</param>
public sealed record DeviceProfile(
    string Schema,
    string Model,
    string Manufacturer,
    string? Description,
    string Protocol,
    TimeSpan PollInterval,
    IReadOnlyList<PointDefinition> Points,
    string SourceFile)
{
    /// <summary>
    /// The longest the gateway stays silent about a point of this profile that has not moved, unless the point sets its
    /// own (<see cref="PointDefinition.MaxSilence"/> holds the one that applies); null for none.
    /// </summary>
    public TimeSpan? MaxSilence { get; init; }

    /// <summary>For a CJ/T 188 profile: the meter type byte T the meters answer to (CJ/T 188-2004 Table 2).</summary>
    public CjT188MeterType? MeterType { get; init; }

    /// <summary>For a CJ/T 188 profile: how the meters send the two bytes of a data identifier, which vendors do differently.</summary>
    public CjT188IdentifierOrder? IdentifierOrder { get; init; }

    /// <summary>True for a profile of a meter protocol (M-Bus, CJ/T 188, DL/T 645) rather than Modbus.</summary>
    public bool IsMeter => Protocol != ProfileProtocols.Modbus;
}
