using CivicEdge.Fleet.Contracts;
using CivicEdge.Hardware;
using CivicEdge.Meters;
using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.Dlt645;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Reads a DL/T 645 electricity meter: one read data request per data identifier of the profile (DL/T 645-2007 §6.1
/// read data 11H, 1997 §5.1 01H), its BCD value decoded by the point's format and converted to the point's unit.
/// </summary>
public sealed class Dlt645MeterReader : IMeterReader
{
    private readonly Dlt645Master _master;
    private readonly MeterAddress _address;
    private readonly DeviceProfile _profile;
    private readonly Dlt645DataItem[] _items;

    public Dlt645MeterReader(Dlt645Master master, MeterAddress address, DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Points.Any(p => p.Dlt645Item is null))
            throw new ArgumentException($"Profile {profile.Model} has points without a DL/T 645 data item.", nameof(profile));
        _master = master ?? throw new ArgumentNullException(nameof(master));
        _address = address;
        _profile = profile;
        // Points of one identifier share its request.
        var groups = profile.Points.GroupBy(p => p.Dlt645Item!.Identifier).ToList();
        _items = [.. groups.Select(g => g.First().Dlt645Item!)];
        Requests = [.. groups.Select(g => (IReadOnlyList<PointDefinition>)[.. g])];
    }

    public IReadOnlyList<IReadOnlyList<PointDefinition>> Requests { get; }

    public string Describe(int request) => $"DL/T 645 read of DI {_items[request].Identifier:X} ({_items[request].Quantity}) from meter {_address}";

    public async Task<MeterExchange> ReadAsync(int request, PointValue?[] values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var item = _items[request];
        var result = await _master.ReadAsync(_address, item.Identifier, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
            return MeterReading.Failed(result.Failure, result.Reason);
        var reply = result.Value;
        // DL/T 645-2007 §6.2: an abnormal reply carries the error information byte (no such data, password, ...).
        if (reply.Kind == Dlt645ReplyKind.Error)
            return new MeterExchange(MeterOutcome.Refused, $"the meter answered DI {item.Identifier:X} with an error: {reply.Errors}");
        if (!item.TryDecode(reply.Value, out var scaled, out var reason))
            return new MeterExchange(MeterOutcome.Damaged, $"{reason}: {Convert.ToHexString(reply.Value)}");

        foreach (var point in Requests[request])
        {
            var index = IndexOf(point);
            values[index] = PointDecoder.TryDecode(point, (double)scaled, item.Unit, out var value) ? value : null;
        }
        return MeterExchange.Answered;
    }

    private int IndexOf(PointDefinition point)
    {
        for (var i = 0; i < _profile.Points.Count; i++)
        {
            if (ReferenceEquals(_profile.Points[i], point))
                return i;
        }
        throw new ArgumentException($"Point '{point.Name}' is not a point of {_profile.Model}.", nameof(point));
    }
}
