using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Hardware;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// Reads one device: a Modbus device's points in as few reads as <see cref="ReadPlanner"/> allows, decoded by
/// <see cref="PointDecoder"/>; a meter's through its protocol's <see cref="IMeterReader"/>. A read that fails yields no values at all (a poll never invents numbers): its points are
/// left out of the <see cref="PollResult"/>, and <see cref="DevicePipeline"/> decides what the fleet hears of them.
/// A read that gets no answer ends the poll, so a silent device costs its bus one timeout per poll, not one per read.
/// Failures are counted and logged once when the device stops answering and once when it answers again;
/// <see cref="BusScheduler"/> decides when to poll.
/// </summary>
/// <remarks>One poll at a time: the scheduler calls <see cref="PollAsync"/> sequentially.</remarks>
public sealed partial class DevicePoller
{
    private readonly IModbusMaster? _master;
    private readonly IMeterReader? _meter;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DevicePoller> _logger;
    private readonly Dictionary<PointDefinition, int> _profileIndex = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _undecodable = new(StringComparer.Ordinal);
    private readonly int _largestRead;
    private readonly int _largestBitRead;
    private readonly Lock _gate = new();
    private long _polls;
    private long _failedPolls;
    private long _consecutiveFailures;
    private long _consecutiveUnanswered;
    private long _requests;
    private long _responses;
    private long _timeouts;
    private long _crcErrors;
    private long _exceptions;
    private long _transportErrors;
    private long _answered;
    private TimeSpan _latencyTotal;
    private TimeSpan _latencyMin = TimeSpan.MaxValue;
    private TimeSpan _latencyMax;
    private DateTimeOffset? _lastAnswer;
    private DateTimeOffset? _nextPoll;

