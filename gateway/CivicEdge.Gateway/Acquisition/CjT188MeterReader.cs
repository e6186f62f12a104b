using CivicEdge.Fleet.Contracts;
using CivicEdge.Hardware;
using CivicEdge.Meters;
using CivicEdge.Protocols.Meters;
using CivicEdge.Protocols.Meters.CjT188;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Reads a CJ/T 188 water or gas meter: one read of meter data (DI 901FH, CJ/T 188-2004 Table 4) per poll, each
/// profile point taking a field of the answer: the cumulative flows converted from the unit code the meter sends with
/// them to the point's unit, the valve state and battery bit of ST0 (Table 5) as numbers.
/// </summary>
public sealed class CjT188MeterReader : IMeterReader
{
    private readonly CjT188Master _master;
    private readonly MeterAddress _address;
    private readonly CjT188MeterType _meterType;
    private readonly DeviceProfile _profile;

    public CjT188MeterReader(CjT188Master master, MeterAddress address, DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.MeterType is not { } meterType || profile.Points.Any(p => p.CjT188Field is null))
            throw new ArgumentException($"Profile {profile.Model} is not a CJ/T 188 profile with a meter type and a field for every point.", nameof(profile));
        _master = master ?? throw new ArgumentNullException(nameof(master));
        _address = address;
        _meterType = meterType;
        _profile = profile;
        Requests = [profile.Points];
    }

    public IReadOnlyList<IReadOnlyList<PointDefinition>> Requests { get; }

    public string Describe(int request) => $"CJ/T 188 read meter data (901FH) of {_meterType} meter {_address}";

    public async Task<MeterExchange> ReadAsync(int request, PointValue?[] values, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(request, 0);
        ArgumentNullException.ThrowIfNull(values);
        var result = await _master.ReadMeterDataAsync(_meterType, _address, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
            return MeterReading.Failed(result.Failure, result.Reason);
        if (!CjT188MeterData.TryDecode(result.Value.Payload, out var data, out var reason))
            return new MeterExchange(MeterOutcome.Damaged, $"{reason}: {Convert.ToHexString(result.Value.Payload)}");

        for (var i = 0; i < _profile.Points.Count; i++)
            values[i] = Decode(_profile.Points[i], data);
        return MeterExchange.Answered;
    }

    private static PointValue? Decode(PointDefinition point, CjT188MeterData data)
    {
        var (number, unit) = point.CjT188Field switch
        {
            CjT188Field.CurrentFlow => Flow(data.Current, data.CurrentUnit),
            CjT188Field.SettlementFlow => Flow(data.Settlement, data.SettlementUnit),
            CjT188Field.Valve => ((double)data.Status.Valve, "1"),
            CjT188Field.BatteryLow => (data.Status.BatteryLow ? 1 : 0, "1"),
            CjT188Field.Status0 => (data.Status.St0, "1"),
            _ => ((double?)data.Status.St1, "1"),
        };
        return number is { } known && PointDecoder.TryDecode(point, known, unit, out var value) ? value : null;
    }

    /// <summary>A flow in the unit its code names, e.g. code 2CH is m³ (CJ/T 188-2004 unit table); null for a code the table lacks.</summary>
    private static (double?, string) Flow(decimal amount, CjT188Unit code) =>
        CjT188UnitTable.TryDescribe((byte)code, out var symbol, out var factor) ? ((double)(amount * factor), symbol) : (null, "");
}
