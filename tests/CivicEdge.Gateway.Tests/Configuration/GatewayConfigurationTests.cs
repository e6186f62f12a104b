using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CivicEdge.Gateway.Tests.Configuration;

[Category("Unit")]
public sealed class GatewayConfigurationTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TempDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void Later_sources_override_earlier_ones_settings_file_then_config_file_then_environment_then_command_line()
    {
        File.WriteAllText(_directory.File(GatewayConfiguration.SettingsFileName),
            """{ "Gateway": { "Id": "from-settings", "DataPath": "settings.db" }, "Uplink": { "Host": "settings-host", "Port": 1 } }""");
        var configFile = _directory.File("site.json");
        File.WriteAllText(configFile, """{ "Gateway": { "DataPath": "site.db" }, "Uplink": { "Host": "site-host", "Port": 2 } }""");
        const string Variable = "CIVICEDGE_Uplink__Port";
        Environment.SetEnvironmentVariable(Variable, "3");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddGatewaySources(["--config", configFile, "--Uplink:Port=4"], _directory.Path)
                .Build();

            Assert.That(configuration["Gateway:Id"], Is.EqualTo("from-settings"));
            Assert.That(configuration["Gateway:DataPath"], Is.EqualTo("site.db"));
            Assert.That(configuration["Uplink:Host"], Is.EqualTo("site-host"));
            Assert.That(configuration["Uplink:Port"], Is.EqualTo("4"));
            Assert.That(configuration["config"], Is.Null, "--config is not a configuration key");
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    [Test]
    public void Environment_variables_need_the_prefix()
    {
        const string Variable = "CIVICEDGE_Gateway__Id";
        Environment.SetEnvironmentVariable(Variable, "gw-env");
        try
        {
            var configuration = new ConfigurationBuilder().AddGatewaySources([], _directory.Path).Build();

            Assert.That(configuration["Gateway:Id"], Is.EqualTo("gw-env"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    [Test]
    public void Array_entries_can_be_given_on_the_command_line()
    {
        var configuration = new ConfigurationBuilder()
            .AddGatewaySources(["--Devices:0:Id=mtr-1", "--Devices:0:Endpoint=tcp://127.0.0.1:5020"], _directory.Path)
            .Build();

        Assert.That(configuration["Devices:0:Endpoint"], Is.EqualTo("tcp://127.0.0.1:5020"));
    }

    [Test]
    public void A_missing_settings_file_is_fine_but_a_missing_config_file_is_an_error()
    {
        var missing = _directory.File("missing.json");

        Assert.That(() => new ConfigurationBuilder().AddGatewaySources([], _directory.Path).Build(), Throws.Nothing);
        var ex = Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddGatewaySources(["--config", missing], _directory.Path).Build());
        Assert.That(ex.Message, Does.Contain("missing.json"));
    }

    [TestCase("--config a.json", "a.json")]
    [TestCase("--config=b.json", "b.json")]
    [TestCase("--Gateway:Id=x", null)]
    public void The_config_file_is_taken_from_either_form_of_the_switch(string commandLine, string? expected)
    {
        Assert.That(GatewayConfiguration.ConfigFile(commandLine.Split(' ')), Is.EqualTo(expected));
    }

    [TestCase("--config")]
    [TestCase("--config=")]
    public void A_config_switch_without_a_file_is_refused(string commandLine)
    {
        var ex = Assert.Throws<ArgumentException>(() => GatewayConfiguration.ConfigFile(commandLine.Split(' ')));

        Assert.That(ex.Message, Does.Contain("--config"));
    }

    [TestCase("--help", true)]
    [TestCase("--Gateway:Id=x -h", true)]
    [TestCase("--Gateway:Id=help", false)]
    public void Help_is_asked_for_with_help_or_h(string commandLine, bool expected)
    {
        Assert.That(GatewayConfiguration.WantsHelp(commandLine.Split(' ')), Is.EqualTo(expected));
    }

    [Test]
    public void The_usage_text_names_every_configuration_key()
    {
        var keys = typeof(GatewayOptions).GetProperties().Select(p => $"{GatewayOptions.SectionName}:{p.Name}")
            .Concat(typeof(OutboxOptions).GetProperties().Where(p => p.CanWrite).Select(p => $"{OutboxOptions.SectionName}:{p.Name}"))
            .Concat(typeof(UplinkOptions).GetProperties().Select(p => $"{UplinkOptions.SectionName}:{p.Name}"))
            .Concat(typeof(DeviceOptions).GetProperties().Select(p => $"{DevicesOptions.SectionName}:N:{p.Name}"))
            .Concat(typeof(BusOptions).GetProperties().Select(p => $"{DevicesOptions.BusesSectionName}:N:{p.Name}"))
            .Concat(typeof(GpioOptions).GetProperties().Where(p => p.PropertyType.IsValueType || p.PropertyType == typeof(string))
                .Select(p => $"{GpioOptions.SectionName}:{p.Name}"))
            .Concat(typeof(DoorContactOptions).GetProperties().Select(p => $"{GpioOptions.SectionName}:Doors:N:{p.Name}"))
            .Concat(typeof(PulseCounterOptions).GetProperties().Select(p => $"{GpioOptions.SectionName}:PulseCounters:N:{p.Name}"))
            .Concat(typeof(RelayOptions).GetProperties().Select(p => $"{GpioOptions.SectionName}:Relays:N:{p.Name}"))
            .Concat(typeof(DimmerOptions).GetProperties().Select(p => $"{GpioOptions.SectionName}:Dimmers:N:{p.Name}"))
            .Concat(typeof(SimulatedPinOptions).GetProperties().Select(p => $"{GpioOptions.SectionName}:Simulation:N:{p.Name}"))
            .Concat(typeof(RulesOptions).GetProperties().Select(p => $"{RulesOptions.SectionName}:{p.Name}"))
            .Concat(typeof(SelfUpdateOptions).GetProperties().Select(p => $"{SelfUpdateOptions.SectionName}:{p.Name}"));

        Assert.That(keys, Has.All.Matches<string>(key => GatewayUsage.Text.Contains(key + " ", StringComparison.Ordinal)));
    }
}
