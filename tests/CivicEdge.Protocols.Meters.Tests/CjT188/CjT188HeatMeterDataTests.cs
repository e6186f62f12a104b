using CsCheck;
using CivicEdge.Protocols.Meters.CjT188;

namespace CivicEdge.Protocols.Meters.Tests.CjT188;

/// <summary>Heat meter data (DI 901FH, types 20H/21H): the 43-byte layout of CJ/T 188-2004 Table 4.</summary>
[Category("Unit")]
public sealed class CjT188HeatMeterDataTests
{
    // Written field by field from the standard's layout, least significant byte first.
    private const string Payload =
        "67 45 23 01 05 " +   // settlement-date heat 12345.67 kWh
        "00 00 24 01 05 " +   // current heat 12400.00 kWh
        "25 15 00 00 17 " +   // heat power 15.25 kW
        "45 23 01 00 35 " +   // flow rate 1.2345 m³/h
        "50 21 43 00 2C " +   // cumulative flow 4321.50 m³
        "40 65 00 " +         // supply 65.40 °C
        "20 45 00 " +         // return 45.20 °C
        "60 87 00 " +         // 8760 h
        "51 40 00 29 11 26 20 " + // 2026-11-29 00:40:51
        "04 00";              // valve open, battery low

    [Test]
    public void A_heat_meter_answer_decodes_field_by_field()
    {
        var buffer = new byte[80];
        var address = MeterAddress.Parse("00000012345678", CjT188Framer.AddressLength);
        int length = CjT188Framer.Encode(buffer, CjT188MeterType.Heat, address, CjT188Control.Response(CjT188Function.ReadData),
            CjT188DataIdentifier.MeterData, 1, Hex.Bytes(Payload), CjT188IdentifierOrder.HighByteFirst);
        var frame = CjT188Framer.Decode(buffer.AsSpan(0, length));
        Assert.That(CjT188Reply.TryDecode(frame, buffer.AsSpan(0, length), CjT188IdentifierOrder.HighByteFirst, out var reply, out var reason), Is.True, reason);

        Assert.That(CjT188HeatMeterData.TryDecode(reply!.Payload, out var data, out reason), Is.True, reason);

        Assert.That(buffer[14], Is.EqualTo(0x2E), "L of heat meter data");
        Assert.That(data!.SettlementHeat, Is.EqualTo(12345.67m));
        Assert.That(data.CurrentHeat, Is.EqualTo(12400.00m));
        Assert.That(data.CurrentHeatUnit, Is.EqualTo(CjT188Unit.KilowattHour));
        Assert.That(data.HeatPower, Is.EqualTo(15.25m));
        Assert.That(data.HeatPowerUnit, Is.EqualTo(CjT188Unit.Kilowatt));
        Assert.That(data.FlowRate, Is.EqualTo(1.2345m));
        Assert.That(data.FlowRateUnit, Is.EqualTo(CjT188Unit.CubicMetrePerHour));
        Assert.That(data.CumulativeFlow, Is.EqualTo(4321.50m));
        Assert.That(data.SupplyTemperature, Is.EqualTo(65.40m));
        Assert.That(data.ReturnTemperature, Is.EqualTo(45.20m));
        Assert.That(data.WorkingHours, Is.EqualTo(8760m));
        Assert.That(data.MeterTime, Is.EqualTo(new DateTime(2026, 11, 29, 0, 40, 51)));
        Assert.That(data.Status.BatteryLow, Is.True);
    }

    [Test]
    public void A_temperature_that_is_not_BCD_names_its_field_and_byte()
    {
        var payload = Hex.Bytes(Payload);
        payload[29] = 0x4F;

        bool decoded = CjT188HeatMeterData.TryDecode(payload, out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("return temperature").And.Contain("byte 29").And.Contain("4FH"));
    }

    [Test]
    public void Water_meter_data_is_not_read_as_heat_meter_data()
    {
        bool decoded = CjT188HeatMeterData.TryDecode(new byte[CjT188MeterData.Length], out _, out var reason);

        Assert.That(decoded, Is.False);
        Assert.That(reason, Does.Contain("expected 43").And.Contain("found 19"));
    }

    [Test]
    public void Heat_meter_data_round_trips()
    {
        var units = Enum.GetValues<CjT188Unit>();
        Gen.Select(Gen.UInt[0, 99_999_999].Array[5], Gen.UInt[0, 999_999].Array[3], Gen.Int[0, units.Length - 1].Array[5], Gen.Byte, Gen.Byte)
            .Sample((values, short3, unitIndex, st0, st1) =>
            {
                var data = new CjT188HeatMeterData
                {
                    SettlementHeat = values[0] / 100m, SettlementHeatUnit = units[unitIndex[0]],
                    CurrentHeat = values[1] / 100m, CurrentHeatUnit = units[unitIndex[1]],
                    HeatPower = values[2] / 100m, HeatPowerUnit = units[unitIndex[2]],
                    FlowRate = values[3] / 10000m, FlowRateUnit = units[unitIndex[3]],
                    CumulativeFlow = values[4] / 100m, CumulativeFlowUnit = units[unitIndex[4]],
                    SupplyTemperature = short3[0] / 100m, ReturnTemperature = short3[1] / 100m, WorkingHours = short3[2],
                    MeterTime = new DateTime(2031, 2, 28, 23, 59, 58), Status = new CjT188Status(st0, st1),
                };
                var payload = new byte[CjT188HeatMeterData.Length];
                data.Encode(payload);

                return CjT188HeatMeterData.TryDecode(payload, out var decoded, out _) && decoded == data;
            }, iter: 300);
    }
}
