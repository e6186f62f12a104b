using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Hardware.Tests;

[Category("Unit")]
public sealed class ProfileLoaderTests
{
    private const string Header = """
        schema: civicedge.profile/v1
        model: test-meter
        manufacturer: Test Instruments
        protocol: modbus
        points:

        """;

    private ProfileFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new ProfileFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    /// <summary>A profile with one point whose fields start on line 6, one per line.</summary>
    private static string WithPoint(params string[] fields) =>
        Header + string.Concat(fields.Select((f, i) => (i == 0 ? "  - " : "    ") + f + "\n"));

    private static readonly string[] MinimalPoint = ["name: voltage", "table: input", "address: 0", "type: float32", "unit: V"];

    private ProfileException LoadFails(string fileName, string text)
    {
        var path = _files.Write(fileName, text);
        return Assert.Throws<ProfileException>(() => ProfileLoader.Load(path));
    }

    [Test]
    public void A_minimal_point_gets_the_documented_defaults()
    {
        var path = _files.Write("test-meter.yaml", WithPoint(MinimalPoint));

        var profile = ProfileLoader.LoadFile(path);
        var point = profile.Points.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(profile.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(profile.Description, Is.Null);
            Assert.That(profile.SourceFile, Is.EqualTo(path));
            Assert.That(point, Is.EqualTo(new PointDefinition(
                "voltage", null, RegisterTable.InputRegisters, 0, RegisterDataType.Float32, RegisterOrder.ABCD,
                1.0, 0.0, "V", null, null, false, null)));
        }
    }

    [Test]
    public void Every_point_field_is_read()
    {
        var text = WithPoint(
            "name: supply_temperature", "quantity: temperature", "table: Holding", "address: 0x0048", "type: int16",
            "order: cdab", "scale: 0.1", "offset: -40", "unit: °C", "min: -40", "max: 1.5e2", "writable: true",
            "description: Flow temperature") + "pollInterval: 500ms\ndescription: A heat meter\n";

        var profile = ProfileLoader.Parse(text, "heat.yaml");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(profile.PollInterval, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(profile.Description, Is.EqualTo("A heat meter"));
            Assert.That(profile.Points.Single(), Is.EqualTo(new PointDefinition(
                "supply_temperature", "temperature", RegisterTable.HoldingRegisters, 0x48, RegisterDataType.Int16,
                RegisterOrder.CDAB, 0.1, -40, "°C", -40, 150, true, "Flow temperature")));
        }
    }

