using System.CommandLine;
using System.Text.Json.Nodes;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Cli.Ledger;

/// <summary>The location options shared by register, update and claim: coordinates, address, pole number, district.</summary>
public sealed class LocationOptions
{
    private readonly Option<double?> _latitude = new("--lat") { Description = "Latitude in degrees (WGS 84)" };
    private readonly Option<double?> _longitude = new("--lon") { Description = "Longitude in degrees (WGS 84)" };
    private readonly Option<string?> _address = new("--address") { Description = "Street address or site name" };
    private readonly Option<string?> _pole = new("--pole") { Description = "The pole number it is mounted on" };
    private readonly Option<string?> _district = new("--district") { Description = "District or county" };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_latitude);
        command.Options.Add(_longitude);
        command.Options.Add(_address);
        command.Options.Add(_pole);
        command.Options.Add(_district);
    }

    /// <summary>The location given, or null when no location option was.</summary>
    public DeviceLocation? Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var location = new DeviceLocation(parse.GetValue(_latitude), parse.GetValue(_longitude), parse.GetValue(_address), parse.GetValue(_pole), parse.GetValue(_district));
        return location is { Latitude: null, Longitude: null, Address: null, PoleNumber: null, District: null } ? null : location;
    }

    /// <summary>The location fields given, as the <c>location</c> member of a merge patch; null when none was.</summary>
    public JsonObject? ReadPatch(ParseResult parse)
    {
        if (Read(parse) is not { } location)
            return null;
        var patch = new JsonObject();
        if (location.Latitude is { } latitude)
            patch["latitude"] = latitude;
        if (location.Longitude is { } longitude)
            patch["longitude"] = longitude;
        if (location.Address is { } address)
            patch["address"] = address;
        if (location.PoleNumber is { } pole)
            patch["poleNumber"] = pole;
        if (location.District is { } district)
            patch["district"] = district;
        return patch;
    }
}
