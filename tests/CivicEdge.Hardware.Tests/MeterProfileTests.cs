using CivicEdge.Protocols.MBus;
using CivicEdge.Protocols.Meters.CjT188;

namespace CivicEdge.Hardware.Tests;

[Category("Unit")]
public sealed class MeterProfileTests
{
    private ProfileFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new ProfileFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private static string Profile(string protocol, string settings, params string[] point) =>
        $"schema: civicedge.profile/v1\nmodel: test-meter\nmanufacturer: Test\nprotocol: {protocol}\n{settings}points:\n"
        + string.Concat(point.Select((f, i) => (i == 0 ? "  - " : "    ") + f + "\n"));

    private string[] Errors(string text)
    {
        var path = _files.Write("test-meter.yaml", text);
        return [.. Assert.Throws<ProfileException>(() => ProfileLoader.Load(path)).Errors.Select(e => e.ToString())];
    }

    [Test]
    public void An_mbus_point_selects_a_record_by_quantity_storage_tariff_function_and_subunit()
    {
        var path = _files.Write("test-meter.yaml", Profile("mbus", "", "name: due_date_energy", "record: Energy", "storage: 1", "tariff: 2", "function: maximum", "subunit: 1", "unit: kWh"));

        var point = ProfileLoader.LoadFile(path).Points.Single();

        Assert.That(point.MbusRecord, Is.EqualTo(new MbusRecordSelector("Energy", 1, 2, MbusFunction.Maximum, 1)));
        Assert.That(point.IsMeterPoint, Is.True);
    }

    [Test]
    public void An_mbus_record_that_the_standard_does_not_name_is_refused_with_the_known_quantities()
    {
        var errors = Errors(Profile("mbus", "", "name: energy", "record: enrgy", "unit: kWh"));

        Assert.That(errors.Single(), Does.StartWith("test-meter.yaml:7: points[0].record: expected one of the EN 13757-3 quantities Energy, Volume").And.EndWith("found 'enrgy'"));
    }

    [Test]
    public void A_meter_point_with_modbus_fields_names_each_of_them()
    {
        var errors = Errors(Profile("mbus", "", "name: energy", "record: energy", "table: input", "address: 0", "unit: kWh"));

        Assert.That(errors, Is.EqualTo(new[]
        {
            "test-meter.yaml:8: points[0].table: a mbus point is located by record, storage, tariff, function, subunit; 'table' does not apply (leave it out)",
            "test-meter.yaml:9: points[0].address: a mbus point is located by record, storage, tariff, function, subunit; 'address' does not apply (leave it out)",
        }));
    }

    [Test]
    public void A_cjt188_profile_needs_its_meter_type_and_identifier_byte_order()
    {
        var errors = Errors(Profile("cjt188", "", "name: volume", "field: current_flow", "unit: m3"));

        Assert.That(errors, Is.EqualTo(new[]
        {
            "test-meter.yaml:1: meterType: missing; expected one of cold-water, hot-water, drinking-water, reclaimed-water, gas",
            "test-meter.yaml:1: identifierOrder: missing; expected one of high-byte-first, low-byte-first",
        }));
    }

    [Test]
    public void A_cjt188_point_reads_a_field_of_the_meter_data_answer()
    {
        var path = _files.Write("test-meter.yaml", Profile("cjt188", "meterType: gas\nidentifierOrder: low-byte-first\n", "name: valve", "di: 0x901F", "field: valve", "unit: \"1\""));

        var profile = ProfileLoader.LoadFile(path);

        Assert.That((profile.MeterType, profile.IdentifierOrder, profile.Points.Single().CjT188Field),
            Is.EqualTo(((CjT188MeterType?)CjT188MeterType.Gas, (CjT188IdentifierOrder?)CjT188IdentifierOrder.LowByteFirst, (CjT188Field?)CjT188Field.Valve)));
    }

    [Test]
    public void A_cjt188_point_of_another_identifier_is_refused_because_polls_read_meter_data()
    {
        var errors = Errors(Profile("cjt188", "meterType: cold-water\nidentifierOrder: high-byte-first\n", "name: volume", "di: 0x810A", "field: current_flow", "unit: m3"));

        Assert.That(errors.Single(), Is.EqualTo("test-meter.yaml:9: points[0].di: polls read meter data, DI 901F (CJ/T 188-2004 Table 4); expected 0x901F or no di; found '0x810A'"));
    }