    [Test]
    public void An_unknown_type_is_reported_with_file_line_field_and_the_accepted_types()
    {
        var error = LoadFails("bad.yaml", WithPoint("name: voltage", "table: input", "address: 0", "type: float", "unit: V"));

        Assert.That(error.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "bad.yaml:9: points[0].type: expected one of int16, uint16, int32, uint32, int64, float32, float64, bcd16, bcd32, string, bool; found 'float'",
        }));
    }

    [Test]
    public void A_misspelt_field_is_an_error_that_suggests_the_field_meant()
    {
        var error = LoadFails("typo.yaml", WithPoint("name: voltage", "table: input", "adress: 0", "type: float32", "unit: V"));

        Assert.That(error.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "typo.yaml:6: points[0].address: missing; expected a zero-based protocol address 0..65535, decimal or hex (0x0000..0xFFFF)",
            "typo.yaml:8: points[0].adress: unknown field; did you mean 'address'?",
        }));
    }

    [Test]
    public void A_field_far_from_any_known_one_lists_the_fields_there_are()
    {
        var error = LoadFails("extra.yaml", Header.Replace("protocol: modbus", "protocol: modbus\ncolour: blue", StringComparison.Ordinal)
            + "  - " + string.Join("\n    ", MinimalPoint) + "\n");

        Assert.That(error.Errors.Single().ToString(), Is.EqualTo(
            "extra.yaml:5: colour: unknown field; expected one of schema, model, manufacturer, description, protocol, pollInterval, maxSilence, meterType, identifierOrder, points"));
    }

    [Test]
    public void Every_problem_in_every_file_is_reported_at_once_in_file_and_line_order()
    {
        _files.Write("a.yaml", WithPoint("name: Voltage", "table: input", "address: 0", "type: float32", "unit: V", "scale: 0"));
        _files.Write("b.yaml", WithPoint("name: voltage", "table: coils", "address: 0", "type: float32", "unit: V", "order: XYZW"));

        var error = Assert.Throws<ProfileException>(() => ProfileLoader.LoadDirectory(_files.Directory));

        Assert.That(error.Errors.Select(e => (Path.GetFileName(e.File), e.Line, e.Field)), Is.EqualTo(new[]
        {
            ("a.yaml", 6, "points[0].name"),
            ("a.yaml", 11, "points[0].scale"),
            ("b.yaml", 7, "points[0].table"),
            ("b.yaml", 11, "points[0].order"),
        }));
        Assert.That(error.Message, Does.StartWith("Invalid hardware profiles (4 errors):"));
    }

    [TestCase("address: 70000", 8, "points[0].address", "expected a zero-based protocol address 0..65535, decimal or hex (0x0000..0xFFFF); found '70000'")]
    [TestCase("address: 0xFFFF", 8, "points[0].address", "a float32 point needs 2 registers, so its address must be at most 0xFFFE; found '0xFFFF'")]
    [TestCase("address: -1", 8, "points[0].address", "found '-1'")]
    [TestCase("scale: 0", 11, "points[0].scale", "expected a non-zero scale")]
    [TestCase("scale: .nan", 11, "points[0].scale", "expected a finite decimal number such as 0.1 or 1e-3; found '.nan'")]
    [TestCase("offset: ten", 11, "points[0].offset", "found 'ten'")]
    [TestCase("unit: ''", 10, "points[0].unit", "expected a unit symbol")]
    [TestCase("min: 10\n    max: 10", 12, "points[0].max", "expected a value greater than min (10); found '10'")]
    [TestCase("writable: true", 11, "points[0].writable", "input registers are read-only")]
    [TestCase("writable: yes", 11, "points[0].writable", "expected true or false; found 'yes'")]
    [TestCase("name: [a, b]", 6, "points[0].name", "expected a single value; found a list")]
    public void An_invalid_point_field_is_reported_where_it_is(string replacement, int line, string field, string message)
    {
        // The replacement takes the place of the minimal point's field with the same key, or comes after the others.
        var key = replacement[..(replacement.IndexOf(':', StringComparison.Ordinal) + 1)];
        var index = Array.FindIndex(MinimalPoint, f => f.StartsWith(key, StringComparison.Ordinal));
        string[] fields = index < 0 ? [.. MinimalPoint, replacement] : [.. MinimalPoint[..index], replacement, .. MinimalPoint[(index + 1)..]];

        var error = LoadFails("point.yaml", WithPoint(fields));

        var found = error.Errors.Single();
        Assert.That((found.Line, found.Field), Is.EqualTo((line, field)));
        Assert.That(found.Message, Does.Contain(message));
    }

    [Test]
    public void A_point_name_must_be_snake_case()
    {
        var error = LoadFails("name.yaml", WithPoint("name: Voltage L1", "table: input", "address: 0", "type: float32", "unit: V"));

        Assert.That(error.Errors.Single().ToString(), Does.StartWith("name.yaml:6: points[0].name: expected a snake_case name").And.EndWith("found 'Voltage L1'"));
    }

    [Test]
    public void A_point_name_used_twice_names_the_first_use()
    {
        var text = WithPoint(MinimalPoint) + "  - " + string.Join("\n    ", MinimalPoint).Replace("address: 0", "address: 2", StringComparison.Ordinal) + "\n";

        var error = LoadFails("twice.yaml", text);

        Assert.That(error.Errors.Single().ToString(), Is.EqualTo(
            "twice.yaml:11: points[1].name: duplicate point name 'voltage'; first used by points[0] on line 6"));
    }

    [Test]
    public void Points_that_share_a_register_are_refused()
    {
        var second = new[] { "name: current", "table: input", "address: 1", "type: uint16", "unit: A" };
        var text = WithPoint(MinimalPoint) + "  - " + string.Join("\n    ", second) + "\n";

        var error = LoadFails("overlap.yaml", text);

        Assert.That(error.Errors.Single().ToString(), Is.EqualTo(
            "overlap.yaml:13: points[1].address: registers 0x0001..0x0001 overlap those of 'voltage' (points[0], 0x0000..0x0001) " +
            "in the input table; expected each register to belong to one point"));
    }

    [Test]
    public void The_same_address_in_different_tables_is_no_overlap()
    {
        var second = new[] { "name: setpoint", "table: holding", "address: 0", "type: float32", "unit: V" };

        var profile = ProfileLoader.Parse(WithPoint(MinimalPoint) + "  - " + string.Join("\n    ", second) + "\n", "tables.yaml");

        Assert.That(profile.Points, Has.Count.EqualTo(2));
    }

    [Test]
    public void A_missing_schema_is_reported_with_the_rest()
    {
        var error = LoadFails("noschema.yaml", WithPoint(MinimalPoint)[(Header.IndexOf('\n', StringComparison.Ordinal) + 1)..].Replace("unit: V", "unit:", StringComparison.Ordinal));

        Assert.That(error.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "noschema.yaml:1: schema: missing; expected 'civicedge.profile/v1' as the first field",
            "noschema.yaml:9: points[0].unit: expected a unit symbol such as V, A, W, kWh, Hz or 1 for a dimensionless quantity; found nothing",
        }));
    }

    [Test]
    public void Another_schema_version_is_the_only_error_reported()
    {
        var text = WithPoint("name: x", "address: banana").Replace("/v1", "/v2", StringComparison.Ordinal) + "sensors: []\n";

        var error = LoadFails("future.yaml", text);

        Assert.That(error.Errors.Single().ToString(), Is.EqualTo(
            "future.yaml:1: schema: unsupported schema; expected 'civicedge.profile/v1'; found 'civicedge.profile/v2'"));
    }

    [Test]
    public void A_model_defined_in_two_files_names_both_files()
    {
        _files.Write("a.yaml", WithPoint(MinimalPoint));
        _files.Write("b.yaml", WithPoint(MinimalPoint).Replace("model: test-meter", "model: Test-Meter", StringComparison.Ordinal));

        var error = Assert.Throws<ProfileException>(() => ProfileLoader.LoadDirectory(_files.Directory));

        Assert.That(error.Errors.Single().ToString(), Is.EqualTo(
            "b.yaml:2: model: model 'Test-Meter' is already defined in a.yaml:2; expected each model in exactly one file"));
    }

    [TestCase("protocol: modbus", "protocol: profibus", 4, "protocol", "expected one of modbus, mbus, cjt188, dlt645, dlt645-1997; found 'profibus'")]
    [TestCase("protocol: modbus", "protocol: modbus\npollInterval: 5 seconds", 5, "pollInterval", "expected a positive duration: a whole number followed by ms, s, m or h (e.g. 500ms, 5s, 1m, 1h); found '5 seconds'")]
    [TestCase("protocol: modbus", "protocol: modbus\npollInterval: 0s", 5, "pollInterval", "found '0s'")]
    [TestCase("protocol: modbus", "protocol: modbus\nmodel: x", 5, "", "not valid YAML: Duplicate key model")]
    [TestCase("schema: civicedge.profile/v1", "schema: ~", 1, "schema", "expected 'civicedge.profile/v1'; found nothing")]
    [TestCase("model: test-meter", "model: ''", 2, "model", "expected a model key such as eastron-sdm630; found nothing")]
    [TestCase("model: test-meter", "model: test meter", 2, "model", "expected a model key without spaces, such as eastron-sdm630; found 'test meter'")]
    [TestCase("manufacturer: Test Instruments", "manufacturer: { name: Test }", 3, "manufacturer", "expected a single value; found a mapping")]
    public void An_invalid_profile_field_is_reported_where_it_is(string find, string replacement, int line, string field, string message)
    {
        var error = LoadFails("profile.yaml", WithPoint(MinimalPoint).Replace(find, replacement, StringComparison.Ordinal));

        var found = error.Errors.Single();
        Assert.That((found.Line, found.Field), Is.EqualTo((line, field)));
        Assert.That(found.Message, Does.Contain(message));
    }

    [Test]
    public void Points_must_be_a_list_of_mappings()
    {
        var error = LoadFails("shape.yaml", Header.Replace("points:", "points: none", StringComparison.Ordinal));
        var items = LoadFails("items.yaml", Header + "  - voltage\n");

        Assert.That(error.Errors.Single().ToString(), Is.EqualTo("shape.yaml:5: points: expected a list of points; found 'none'"));
        Assert.That(items.Errors.Single().ToString(), Is.EqualTo("items.yaml:6: points[0]: expected a mapping of point fields; found 'voltage'"));
    }

    [Test]
    public void A_missing_model_manufacturer_and_protocol_are_each_reported()
    {
        var error = LoadFails("bare.yaml", "schema: civicedge.profile/v1\npoints: []\n");

        Assert.That(error.Errors.Select(e => e.Field), Is.EqualTo(new[] { "model", "manufacturer", "protocol", "points" }));
        Assert.That(error.Errors[^1].Message, Is.EqualTo("expected at least one point; found an empty list"));
    }

    [TestCase("  - name: [voltage\n    unit: V\n", 6)]
    [TestCase("  - name: voltage\n  unit: V\n", 7)]
    [TestCase("  - name: 'voltage\n", 6)]
    public void Broken_yaml_is_reported_at_its_line(string points, int line)
    {
        var error = LoadFails("syntax.yaml", Header + points);

        var found = error.Errors.Single();
        Assert.That(found.ToString(), Does.StartWith($"syntax.yaml:{line}: not valid YAML: "), found.ToString());
    }

    [TestCase("", "the file holds no profile")]
    [TestCase("# only a comment\n", "the file holds no profile")]
    [TestCase("- a\n- b\n", "expected a mapping of profile fields; found a list")]
    [TestCase("schema: civicedge.profile/v1\n---\nschema: civicedge.profile/v1\n", "expected one profile per file; found a second YAML document")]
    public void A_file_that_is_not_one_profile_mapping_is_refused(string text, string message)
    {
        var error = LoadFails("odd.yaml", text);

        Assert.That(error.Errors.Single().Message, Does.StartWith(message));
    }

    [Test]
    public void Load_reads_a_single_file_into_a_catalog()
    {
        var path = _files.Write("one.yml", WithPoint(MinimalPoint));

        var catalog = ProfileLoader.Load(path);

        Assert.That(catalog.Profiles.Select(p => p.Model), Is.EqualTo(new[] { "test-meter" }));
    }

    [Test]
    public void Files_that_are_not_yaml_are_ignored()
    {
        _files.Write("README.md", "# not a profile");

        var catalog = ProfileLoader.Load(_files.Directory);

        Assert.That(catalog.Profiles, Is.Empty);
        Assert.That(() => catalog.Get("test-meter"), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("it holds no profiles"));
    }

    [Test]
    public void Load_of_a_path_that_does_not_exist_says_so()
    {
        var missing = Path.Combine(_files.Directory, "nowhere");

        Assert.That(() => ProfileLoader.Load(missing), Throws.TypeOf<FileNotFoundException>().With.Message.Contains(missing));
    }
}
