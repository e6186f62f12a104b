using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Hosting;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static CivicEdge.Gateway.Tests.Support.GatewayConfigurations;

namespace CivicEdge.Gateway.Tests.Configuration;

[Category("Unit")]
public sealed class OptionsValidationTests
{
    private TempDirectory _directory = null!;
    private string _profiles = null!;
    private string _data = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory();
        var profiles = Directory.CreateDirectory(_directory.File("profiles")).FullName;
        File.WriteAllText(Path.Combine(profiles, "test-meter.yaml"), TestProfiles.MeterYaml);
        _profiles = profiles;
        _data = _directory.File("gateway.db");
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void A_valid_configuration_passes_and_unset_keys_take_their_defaults()
    {
        var settings = Valid(_profiles, _data);
        settings.Remove("Gateway:DataPath");
        settings.Remove("Devices:0:Unit");
        Assert.That(Problems(settings), Is.Empty);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddCivicEdgeGateway(configuration).BuildServiceProvider();
        var gateway = provider.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var uplink = provider.GetRequiredService<IOptions<UplinkOptions>>().Value;
        var device = provider.GetRequiredService<IOptions<DevicesOptions>>().Value.Devices.Single();

        Assert.That((gateway.Id, gateway.DataPath, gateway.ProfilesPath), Is.EqualTo(("gw-test-01", "civicedge-gateway.db", (string?)_profiles)));
        Assert.That((uplink.Host, uplink.Port, uplink.BatchSize, uplink.MaxInFlight), Is.EqualTo(("127.0.0.1", 1883, 200, 4)));
        Assert.That((device.Id, device.Profile, device.Endpoint, device.Unit, device.PollInterval),
            Is.EqualTo(("mtr-test-01", TestProfiles.MeterModel, "tcp://127.0.0.1:5020", 1, (TimeSpan?)null)));
    }

    [Test]
    public void A_missing_gateway_id_is_named()
    {
        var problems = Problems(Valid(_profiles, _data, ("Gateway:Id", null)));

        Assert.That(problems, Has.One.StartsWith("Gateway:Id is missing"));
    }

    [TestCase("gw/01")]
    [TestCase("gw+")]
    [TestCase("#")]
    public void A_gateway_id_that_is_not_one_topic_level_is_named(string id)
    {
        var problems = Problems(Valid(_profiles, _data, ("Gateway:Id", id)));

        Assert.That(problems, Has.One.StartsWith($"Gateway:Id '{id}' is not a single MQTT topic level"));
    }

    [Test]
    public void An_unknown_profile_is_named_with_the_models_there_are()
    {
        var problems = Problems(Valid(_profiles, _data, ("Devices:0:Profile", "eastron-sdm999")));

        Assert.That(problems.Single(), Does.StartWith("Devices:0:Profile 'eastron-sdm999' is not a known hardware profile")
            .And.Contain(TestProfiles.MeterModel));
    }

    [Test]
    public void A_repeated_device_id_is_named_with_its_first_use()
    {
        var problems = Problems(Valid(_profiles, _data,
            ("Devices:1:Id", "mtr-test-01"), ("Devices:1:Profile", TestProfiles.MeterModel), ("Devices:1:Endpoint", "tcp://127.0.0.1:5021")));

        Assert.That(problems.Single(), Is.EqualTo("Devices:1:Id 'mtr-test-01' is already used by Devices:0; expected every device id once."));
    }

    [TestCase("Devices:0:Endpoint", "http://127.0.0.1:502", "Devices:0:Endpoint 'http://127.0.0.1:502' is not an endpoint")]
    [TestCase("Devices:0:Endpoint", "127.0.0.1:502", "Devices:0:Endpoint '127.0.0.1:502' is not an endpoint")]
    [TestCase("Devices:0:Unit", "0", "Devices:0:Unit is 0; expected a Modbus unit identifier 1..247")]
    [TestCase("Devices:0:Unit", "248", "Devices:0:Unit is 248; expected a Modbus unit identifier 1..247")]
    [TestCase("Devices:0:PollInterval", "0s", "Devices:0:PollInterval is 00:00:00; expected a positive duration")]
    [TestCase("Devices:0:Id", "", "Devices:0:Id is missing")]
    [TestCase("Uplink:Port", "70000", "Uplink:Port is 70000; expected 1..65535")]
    [TestCase("Uplink:BatchSize", "0", "Uplink:BatchSize is 0; expected 1..10000")]
    [TestCase("Uplink:AckTimeout", "-00:00:01", "Uplink:AckTimeout is -00:00:01; expected a positive duration")]
    [TestCase("Gateway:DataPath", " ", "Gateway:DataPath is empty")]
    public void A_bad_value_is_named_by_its_key(string key, string value, string expected)
    {
        var problems = Problems(Valid(_profiles, _data, (key, value)));

        Assert.That(problems, Has.One.StartsWith(expected));
    }

