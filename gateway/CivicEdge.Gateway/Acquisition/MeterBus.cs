using CivicEdge.Gateway.Configuration;
using CivicEdge.Hardware;
using CivicEdge.MBus;
using CivicEdge.Meters;
using CivicEdge.Protocols.Meters.CjT188;
using CivicEdge.Protocols.Meters.Dlt645;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// One meter line (M-Bus, CJ/T 188 or DL/T 645) as the gateway runs it: the line's channel, the masters that speak on
/// it, and a reader per meter. The line's scheduler lane makes one request at a time, so masters for different DL/T 645
/// versions or CJ/T 188 DI byte orders can share the channel; each is made when a meter first needs it.
/// </summary>
public sealed class MeterBus : IAsyncDisposable
{
    private readonly IByteChannel _channel;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Dictionary<Dlt645Version, Dlt645Master> _dlt645 = [];
    private readonly Dictionary<CjT188IdentifierOrder, CjT188Master> _cjt188 = [];
    private MbusMaster? _mbus;

    /// <param name="link">The line; a meter line.</param>
    /// <param name="channel">Its channel, which the bus owns from now on and disposes.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Where the masters log.</param>
    public MeterBus(ModbusLink link, IByteChannel channel, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!link.IsMeterLine)
            throw new ArgumentException($"Bus '{link.Id}' is a {BusPlan.KindName(link.Kind)} bus, not a meter line.", nameof(link));
        Link = link;
        _channel = channel ?? throw new ArgumentNullException(nameof(channel));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
    }

    public ModbusLink Link { get; }

    /// <summary>The reader of the meter at <paramref name="address"/> (as configured) that <paramref name="profile"/> describes.</summary>
    /// <exception cref="ArgumentException">The address is not one of this line's protocol, or the profile is not.</exception>
    public IMeterReader ReaderFor(string? address, DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (!MeterDeviceAddress.TryParse(Link.Kind, address, out var parsed, out var problem))
            throw new ArgumentException($"Address {problem}", nameof(address));
        return profile.Protocol switch
        {
            ProfileProtocols.MBus when Link.Kind == BusKind.MBus => new MbusMeterReader(Mbus(), parsed, profile),
            ProfileProtocols.CjT188 when Link.Kind == BusKind.CjT188 => new CjT188MeterReader(CjT188(profile.IdentifierOrder!.Value), parsed.Meter!.Value, profile),
            ProfileProtocols.Dlt645 when Link.Kind == BusKind.Dlt645 => new Dlt645MeterReader(Dlt645(Dlt645Version.V2007), parsed.Meter!.Value, profile),
            ProfileProtocols.Dlt645V1997 when Link.Kind == BusKind.Dlt645 => new Dlt645MeterReader(Dlt645(Dlt645Version.V1997), parsed.Meter!.Value, profile),
            _ => throw new ArgumentException($"Profile {profile.Model} speaks {profile.Protocol}; bus '{Link.Id}' is a {BusPlan.KindName(Link.Kind)} line.", nameof(profile)),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_mbus is not null)
            await _mbus.DisposeAsync().ConfigureAwait(false);
        foreach (var master in _dlt645.Values)
            master.Dispose();
        foreach (var master in _cjt188.Values)
            master.Dispose();
        _channel.Dispose();
    }

    private MbusMaster Mbus()
    {
        var options = new MbusMasterOptions { Retries = Link.Retries ?? DefaultRetries };
        if (Link.ResponseTimeout is { } timeout)
            options.ResponseTimeout = timeout;
        return _mbus ??= new MbusMaster(new UnownedChannel(_channel), options, _timeProvider, _loggerFactory.CreateLogger<MbusMaster>());
    }

    private CjT188Master CjT188(CjT188IdentifierOrder order)
    {
        if (!_cjt188.TryGetValue(order, out var master))
            _cjt188[order] = master = new CjT188Master(new UnownedChannel(_channel), LineOptions(), order, _timeProvider, _loggerFactory.CreateLogger<CjT188Master>());
        return master;
    }

    private Dlt645Master Dlt645(Dlt645Version version)
    {
        if (!_dlt645.TryGetValue(version, out var master))
            _dlt645[version] = master = new Dlt645Master(new UnownedChannel(_channel), LineOptions(), version, _timeProvider, _loggerFactory.CreateLogger<Dlt645Master>());
        return master;
    }

    private MeterLineOptions LineOptions()
    {
        var options = new MeterLineOptions { Retries = Link.Retries ?? DefaultRetries };
        if (Link.ResponseTimeout is { } timeout)
            options.ResponseTimeout = timeout;
        return options;
    }

    /// <summary>
    /// No retries unless the bus asks for them, as on a Modbus serial bus: a retry for a silent meter holds up every
    /// other meter of the line, and the scheduler's next poll is the retry.
    /// </summary>
    private const int DefaultRetries = 0;
}
