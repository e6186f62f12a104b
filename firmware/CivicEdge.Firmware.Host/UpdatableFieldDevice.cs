using System.Text;
using CivicEdge.Firmware.Core.Boot;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Update;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// A field device on the host build that can be updated over its RS-485 line: the firmware's Modbus slave with the
/// update receiver in front of an application's registers, on a thread of its own, booting whatever image its
/// <see cref="MemoryUpdateStorage"/> starts. It restarts when the firmware asks (install, rollback), when a write is cut
/// by a simulated power loss, and when a faulty image hangs into the watchdog before it became healthy.
/// </summary>
public sealed class UpdatableFieldDevice : IDisposable, IFailSafe
{
    private readonly ISerialLink _link;
    private readonly IModbusDataModel _application;
    private readonly byte _unitId;
    private readonly int _healthyAfterMilliseconds;
    private readonly int _checkpointBytes;
    private readonly TimeProvider _time;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private volatile bool _stopping;
    private volatile bool _powerCutRequested;
    private Exception? _failure;
    private ModbusRtuSlave? _slave;
    private UpdateReceiver? _receiver;
    private BootGuard? _guard;
    private SimulatedClock? _clock;
    private SimulatedPowerControl? _power;
    private bool _healthyImage;
    private int _tornWritesAtBoot;
    private string _version = string.Empty;
    private readonly bool _failsNewImages;
    private readonly string _factoryVersion;

    /// <param name="link">The device's end of the line.</param>
    /// <param name="unitId">Its slave address.</param>
    /// <param name="application">The application's own registers.</param>
    /// <param name="storage">The staging area and boot loader; it keeps the images across restarts.</param>
    /// <param name="settings">Where the boot guard and the receiver persist; it survives restarts.</param>
    /// <param name="healthyAfterMilliseconds">Uptime a healthy image needs before its boot is confirmed.</param>
    /// <param name="checkpointBytes">How often the receiver persists its progress.</param>
    /// <param name="time">Drives uptime; the system clock unless a test supplies one.</param>
    /// <param name="failsNewImages">
    /// True for a device on which any image but the one it came with hangs before it is healthy, whatever the image says
    /// of itself: hardware the new release does not suit, so it rolls back.
    /// </param>
    public UpdatableFieldDevice(
        ISerialLink link, byte unitId, IModbusDataModel application, MemoryUpdateStorage storage, MemorySettingsStorage settings,
        int healthyAfterMilliseconds = 300, int checkpointBytes = 4096, TimeProvider? time = null, bool failsNewImages = false)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _failsNewImages = failsNewImages;
        _factoryVersion = SimulatedFirmwareImage.VersionOf(storage.RunningImage);
        _link = link;
        _unitId = unitId;
        _application = application;
        Storage = storage;
        Settings = settings;
        _healthyAfterMilliseconds = healthyAfterMilliseconds;
        _checkpointBytes = checkpointBytes;
        _time = time ?? TimeProvider.System;
        Boot(ResetCause.PowerOn);
        _thread = new Thread(Serve) { IsBackground = true, Name = $"field device {unitId}" };
        _thread.Start();
    }

    public MemoryUpdateStorage Storage { get; }

    public MemorySettingsStorage Settings { get; }

    /// <summary>The version of the image running now.</summary>
    public string RunningVersion
    {
        get
        {
            lock (_gate)
                return _version;
        }
    }

    /// <summary>Boots since the device was created, the first included.</summary>
    public int Boots { get; private set; }

    /// <summary>Boots caused by a simulated power loss.</summary>
    public int PowerLosses { get; private set; }

    /// <summary>Where the update stands on the device now.</summary>
    public UpdateState UpdateState
    {
        get
        {
            lock (_gate)
                return _receiver!.State;
        }
    }

    /// <summary>Cuts the power between two requests: the device restarts from what its storage holds.</summary>
    public void CutPower() => _powerCutRequested = true;

    public void HoldFailSafe()
    {
    }

    public void Dispose()
    {
        _stopping = true;
        if (!_thread.Join(TimeSpan.FromSeconds(5)))
            throw new InvalidOperationException($"Field device {_unitId} did not stop within 5 s.");
        if (_failure is not null)
            throw new InvalidOperationException($"Field device {_unitId} failed.", _failure);
    }

    private void Boot(ResetCause cause)
    {
        lock (_gate)
        {
            Boots++;
            var image = Storage.Boot();
            _version = SimulatedFirmwareImage.VersionOf(image);
            _healthyImage = SimulatedFirmwareImage.BootsHealthy(image) && !(_failsNewImages && _version != _factoryVersion);
            _clock = new SimulatedClock(_time);
            _power = new SimulatedPowerControl(cause);
            _guard = new BootGuard(Settings, _power, _clock, BootGuard.DefaultSafeModeAfter, _healthyAfterMilliseconds);
            _guard.Begin(this);
            _receiver = new UpdateReceiver(Storage, Settings, _power, _guard, _version, _checkpointBytes, UpdateReceiver.DefaultMaxTrialBoots);
            _receiver.Begin();
            var model = new UpdateModbusModel(_receiver, _application, UpdateModbusModel.DefaultBaseAddress);
            _tornWritesAtBoot = Storage.TornWrites;
            _slave = new ModbusRtuSlave(new PoweredLink(_link, this), model, _unitId) { FileRecords = model };
            _slave.SetServerId(Encoding.ASCII.GetBytes("CivicEdge " + _version));
        }
    }

    private void Serve()
    {
        try
        {
            while (!_stopping)
            {
                if (_powerCutRequested)
                {
                    _powerCutRequested = false;
                    PowerLosses++;
                    Boot(ResetCause.PowerOn);
                    continue;
                }

                _slave!.Poll(10);
                if (HasLostPower)
                {
                    // The slave turns a fault in its data model into exception 04, but a power loss stops the device
                    // dead: no answer went out (see PoweredLink), and it starts again from what storage kept.
                    PowerLosses++;
                    Boot(ResetCause.PowerOn);
                    continue;
                }

                RunJobs();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            _failure = e;
        }
    }

    private bool HasLostPower => Storage.TornWrites != _tornWritesAtBoot;

    private void RunJobs()
    {
        long uptime = _clock!.UptimeMilliseconds;
        if (_healthyImage)
        {
            _guard!.ReportHealthy();
        }
        else if (uptime > 2L * _healthyAfterMilliseconds)
        {
            // A faulty image hangs before it is healthy; the watchdog restarts the device.
            Boot(ResetCause.Watchdog);
            return;
        }

        lock (_gate)
        {
            _guard!.Run(uptime);
            _receiver!.Run(uptime);
        }

        if (_power!.RebootRequests > 0)
            Boot(ResetCause.Software);
    }

    /// <summary>The device's line driver: once the power is gone, nothing it was about to send reaches the line.</summary>
    private sealed class PoweredLink(ISerialLink line, UpdatableFieldDevice device) : ISerialLink
    {
        public int BaudRate => line.BaudRate;

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds) => line.Read(buffer, offset, count, timeoutMilliseconds);

        public void Write(byte[] buffer, int offset, int count)
        {
            if (!device.HasLostPower)
                line.Write(buffer, offset, count);
        }

        public void DiscardInput() => line.DiscardInput();
    }
}