    [Test]
    public void A_device_value_that_cannot_be_converted_is_named_instead_of_the_device_being_dropped()
    {
        var problems = Problems(Valid(_profiles, _data, ("Devices:0:Unit", "one")));

        Assert.That(problems.Single(), Is.EqualTo("Devices:0:Unit is 'one'; expected a whole number."));
    }

    [TestCase("5s", 5_000)]
    [TestCase("500ms", 500)]
    [TestCase("1m", 60_000)]
    [TestCase("00:00:02", 2_000)]
    public void A_duration_is_accepted_as_profiles_write_it_or_as_a_time_span(string text, int milliseconds)
    {
        var settings = Valid(_profiles, _data, ("Devices:0:PollInterval", text), ("Uplink:AckTimeout", text));
        Assert.That(Problems(settings), Is.Empty);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddCivicEdgeGateway(configuration).BuildServiceProvider();

        var expected = TimeSpan.FromMilliseconds(milliseconds);
        Assert.That(provider.GetRequiredService<IOptions<DevicesOptions>>().Value.Devices.Single().PollInterval, Is.EqualTo(expected));
        Assert.That(provider.GetRequiredService<IOptions<UplinkOptions>>().Value.AckTimeout, Is.EqualTo(expected));
    }

    [Test]
    public void A_duration_in_neither_form_is_named()
    {
        var problems = Problems(Valid(_profiles, _data, ("Devices:0:PollInterval", "5 seconds")));

        Assert.That(problems.Single(), Is.EqualTo($"Devices:0:PollInterval is '5 seconds'; expected {StrictBinding.ExpectedDuration}."));
    }

    [Test]
    public void A_misspelt_key_is_named_with_the_keys_that_exist()
    {
        var problems = Problems(Valid(_profiles, _data, ("Devices:0:Adress", "tcp://x"), ("Uplink:Prot", "1883")));

        Assert.That(problems, Has.One.StartsWith("Devices:0:Adress is not a known key").And.Contain("Devices:0:Endpoint"));
        Assert.That(problems, Has.One.StartsWith("Uplink:Prot is not a known key").And.Contain("Uplink:Port"));
    }

    [Test]
    public void A_profiles_path_that_does_not_exist_is_named()
    {
        var missing = _directory.File("no-such-dir");

        var problems = Problems(Valid(missing, _data));

        Assert.That(problems, Has.One.StartsWith($"Gateway:ProfilesPath '{missing}' does not exist"));
    }

    [Test]
    public void An_invalid_profile_is_reported_against_the_profiles_path_with_its_file_and_line()
    {
        File.WriteAllText(Path.Combine(_profiles, "broken.yaml"), TestProfiles.MeterYaml.Replace("model: test-meter", "model: broken").Replace("type: int16", "type: int17"));

        var problems = Problems(Valid(_profiles, _data));

        Assert.That(problems.Single(), Does.StartWith("Gateway:ProfilesPath: ").And.Contain("broken.yaml:").And.Contain("int17"));
    }

    [Test]
    public void Problems_in_every_section_are_reported_together()
    {
        var problems = Problems(Valid(_profiles, _data, ("Gateway:Id", "a/b"), ("Uplink:Port", "0"), ("Devices:0:Unit", "300")));

        Assert.That(problems, Has.Count.EqualTo(3));
        Assert.That(problems.Select(p => p.Split(' ')[0]), Is.EquivalentTo(new[] { "Gateway:Id", "Uplink:Port", "Devices:0:Unit" }));
    }
}