    [Test]
    public void A_catalogued_dlt645_identifier_takes_its_format_from_the_standard()
    {
        var path = _files.Write("test-meter.yaml", Profile("dlt645", "", "name: voltage_a", "identifier: 02 01 01 00", "unit: V"));

        var item = ProfileLoader.LoadFile(path).Points.Single().Dlt645Item!;

        Assert.That((item.Identifier, item.Length, item.Decimals, item.Unit), Is.EqualTo((0x02010100u, 2, 1, "V")));
    }

    [Test]
    public void An_uncatalogued_dlt645_identifier_needs_a_format_and_takes_it_from_the_profile()
    {
        var missing = Errors(Profile("dlt645", "", "name: demand", "identifier: 0x01010000", "unit: kW"));
        var path = _files.Write("other.yaml", Profile("dlt645", "", "name: demand", "identifier: 0x01010000", "format: XX.XXXX", "unit: kW"));
        var item = ProfileLoader.LoadFile(path).Points.Single().Dlt645Item!;

        Assert.That(missing.Single(), Is.EqualTo("test-meter.yaml:7: points[0].identifier: 1010000 is not in the gateway's catalogue of formats; expected a format such as XXXXXX.XX beside it"));
        Assert.That((item.Length, item.Decimals, item.Unit), Is.EqualTo((3, 4, "kW")));
    }

    [Test]
    public void A_dlt645_point_in_a_unit_of_another_kind_is_refused()
    {
        var errors = Errors(Profile("dlt645", "", "name: energy", "identifier: 0x00010000", "unit: V"));

        Assert.That(errors.Single(), Is.EqualTo("test-meter.yaml:8: points[0].unit: data item 10000 is in kWh; expected a unit of the same kind; found 'V'"));
    }

    [Test]
    public void A_dlt645_1997_identifier_has_two_bytes()
    {
        var errors = Errors(Profile("dlt645-1997", "", "name: energy", "identifier: 0x00010000", "unit: kWh"));

        Assert.That(errors.Single(), Does.StartWith("test-meter.yaml:7: points[0].identifier: expected a DL/T 645-1997 data identifier DI1 DI0 as printed"));
    }

    [Test]
    public void Meter_settings_in_a_modbus_profile_and_meter_fields_on_a_modbus_point_are_refused()
    {
        var errors = Errors(Profile("modbus", "meterType: gas\n", "name: energy", "table: input", "address: 0", "type: uint32", "record: energy", "unit: kWh"));

        Assert.That(errors, Is.EqualTo(new[]
        {
            "test-meter.yaml:5: meterType: applies only to protocol: cjt188; leave it out of a modbus profile",
            "test-meter.yaml:11: points[0].record: applies to meter protocols (mbus, cjt188, dlt645); a modbus point is located by table and address",
        }));
    }

    [Test]
    public void The_repository_meter_profiles_load_with_their_selectors()
    {
        var catalog = ProfileLoader.LoadDirectory(RepositoryProfiles.Directory);

        Assert.That(catalog.Get("mbus-heat-meter").Points.Select(p => p.MbusRecord?.Quantity), Is.SupersetOf(new[] { "Energy", "Volume", "Power", "Volume flow", "Flow temperature", "Return temperature", "Error flags" }));
        Assert.That(catalog.Get("cjt188-water-meter").Points.Select(p => p.CjT188Field), Is.EquivalentTo(new CjT188Field?[] { CjT188Field.CurrentFlow, CjT188Field.SettlementFlow, CjT188Field.Valve, CjT188Field.BatteryLow }));
        Assert.That(catalog.Get("dlt645-2007-meter").Points.Select(p => p.Dlt645Item!.Identifier), Does.Contain(0x00010000u).And.Contain(0x02010100u));
        Assert.That(catalog.Get("dlt645-1997-meter").Protocol, Is.EqualTo(ProfileProtocols.Dlt645V1997));
    }

    [TestCase(1234.0, "Wh", "kWh", 1.234)]
    [TestCase(3.6, "GJ", "kWh", 1000.0)]
    [TestCase(250.0, "L", "m3", 0.25)]
    [TestCase(19.5, "°C", "Cel", 19.5)]
    [TestCase(2.5, "m^3/h", "L/h", 2500.0)]
    public void Meter_units_convert_within_their_dimension(double value, string from, string to, double expected)
    {
        Assert.That(MeterUnits.TryConvert(value, from, to, out var converted, out _), Is.True);
        Assert.That(converted, Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void Meter_units_of_different_dimensions_do_not_convert()
    {
        Assert.That(MeterUnits.TryConvert(1, "Wh", "m3", out _, out var reason), Is.False);
        Assert.That(reason, Is.EqualTo("the meter sent energy in 'Wh', which cannot be given in 'm3'"));
    }
}
