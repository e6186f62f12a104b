using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Hardware;
using CivicEdge.MBus;
using CivicEdge.Protocols.MBus;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Reads an M-Bus meter: one readout per poll (REQ_UD2 to its primary address, or selection by secondary address
/// first, EN 13757-3 §11.5, following "more records follow" telegrams), each profile point taking the value of the
/// record its selector matches, converted to the point's unit.
/// </summary>
public sealed class MbusMeterReader : IMeterReader
{
    private readonly MbusMaster _master;
    private readonly MeterDeviceAddress _address;
    private readonly DeviceProfile _profile;

    public MbusMeterReader(MbusMaster master, MeterDeviceAddress address, DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(profile);
        if (address.Primary is null && address.Secondary is null)
            throw new ArgumentException($"Expected an M-Bus primary or secondary address; found {address}.", nameof(address));
        if (profile.Points.Any(p => p.MbusRecord is null))
            throw new ArgumentException($"Profile {profile.Model} has points without an M-Bus record selector.", nameof(profile));
        _master = master ?? throw new ArgumentNullException(nameof(master));
        _address = address;
        _profile = profile;
        Requests = [profile.Points];
    }

    public IReadOnlyList<IReadOnlyList<PointDefinition>> Requests { get; }

    public string Describe(int request) => $"M-Bus readout of {(_address.Primary is { } primary ? $"primary address {primary}" : $"secondary address {_address.Secondary}")}";

    public async Task<MeterExchange> ReadAsync(int request, PointValue?[] values, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(request, 0);
        ArgumentNullException.ThrowIfNull(values);
        var result = _address.Primary is { } primary
            ? await _master.ReadAsync(primary, cancellationToken).ConfigureAwait(false)
            : await _master.ReadAsync(_address.Secondary!.Value, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case MbusOutcome.Timeout:
                return new MeterExchange(MeterOutcome.Timeout, result.Error);
            case MbusOutcome.TransportFailure:
                return new MeterExchange(MeterOutcome.LinkFailed, result.Error);
            case MbusOutcome.Malformed or MbusOutcome.Collision:
                return new MeterExchange(MeterOutcome.Damaged, result.Error ?? result.Outcome.ToString());
        }

        // CI 70 (EN 13757-3 §9): the meter answered with an application error instead of data.
        if (result.Telegrams.FirstOrDefault(t => t.ApplicationErrorCode is not null) is { } refusal)
            return new MeterExchange(MeterOutcome.Refused, $"application error {refusal.ApplicationErrorCode}{(refusal.Error is null ? "" : $": {refusal.Error}")}");

        var records = result.Records.ToList();
        for (var i = 0; i < _profile.Points.Count; i++)
        {
            var point = _profile.Points[i];
            var record = records.FirstOrDefault(r => r.Kind == MbusValueKind.Numeric && point.MbusRecord!.Matches(r));
            values[i] = record is not null && PointDecoder.TryDecode(point, record.Value, record.Unit, out var value) ? value : null;
        }
        return MeterExchange.Answered;
    }
}
