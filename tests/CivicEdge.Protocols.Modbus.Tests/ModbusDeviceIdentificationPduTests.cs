using System.Text;

namespace CivicEdge.Protocols.Modbus.Tests;

/// <summary>Read device identification (function code 43, MEI type 14), laid out as in Modbus Application Protocol V1.1b3 §6.21.</summary>
[Category("Unit")]
public sealed class ModbusDeviceIdentificationPduTests
{
    private static readonly ModbusDeviceObject[] BasicObjects =
    [
        new(ModbusDeviceObject.VendorName, "Company identification"),
        new(ModbusDeviceObject.ProductCode, "Product code XX"),
        new(ModbusDeviceObject.MajorMinorRevision, "V2.11"),
    ];

    private readonly ushort[] _values = new ushort[ModbusPdu.MaxWriteRegisters];
    private readonly byte[] _pdu = new byte[ModbusPdu.MaxLength];
    private readonly ModbusDeviceObjectLocation[] _objects = new ModbusDeviceObjectLocation[ModbusResponsePdu.MaxDeviceObjects];

    [Test]
    public void Request_matches_the_example()
    {
        int length = ModbusRequestPdu.EncodeReadDeviceIdentification(_pdu, ModbusReadDeviceIdCode.Basic, 0x00);

        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo("2B0E0100"));
    }

    [Test]
    public void Request_of_the_example_decodes_to_its_code_and_object()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("2B 0E 04 05"), _values);

        Assert.That(request.IsValid, Is.True, request.ToString());
        Assert.That(request.ReadDeviceIdCode, Is.EqualTo(ModbusReadDeviceIdCode.Specific));
        Assert.That(request.ObjectId, Is.EqualTo(5));
    }

    [Test]
    public void A_read_device_id_code_outside_1_to_4_is_refused_with_illegal_data_value()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("2B 0E 05 00"), _values);

        Assert.That(request.Rejection, Is.EqualTo(ModbusExceptionCode.IllegalDataValue));
        Assert.That(request.Offset, Is.EqualTo(2));
    }

    [Test]
    public void Another_mei_type_is_refused_with_illegal_function()
    {
        var request = ModbusRequestPdu.Decode(Hex.Bytes("2B 0D 00 00"), _values);

        Assert.That(request.Rejection, Is.EqualTo(ModbusExceptionCode.IllegalFunction));
        Assert.That(request.Offset, Is.EqualTo(1));
    }

    [Test]
    public void Response_matches_the_layout_of_the_example()
    {
        int length = ModbusResponsePdu.EncodeReadDeviceIdentification(_pdu, ModbusReadDeviceIdCode.Basic, 0x01, BasicObjects, out int written);

        var expected = "2B0E0101000003"
            + "0016" + Ascii("Company identification")
            + "010F" + Ascii("Product code XX")
            + "0205" + Ascii("V2.11");
        Assert.That(Hex.Of(_pdu.AsSpan(0, length)), Is.EqualTo(expected));
        Assert.That(written, Is.EqualTo(3));
    }

    [Test]
    public void Response_decodes_to_the_objects_it_carries()
    {
        int length = ModbusResponsePdu.EncodeReadDeviceIdentification(_pdu, ModbusReadDeviceIdCode.Basic, 0x81, BasicObjects, out _);
        var pdu = _pdu.AsSpan(0, length);

        var response = ModbusResponsePdu.DecodeReadDeviceIdentification(pdu, ModbusReadDeviceIdCode.Basic, _objects, out var identification);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(response.Length, Is.EqualTo(length));
        Assert.That(identification, Is.EqualTo(new ModbusDeviceIdentification(ModbusReadDeviceIdCode.Basic, 0x81, false, 0, 3)));
        Assert.That(_objects[1].Id, Is.EqualTo(ModbusDeviceObject.ProductCode));
        Assert.That(_objects[1].ValueText(pdu), Is.EqualTo("Product code XX"));
        Assert.That(_objects[2].ValueText(pdu), Is.EqualTo("V2.11"));
    }

    [Test]
    public void Objects_that_do_not_fit_in_one_response_follow_from_the_next_object_id()
    {
        var many = Enumerable.Range(0x80, 6).Select(id => new ModbusDeviceObject((byte)id, new string('x', 60))).ToArray();

        int length = ModbusResponsePdu.EncodeReadDeviceIdentification(_pdu, ModbusReadDeviceIdCode.Extended, 0x03, many, out int written);
        var response = ModbusResponsePdu.DecodeReadDeviceIdentification(_pdu.AsSpan(0, length), ModbusReadDeviceIdCode.Extended, _objects, out var identification);

        Assert.That(written, Is.EqualTo(3));
        Assert.That(length, Is.LessThanOrEqualTo(ModbusPdu.MaxLength));
        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Complete), response.ToString());
        Assert.That(identification.MoreFollows, Is.True);
        Assert.That(identification.NextObjectId, Is.EqualTo(0x83));
    }

    [Test]
    public void A_response_that_echoes_another_code_is_malformed()
    {
        var response = ModbusResponsePdu.DecodeReadDeviceIdentification(Hex.Bytes("2B 0E 02 01 00 00 00"), ModbusReadDeviceIdCode.Basic, _objects, out _);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Offset, Is.EqualTo(2));
    }

    [Test]
    public void A_response_whose_object_runs_past_the_largest_pdu_is_malformed()
    {
        byte[] pdu = [.. Hex.Bytes("2B 0E 01 01 00 00 01 00 FF"), .. new byte[0xFF]];

        var response = ModbusResponsePdu.DecodeReadDeviceIdentification(pdu, ModbusReadDeviceIdCode.Basic, _objects, out _);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.Malformed));
        Assert.That(response.Offset, Is.EqualTo(8));
    }

    [Test]
    public void A_response_cut_inside_an_object_needs_the_rest_of_that_object()
    {
        var response = ModbusResponsePdu.DecodeReadDeviceIdentification(Hex.Bytes("2B 0E 01 01 00 00 01 00 05 56 32"), ModbusReadDeviceIdCode.Basic, _objects, out _);

        Assert.That(response.Status, Is.EqualTo(ModbusDecodeStatus.NeedMoreData));
        Assert.That(response.Length, Is.EqualTo(14));
    }

    private static string Ascii(string text) => Convert.ToHexString(Encoding.ASCII.GetBytes(text));
}
