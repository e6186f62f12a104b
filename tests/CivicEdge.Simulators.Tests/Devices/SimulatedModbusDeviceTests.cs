using System.Net;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Devices;
using CivicEdge.Simulators.Meters;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Simulators.Tests.Devices;

public sealed class SimulatedModbusDeviceTests
{
    private static readonly DateTimeOffset Evening = new(2026, 6, 1, 19, 0, 0, TimeSpan.Zero);

    private static double ReadFloat(RegisterBank bank, ushort address)
    {
        var registers = new ushort[2];
        bank.Read(RegisterTable.InputRegisters, address, registers);
        return RegisterValueCodec.Decode(registers, RegisterDataType.Float32, RegisterOrder.ABCD);
    }

    [Test]
    [Category("Unit")]
    public void A_new_device_holds_the_model_values_and_knows_which_points_it_cannot_fill()
    {
        var profile = Profiles.Inline("""
              - { name: voltage_l1, table: input, address: 0, type: float32, unit: V }
              - { name: firmware_version, table: input, address: 2, type: uint16, unit: "1" }
            """);
        var model = new ThreePhaseMeterModel(new FakeTimeProvider(Evening), new Random(1));
        model.Pin("voltage_l1", 229.75);

        var device = new SimulatedModbusDevice(profile, model);

        Assert.That(ReadFloat(device.Bank, 0), Is.EqualTo(229.75));
        Assert.That(device.UnmodelledPoints, Is.EqualTo(new[] { "firmware_version" }));
    }

    [Test]
    [Category("Unit")]
    public void An_update_moves_the_registers_on_with_the_model()
    {
        var clock = new FakeTimeProvider(Evening);
        var device = new SimulatedModbusDevice(Profiles.Sdm630, new ThreePhaseMeterModel(clock, new Random(2)));
        var importAddress = Profiles.Sdm630.Points.Single(p => p.Name == "import_active_energy").Address;
        var before = ReadFloat(device.Bank, importAddress);

        clock.Advance(TimeSpan.FromHours(1));
        device.Update();

        // An evening hour on a three-phase supply of tens of amperes per phase: several kWh.
        Assert.That(ReadFloat(device.Bank, importAddress) - before, Is.InRange(1.0, 40.0));
    }

    [Test]
    [Category("Unit")]
    public async Task RunAsync_updates_on_every_tick_and_returns_quietly_when_cancelled()
    {
        var clock = new FakeTimeProvider(Evening);
        var model = new FixedDeviceModel(new Dictionary<string, double> { ["voltage_l1"] = 230 });
        var device = new SimulatedModbusDevice(Profiles.Sdm630, model);
        using var stop = new CancellationTokenSource();

        var running = device.RunAsync(TimeSpan.FromSeconds(1), clock, stop.Token);
        for (var tick = 1; tick <= 3; tick++)
        {
            model.Set("voltage_l1", 230 + tick);
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.That(await model.Updated.WaitAsync(TimeSpan.FromSeconds(30)), Is.True, $"no update after tick {tick}");
        }
        await stop.CancelAsync();
        await running;

        Assert.That(model.Updates, Is.EqualTo(3));
        Assert.That(ReadFloat(device.Bank, 0), Is.EqualTo(233));
    }

    [Test]
    [Category("Integration")]
    public async Task A_master_reads_the_simulated_meter_over_modbus_tcp()
    {
        var model = new ThreePhaseMeterModel(new FakeTimeProvider(Evening), new Random(3));
        model.Pin("voltage_l1", 231.5);
        model.Pin("import_active_energy", 12345.5);
        var device = new SimulatedModbusDevice(Profiles.Sdm630, model);
        await using var server = new ModbusTcpServer(new IPEndPoint(IPAddress.Loopback, 0), unit => unit == 1 ? device.Bank : null);
        await server.StartAsync(CancellationToken.None);
        await using var master = new ModbusTcpMaster(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = server.LocalEndPoint.Port });

        // One read of the first 0x12 registers covers voltages, currents and phase powers, as a gateway would batch it.
        var block = new ushort[0x12];
        var result = await master.ReadRegistersAsync(1, RegisterTable.InputRegisters, 0, block, CancellationToken.None);
        var energy = new ushort[2];
        var energyResult = await master.ReadRegistersAsync(1, RegisterTable.InputRegisters, 0x0048, energy, CancellationToken.None);
        var otherUnit = await master.ReadRegistersAsync(2, RegisterTable.InputRegisters, 0, new ushort[2], CancellationToken.None);

        Assert.That((result.IsOk, energyResult.IsOk), Is.EqualTo((true, true)), $"{result} / {energyResult}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RegisterValueCodec.Decode(block, RegisterDataType.Float32, RegisterOrder.ABCD), Is.EqualTo(231.5));
            Assert.That(RegisterValueCodec.Decode(block.AsSpan(2), RegisterDataType.Float32, RegisterOrder.ABCD), Is.InRange(225.4, 234.6));
            Assert.That(RegisterValueCodec.Decode(block.AsSpan(6), RegisterDataType.Float32, RegisterOrder.ABCD), Is.GreaterThan(0));
            Assert.That(RegisterValueCodec.Decode(energy, RegisterDataType.Float32, RegisterOrder.ABCD), Is.EqualTo(12345.5));
            Assert.That(otherUnit.ExceptionCode, Is.EqualTo(ModbusExceptionCode.GatewayTargetDeviceFailedToRespond), "only unit 1 is simulated");
        }
    }
}