    public DevicePoller(
        string deviceId,
        DeviceProfile profile,
        byte unitId,
        TimeSpan interval,
        IModbusMaster master,
        TimeProvider timeProvider,
        ILogger<DevicePoller> logger,
        DevicePriority priority = DevicePriority.Normal,
        string? busId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        DeviceId = deviceId;
        Profile = profile;
        UnitId = unitId;
        Interval = interval;
        Priority = priority;
        BusId = busId ?? deviceId;
        _master = master ?? throw new ArgumentNullException(nameof(master));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));

        TextPoints = [.. profile.Points.Where(p => !PointDecoder.IsNumeric(p))];
        Blocks = ReadPlanner.Plan(profile.Points.Where(PointDecoder.IsNumeric));
        _largestRead = Blocks.Where(b => !b.IsBits).Select(b => b.Count).DefaultIfEmpty(0).Max();
        _largestBitRead = Blocks.Where(b => b.IsBits).Select(b => b.Count).DefaultIfEmpty(0).Max();
        for (var i = 0; i < profile.Points.Count; i++)
            _profileIndex[profile.Points[i]] = i;
    }

    /// <summary>A meter on a meter line, read through <paramref name="meter"/>.</summary>
    public DevicePoller(
        string deviceId,
        DeviceProfile profile,
        string address,
        TimeSpan interval,
        IMeterReader meter,
        TimeProvider timeProvider,
        ILogger<DevicePoller> logger,
        DevicePriority priority,
        string busId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrEmpty(busId);
        DeviceId = deviceId;
        Profile = profile;
        Address = address;
        Interval = interval;
        Priority = priority;
        BusId = busId;
        _meter = meter ?? throw new ArgumentNullException(nameof(meter));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        TextPoints = [];
        Blocks = [];
        for (var i = 0; i < profile.Points.Count; i++)
            _profileIndex[profile.Points[i]] = i;
    }

    public string DeviceId { get; }

    /// <summary>A meter's address on its line (M-Bus primary or secondary, CJ/T 188, DL/T 645); null for a Modbus device.</summary>
    public string? Address { get; }

    /// <summary>The requests one poll of a meter makes; 0 for a Modbus device, whose reads are <see cref="Blocks"/>.</summary>
    public int MeterRequests => _meter?.Requests.Count ?? 0;

    public DeviceProfile Profile { get; }

    public byte UnitId { get; }

    /// <summary>The Modbus master of the device's bus; null for a meter on a meter line.</summary>
    public IModbusMaster? Master => _master;

    public TimeSpan Interval { get; }

    public DevicePriority Priority { get; }

    /// <summary>The bus the device is on.</summary>
    public string BusId { get; }

    /// <summary>The register reads one poll makes.</summary>
    public IReadOnlyList<RegisterBlock> Blocks { get; }

    /// <summary>
    /// The profile's text points (nameplate strings), which are not numeric telemetry and so are not read by polls;
    /// they are reported through the device twin.
    /// </summary>
    public IReadOnlyList<PointDefinition> TextPoints { get; }

    /// <summary>How many polls have been made.</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>How many polls had at least one read fail.</summary>
    public long FailedPolls => Interlocked.Read(ref _failedPolls);

    /// <summary>How many polls in a row got no answer at all; zero while the device answers.</summary>
    public long ConsecutiveUnansweredPolls => Interlocked.Read(ref _consecutiveUnanswered);

    /// <summary>False while the device is not answering.</summary>
    public bool Healthy => ConsecutiveUnansweredPolls == 0;

    /// <summary>A snapshot of the device's counters.</summary>
    public DeviceCounters Counters
    {
        get
        {
            lock (_gate)
            {
                return new DeviceCounters(
                    DeviceId, BusId, _consecutiveUnanswered == 0, _polls, _requests, _responses, _timeouts, _crcErrors, _exceptions,
                    _transportErrors, _consecutiveUnanswered,
                    _answered == 0 ? null : _latencyMin,
                    _answered == 0 ? null : _latencyTotal / _answered,
                    _answered == 0 ? null : _latencyMax,
                    _lastAnswer,
                    _nextPoll);
            }
        }
    }

    /// <summary>Reads the device once.</summary>
    /// <returns>Whether the device answered, and the value of each point read, in profile order.</returns>
    public async Task<PollResult> PollAsync(CancellationToken cancellationToken)
    {
        if (_meter is not null)
            return await PollMeterAsync(_meter, cancellationToken).ConfigureAwait(false);
        var timestamp = _timeProvider.GetUtcNow();
        var decoded = new PointValue?[Profile.Points.Count];
        var registers = new ushort[_largestRead];
        var bits = new bool[_largestBitRead];
        (RegisterBlock Block, ModbusResult Result)? failure = null;
        var answered = false;

        foreach (var block in Blocks)
        {
            var started = _timeProvider.GetTimestamp();
            var result = block.IsBits
                ? await _master!.ReadBitsAsync(UnitId, block.Table, block.Address, bits.AsMemory(0, block.Count), cancellationToken).ConfigureAwait(false)
                : await _master!.ReadRegistersAsync(UnitId, block.Table, block.Address, registers.AsMemory(0, block.Count), cancellationToken).ConfigureAwait(false);
            Count(result, _timeProvider.GetElapsedTime(started));
            if (!result.IsOk)
            {
                failure ??= (block, result);
                // No answer: the next read would most likely wait out its timeout too, holding up the whole bus.
                if (result.Outcome is ModbusOutcome.Timeout or ModbusOutcome.TransportError)
                    break;
                answered = true;
                continue;
            }

            answered = true;

            foreach (var point in block.Points)
            {
                var ok = block.IsBits
                    ? PointDecoder.TryDecode(point, block.BitOf(point, bits.AsSpan(0, block.Count)), out var value)
                    : PointDecoder.TryDecode(point, block.RegistersOf(point, registers.AsSpan(0, block.Count)), out value);
                decoded[_profileIndex[point]] = value;
                NoteDecodable(point, ok);
            }
        }

        Interlocked.Increment(ref _polls);
        answered |= Blocks.Count == 0;
        NoteOutcome(failure is { } f ? (f.Block.ToString(), f.Result.ToString()) : null, answered);
        return new PollResult(timestamp, answered, decoded);
    }

    /// <summary>
    /// A poll of a meter: its requests in turn, stopping at the first that gets no answer at all, so that a silent meter
    /// costs its line one timeout per poll.
    /// </summary>
    private async Task<PollResult> PollMeterAsync(IMeterReader meter, CancellationToken cancellationToken)
    {
        var timestamp = _timeProvider.GetUtcNow();
        var decoded = new PointValue?[Profile.Points.Count];
        (string What, string Result)? failure = null;
        var answered = false;
        for (var request = 0; request < meter.Requests.Count; request++)
        {
            var exchange = await ExchangeAsync(meter, request, decoded, cancellationToken).ConfigureAwait(false);
            if (!exchange.IsAnswered)
            {
                failure ??= (meter.Describe(request), exchange.ToString());
                if (!exchange.HeardFrom)
                    break;
                answered = true;
                continue;
            }

            answered = true;
            foreach (var point in meter.Requests[request])
                NoteDecodable(point, decoded[_profileIndex[point]] is not null);
        }

        Interlocked.Increment(ref _polls);
        answered |= meter.Requests.Count == 0;
        NoteOutcome(failure, answered);
        return new PollResult(timestamp, answered, decoded);
    }

    private async Task<MeterExchange> ExchangeAsync(IMeterReader meter, int request, PointValue?[] values, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        MeterExchange exchange;
        try
        {
            exchange = await meter.ReadAsync(request, values, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // The meter masters leave opening the line to the channel, which fails this way (no such port, converter unreachable).
            exchange = new MeterExchange(MeterOutcome.LinkFailed, ex.Message);
        }
        Count(AsModbusResult(exchange), _timeProvider.GetElapsedTime(started));
        return exchange;
    }

    /// <summary>The meter's outcome in the terms the counters keep for every bus.</summary>
    private static ModbusResult AsModbusResult(MeterExchange exchange) => new(
        exchange.Outcome switch
        {
            MeterOutcome.Answered => ModbusOutcome.Ok,
            MeterOutcome.Refused => ModbusOutcome.Exception,
            MeterOutcome.Damaged => ModbusOutcome.Malformed,
            MeterOutcome.Timeout => ModbusOutcome.Timeout,
            _ => ModbusOutcome.TransportError,
        },
        Detail: exchange.Detail);

    /// <summary>
    /// Reads <paramref name="point"/> alone, now, counted like a poll's reads. Run it through the bus scheduler
    /// (<see cref="BusScheduler.RunExclusiveAsync{T}"/>) so that it does not collide with polls on a shared bus.
    /// </summary>
    /// <returns>The Modbus outcome and, when the device answered with a number, the value.</returns>
    public async Task<(ModbusResult Result, PointValue? Value)> ReadPointAsync(PointDefinition point, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (_meter is not null)
        {
            // A meter answers a whole request (an M-Bus readout, CJ/T 188 meter data, one DL/T 645 item): make the one
            // that carries the point.
            var request = Enumerable.Range(0, _meter.Requests.Count).FirstOrDefault(r => _meter.Requests[r].Contains(point), -1);
            if (request < 0 || !_profileIndex.TryGetValue(point, out var index))
                throw new ArgumentException($"Point '{point.Name}' is not a point of {Profile.Model}.", nameof(point));
            var values = new PointValue?[Profile.Points.Count];
            var exchange = await ExchangeAsync(_meter, request, values, cancellationToken).ConfigureAwait(false);
            return (AsModbusResult(exchange), values[index]);
        }

        var master = _master!;
        var started = _timeProvider.GetTimestamp();
        PointValue? value = null;
        ModbusResult result;
        if (point.Table is RegisterTable.Coils or RegisterTable.DiscreteInputs)
        {
            var bits = new bool[1];
            result = await master.ReadBitsAsync(UnitId, point.Table, point.Address, bits, cancellationToken).ConfigureAwait(false);
            if (result.IsOk)
                PointDecoder.TryDecode(point, bits[0], out value);
        }
        else
        {
            var registers = new ushort[ReadPlanner.Width(point)];
            result = await master.ReadRegistersAsync(UnitId, point.Table, point.Address, registers, cancellationToken).ConfigureAwait(false);
            if (result.IsOk)
                PointDecoder.TryDecode(point, registers, out value);
        }

        Count(result, _timeProvider.GetElapsedTime(started));
        return (result, value);
    }

    /// <summary>
    /// Writes <paramref name="value"/> (in the point's unit, before scaling) to a holding register point (function code 6
    /// or 16) or a coil (function code 5). Whether the point may be written and the value is in range is the caller's
    /// to check; this only encodes: raw = (value − offset) / scale, rounded for integer types.
    /// </summary>
    /// <exception cref="ArgumentException">The point is not a holding register or coil, is a bit field or text, or the value does not fit its type.</exception>
    public async Task<ModbusResult> WritePointAsync(PointDefinition point, double value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (_master is null)
            throw new InvalidOperationException($"Device {DeviceId} is a {Profile.Protocol} meter; its points are read-only.");
        var started = _timeProvider.GetTimestamp();
        ModbusResult result;
        if (point.Table == RegisterTable.Coils)
        {
            result = await _master.WriteCoilsAsync(UnitId, point.Address, new[] { value != 0 }, cancellationToken).ConfigureAwait(false);
        }
        else if (point.Table == RegisterTable.HoldingRegisters && point.Bits is null && !point.IsText)
        {
            var raw = (value - point.Offset) / point.Scale;
            if (point.Type is not (RegisterDataType.Float32 or RegisterDataType.Float64))
                raw = Math.Round(raw, MidpointRounding.AwayFromZero);
            var registers = new ushort[RegisterValueCodec.RegisterCount(point.Type)];
            RegisterValueCodec.Encode(raw, point.Type, point.Order, registers);
            result = await _master.WriteRegistersAsync(UnitId, point.Address, registers, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new ArgumentException($"Point '{point.Name}' is a {point.Table}{(point.Bits is null ? string.Empty : " bit field")}{(point.IsText ? " text" : string.Empty)}; only whole holding registers and coils are written.", nameof(point));
        }

        Count(result, _timeProvider.GetElapsedTime(started));
        return result;
    }

    /// <summary>Records when the scheduler means to poll next, for <see cref="Counters"/>.</summary>
    internal void NoteNextPoll(DateTimeOffset next)
    {
        lock (_gate)
            _nextPoll = next;
    }

    private void Count(ModbusResult result, TimeSpan latency)
    {
        lock (_gate)
        {
            _requests++;
            switch (result.Outcome)
            {
                case ModbusOutcome.Timeout:
                    _timeouts++;
                    return;
                case ModbusOutcome.TransportError:
                    _transportErrors++;
                    return;
                case ModbusOutcome.Malformed:
                    _crcErrors++;
                    return;
                case ModbusOutcome.Exception:
                    _exceptions++;
                    break;
                default:
                    _responses++;
                    break;
            }

            _answered++;
            _latencyTotal += latency;
            _latencyMin = latency < _latencyMin ? latency : _latencyMin;
            _latencyMax = latency > _latencyMax ? latency : _latencyMax;
            _lastAnswer = _timeProvider.GetUtcNow();
        }
    }

    private void NoteOutcome((string What, string Result)? failure, bool answered)
    {
        lock (_gate)
            _consecutiveUnanswered = answered ? 0 : _consecutiveUnanswered + 1;

        if (failure is { } failed)
        {
            Interlocked.Increment(ref _failedPolls);
            if (_consecutiveFailures++ == 0)
                LogNotAnswering(_logger, DeviceId, failed.What, failed.Result);
        }
        else if (_consecutiveFailures > 0)
        {
            LogAnsweringAgain(_logger, DeviceId, _consecutiveFailures);
            _consecutiveFailures = 0;
        }
    }

    private void NoteDecodable(PointDefinition point, bool decodable)
    {
        if (!decodable && _undecodable.Add(point.Name))
            LogUndecodable(_logger, DeviceId, point.Name);
        else if (decodable && _undecodable.Remove(point.Name))
            LogDecodableAgain(_logger, DeviceId, point.Name);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} stopped answering (read of {Registers}: {Result}); its values are reported as stale or comm-error until it answers")]
    private static partial void LogNotAnswering(ILogger logger, string deviceId, string registers, string result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} answers again after {FailedPolls} failed polls")]
    private static partial void LogAnsweringAgain(ILogger logger, string deviceId, long failedPolls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} sent no usable value of point {Point} (NaN, infinity, a BCD digit above 9, or a meter record missing or in a unit that does not convert); the point is reported as stale until it does")]
    private static partial void LogUndecodable(ILogger logger, string deviceId, string point);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} sends valid values of point {Point} again")]
    private static partial void LogDecodableAgain(ILogger logger, string deviceId, string point);
}
