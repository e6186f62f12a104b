using CivicEdge.Firmware.Pole.Tests.Support;
using CivicEdge.Firmware.Pole.Settings;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Firmware.Pole.Tests.Modbus;

/// <summary>A gateway polls the pole over RS-485 with the gateway's own Modbus codec; the pole answers from its main loop.</summary>
[Category("Integration")]
public sealed class FieldBusTests
{
    private static readonly DateTimeOffset Evening = new(2025, 3, 20, 20, 0, 0, TimeSpan.Zero);

    private static byte[] Request(byte unit, Func<byte[], int> pdu)
    {
        var body = new byte[253];
        var length = pdu(body);
        var adu = new byte[256];
        var total = ModbusRtuFramer.Encode(adu, unit, body.AsSpan(0, length));
        return adu[..total];
    }

    [Test]
    public void A_gateway_reads_the_input_registers_and_gets_the_measured_values()
    {
        var rig = new PoleRig(Evening, settings: new PoleSettings { MinimumOffSeconds = 0, RampSeconds = 0, ModbusUnit = 7 });
        rig.Run(TimeSpan.FromSeconds(3));

        rig.FieldBus.Send(Request(7, b => ModbusRequestPdu.EncodeReadRegisters(b, ModbusFunctionCode.ReadInputRegisters, 0, 10)));
        rig.Run(TimeSpan.FromSeconds(1));
        var answer = rig.FieldBus.TakeWritten();

        var frame = ModbusRtuFramer.FrameResponse(answer, 7, ModbusFunctionCode.ReadInputRegisters);
        Assert.That(frame.Status, Is.EqualTo(ModbusDecodeStatus.Complete), frame.ToString());
        var registers = new ushort[10];
        var response = ModbusResponsePdu.DecodeReadRegisters(frame.Pdu(answer), ModbusFunctionCode.ReadInputRegisters, registers);
        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(registers[0] / 10.0, Is.EqualTo(rig.Controller.Mains.VoltageRms).Within(0.2));
        Assert.That(registers[2] / 10.0, Is.EqualTo(100).Within(1.5));
        Assert.That(registers[5] & 1, Is.EqualTo(1), "lamp lit");
    }

    [Test]
    public void A_gateway_dims_the_lamp_by_writing_the_set_point_register()
    {
        var rig = new PoleRig(Evening, settings: new PoleSettings { MinimumOffSeconds = 0, RampSeconds = 0 });
        rig.Run(TimeSpan.FromSeconds(3));

        var request = Request(1, b => ModbusRequestPdu.EncodeWriteSingleRegister(b, 0, 30));
        rig.FieldBus.Send(request);
        rig.Run(TimeSpan.FromSeconds(2));

        Assert.That(rig.FieldBus.TakeWritten(), Is.EqualTo(request), "a write is answered with its echo");
        Assert.That(rig.Controller.Output.Level, Is.EqualTo(30));
    }

    [Test]
    public void A_request_for_another_unit_is_not_answered()
    {
        var rig = new PoleRig(Evening);
        rig.FieldBus.Send(Request(2, b => ModbusRequestPdu.EncodeReadRegisters(b, ModbusFunctionCode.ReadInputRegisters, 0, 1)));
        rig.Run(TimeSpan.FromSeconds(1));

        Assert.That(rig.FieldBus.TakeWritten(), Is.Empty);
        Assert.That(rig.Controller.Slave!.BusMessages, Is.EqualTo(1));
    }
}
