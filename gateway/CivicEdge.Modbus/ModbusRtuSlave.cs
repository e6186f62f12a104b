using CivicEdge.Protocols.Modbus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using LineParity = CivicEdge.Transports.SerialParity;
using WireParity = CivicEdge.Protocols.Modbus.SerialParity;

namespace CivicEdge.Modbus;

/// <summary>
/// A Modbus RTU slave on a serial line: one bus, several unit identifiers, each served from its own
/// <see cref="RegisterBank"/>. Answers its units after the t3.5 silence and paces every answer at the line's baud
/// rate, so that a master on a pty sees the timing of a real wire; applies broadcast writes (unit 0) to every unit
/// without answering; stays silent for other units' frames; ignores and counts frames with a wrong CRC.
/// </summary>
public sealed partial class ModbusRtuSlave : IAsyncDisposable
{
    private static readonly TimeSpan ReopenDelay = TimeSpan.FromSeconds(1);

    private readonly SerialChannel _channel;
    private readonly IReadOnlyDictionary<byte, RegisterBank> _units;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _serving = Task.CompletedTask;
    private int _disposed;

    /// <param name="line">The serial device and its character format; the baud rate sets the pacing.</param>
    /// <param name="units">The units on this bus by identifier (1..247); unit 0 is the broadcast address and cannot be one.</param>
    /// <param name="faults">The faults to inject into answers; it may be changed while the slave runs. Default: none.</param>
    /// <param name="timeProvider">The clock of silences, pacing and late answers. Default: the system clock.</param>
    /// <param name="logger">Where the line's events are logged.</param>
    /// <exception cref="ArgumentException">A line option is out of range, or the units are empty or include 0.</exception>
    public ModbusRtuSlave(
        SerialChannelOptions line,
        IReadOnlyDictionary<byte, RegisterBank> units,
        FaultPlan? faults = null,
        TimeProvider? timeProvider = null,
        ILogger<ModbusRtuSlave>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        CheckUnits(units);
        _timeProvider = timeProvider ?? TimeProvider.System;

        // The slave waits for requests as long as it takes: a quiet bus is not a broken line.
        _channel = new SerialChannel(
            new SerialChannelOptions
            {
                Path = line.Path,
                BaudRate = line.BaudRate,
                DataBits = line.DataBits,
                Parity = line.Parity,
                StopBits = line.StopBits,
                ReadTimeout = TimeSpan.FromMilliseconds(int.MaxValue),
            },
            _timeProvider);
        Line = ModbusSilentInterval.For(line.BaudRate, ToWireParity(line.Parity), line.StopBits, line.DataBits);
        _units = units;
        Faults = faults ?? new FaultPlan();
        _logger = logger ?? NullLogger<ModbusRtuSlave>.Instance;
    }

    /// <summary>The line's timing: character time, t3.5 and the wire time answers are paced at.</summary>
    public ModbusSilentInterval Line { get; }

    /// <summary>The faults injected into answers; change its rules at run time to change the slave's behaviour.</summary>
    public FaultPlan Faults { get; }

    /// <summary>What the slave saw on its bus.</summary>
    public ModbusSlaveCounters Counters { get; } = new();

    /// <summary>The serial device served.</summary>
    public string Path => _channel.Name;

    /// <summary>Opens the serial device and starts serving; returns once it is open.</summary>
    /// <exception cref="IOException">The device does not exist or cannot be opened.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_channel.IsOpen)
            throw new InvalidOperationException($"The slave is already serving {Path}.");
        await _channel.OpenAsync(cancellationToken).ConfigureAwait(false);
        LogServing(_logger, _channel.Settings, string.Join(", ", _units.Keys.Order()));
        _serving = ServeAsync(_stopping.Token);
    }

    /// <summary>Stops serving and closes the serial device.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);

        // A read on a serial port does not always heed cancellation: closing the port ends it.
        _channel.Dispose();
        await _serving.ConfigureAwait(false);
        _stopping.Dispose();
        LogStopped(_logger, Path, Counters.ToString());
    }

    public override string ToString() => $"Modbus RTU slave {_channel.Settings}";

    internal static void CheckUnits(IReadOnlyDictionary<byte, RegisterBank> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        if (units.Count == 0)
            throw new ArgumentException("Expected at least one unit to serve; found none.", nameof(units));
        if (units.ContainsKey(ModbusRtuFramer.BroadcastUnitId))
            throw new ArgumentException("Unit 0 is the broadcast address (MODBUS over Serial Line V1.02 §2.2); expected units 1..247.", nameof(units));
    }

    private static WireParity ToWireParity(LineParity parity) => parity switch
    {
        LineParity.Even => WireParity.Even,
        LineParity.Odd => WireParity.Odd,
        _ => WireParity.None,
    };

    private async Task ServeAsync(CancellationToken stopping)
    {
        await Task.Yield();
        using var session = new ModbusRtuSlaveSession(
            _channel.Name, _channel.ReceiveAsync, _channel.SendAsync, _units, Faults, Counters, Line, _timeProvider, _logger);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _channel.OpenAsync(stopping).ConfigureAwait(false);
                await session.RunAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                return;
            }
            catch (IOException e)
            {
                // E.g. a USB adapter pulled out: keep trying, as the bus may come back.
                LogLineFailed(_logger, _channel.Name, e.Message);
            }

            _channel.Close();
            try
            {
                await Task.Delay(ReopenDelay, _timeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus RTU slave serving {Line} for units {Units}")]
    private static partial void LogServing(ILogger logger, string line, string units);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus RTU line {Line} failed: {Reason}; reopening")]
    private static partial void LogLineFailed(ILogger logger, string line, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus RTU slave on {Line} stopped: {Counters}")]
    private static partial void LogStopped(ILogger logger, string line, string counters);
}
