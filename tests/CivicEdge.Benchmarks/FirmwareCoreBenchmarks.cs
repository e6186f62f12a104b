using BenchmarkDotNet.Attributes;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Core.Scheduling;
using CivicEdge.Firmware.Core.Settings;
using CivicEdge.Firmware.Host;

namespace CivicEdge.Benchmarks;

/// <summary>
/// What the firmware core costs per operation on the host build, and what it allocates: the device's managed heap is
/// tens of KB, so the steady-state operations (a slave request, a master transaction, a journal commit, a main-loop
/// pass) must allocate nothing. Time on a desktop processor is only an upper bound on the device's share of it; an
/// ESP32 interprets IL, so expect two to three orders of magnitude more there.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class FirmwareCoreBenchmarks
{
    private readonly ushort[] _registers = new ushort[10];
    private Line _line = null!;
    private ModbusRtuSlave _slave = null!;
    private ModbusRtuMaster _master = null!;
    private byte[] _request = null!;
    private CounterJournal _journal = null!;
    private SettingsStore _settings = null!;
    private MainLoop _loop = null!;
    private int _level;

    [GlobalSetup]
    public void Setup()
    {
        _line = new Line();
        _slave = new ModbusRtuSlave(_line.SlaveEnd, new Registers(), 1);
        _line.Pump = () => _slave.Poll(0);
        var clock = new SimulatedClock(TimeProvider.System);
        _master = new ModbusRtuMaster(_line.MasterEnd, clock, new ThreadDelay(), 1000, 0);
        _request = [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0, 0];
        ModbusCrc16.Append(_request, 6);

        _journal = new CounterJournal(new Slots(), "energy", 4, 8);
        _settings = new SettingsStore(new MemorySettingsStorage(), "settings");
        _settings.SetString("mqtt.host", "fleet.city.example");
        _settings.SetInt32("report.seconds", 60);
        _loop = new MainLoop(new TickingClock(), new NoWatchdog(), new ThreadDelay(), 4, 8000);
        for (var i = 0; i < 4; i++)
            _loop.Add("job" + i, new NoJob(), 1, 0);
    }

    [Benchmark(Description = "slave: read 10 holding registers (function 03)")]
    public void SlaveRequest()
    {
        _line.ToSlave(_request);
        _slave.Poll(0);
        _line.ClearToMaster();
    }

    [Benchmark(Description = "master: read 10 holding registers from the slave")]
    public ModbusMasterStatus MasterTransaction() => _master.ReadHoldingRegisters(1, 0, 10, _registers);

    [Benchmark(Description = "counter journal: commit 4 counters")]
    public bool JournalCommit()
    {
        _journal.Add(0, 1);
        return _journal.Commit();
    }

    [Benchmark(Description = "settings: save after one change")]
    public bool SettingsSave()
    {
        _settings.SetInt32("dim.level", ++_level);
        return _settings.Save();
    }

    [Benchmark(Description = "main loop: one pass over 4 due jobs")]
    public int MainLoopPass() => _loop.RunPass();

    /// <summary>A serial line in memory, between a master and a slave in one thread, that allocates nothing.</summary>
    private sealed class Line
    {
        private readonly byte[] _toSlave = new byte[256];
        private readonly byte[] _toMaster = new byte[256];
        private int _toSlaveCount;
        private int _toMasterCount;

        public Line()
        {
            MasterEnd = new End(this, master: true);
            SlaveEnd = new End(this, master: false);
        }

        public ISerialLink MasterEnd { get; }

        public ISerialLink SlaveEnd { get; }

        public Func<bool>? Pump { get; set; }

        public void ToSlave(byte[] frame)
        {
            frame.CopyTo(_toSlave, 0);
            _toSlaveCount = frame.Length;
        }

        public void ClearToMaster() => _toMasterCount = 0;

        private sealed class End(Line line, bool master) : ISerialLink
        {
            public int BaudRate => 115200;

            public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
            {
                if (master && line._toMasterCount == 0)
                    line.Pump?.Invoke();
                ref var available = ref master ? ref line._toMasterCount : ref line._toSlaveCount;
                var source = master ? line._toMaster : line._toSlave;
                var taken = Math.Min(available, count);
                Array.Copy(source, 0, buffer, offset, taken);
                available = 0;
                return taken;
            }

            public void Write(byte[] buffer, int offset, int count)
            {
                Array.Copy(buffer, offset, master ? line._toSlave : line._toMaster, 0, count);
                if (master)
                    line._toSlaveCount = count;
                else
                    line._toMasterCount = count;
            }

            public void DiscardInput()
            {
                if (master)
                    line._toMasterCount = 0;
                else
                    line._toSlaveCount = 0;
            }
        }
    }

    private sealed class Registers : IModbusDataModel
    {
        private readonly ushort[] _holding = new ushort[100];

        public ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into) => ModbusExceptionCode.IllegalFunction;

        public ModbusExceptionCode ReadRegisters(bool holding, int address, int count, ushort[] into)
        {
            Array.Copy(_holding, address, into, 0, count);
            return ModbusExceptionCode.None;
        }

        public ModbusExceptionCode WriteCoil(int address, bool value) => ModbusExceptionCode.IllegalFunction;

        public ModbusExceptionCode WriteRegister(int address, ushort value) => ModbusExceptionCode.IllegalFunction;
    }

    /// <summary>Slots kept in buffers of their own, so that rewriting one allocates nothing, as flash does not.</summary>
    private sealed class Slots : ISettingsStorage
    {
        private readonly Dictionary<string, byte[]> _slots = new(StringComparer.Ordinal);

        public byte[]? Read(string slot) => _slots.TryGetValue(slot, out var data) ? (byte[])data.Clone() : null;

        public void Write(string slot, byte[] data)
        {
            if (!_slots.TryGetValue(slot, out var kept) || kept.Length != data.Length)
                _slots[slot] = kept = new byte[data.Length];
            data.CopyTo(kept, 0);
        }

        public void Erase(string slot) => _slots.Remove(slot);
    }

    /// <summary>Uptime that moves on by a millisecond at every reading, so that every pass finds every job due.</summary>
    private sealed class TickingClock : IClock
    {
        private long _uptime;

        public DateTime UtcNow => DateTime.UnixEpoch;

        public bool IsSynchronized => false;

        public long UptimeMilliseconds => ++_uptime;

        public void Set(DateTime utcNow)
        {
        }
    }

    private sealed class NoWatchdog : IWatchdog
    {
        public void Start(int timeoutMilliseconds)
        {
        }

        public void Feed()
        {
        }
    }

    private sealed class NoJob : IScheduledJob
    {
        public void Run(long uptimeMilliseconds)
        {
        }
    }
}
