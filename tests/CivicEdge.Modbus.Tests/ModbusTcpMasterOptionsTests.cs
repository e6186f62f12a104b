namespace CivicEdge.Modbus.Tests;

[Category("Unit")]
public sealed class ModbusTcpMasterOptionsTests
{
    [Test]
    public void The_defaults_are_the_Modbus_port_and_sane_timeouts()
    {
        var options = new ModbusTcpMasterOptions();

        Assert.That(options.Port, Is.EqualTo(502));
        Assert.That(options.ConnectTimeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(options.ResponseTimeout, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(options.Retries, Is.EqualTo(1));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void The_master_refuses_an_empty_host(string host)
    {
        var options = new ModbusTcpMasterOptions { Host = host };

        Assert.That(() => new ModbusTcpMaster(options),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("Host"));
    }

    [TestCase(0)]
    [TestCase(65536)]
    public void The_master_refuses_a_port_outside_1_to_65535(int port)
    {
        var options = new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = port };

        Assert.That(() => new ModbusTcpMaster(options),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains($"Port must be 1..65535; found {port}"));
    }

    [TestCase(0, 1000, "ConnectTimeout")]
    [TestCase(3000, 0, "ResponseTimeout")]
    [TestCase(3000, -5, "ResponseTimeout")]
    public void The_master_refuses_a_timeout_that_is_not_positive(int connectMs, int responseMs, string option)
    {
        var options = new ModbusTcpMasterOptions
        {
            Host = "127.0.0.1",
            ConnectTimeout = TimeSpan.FromMilliseconds(connectMs),
            ResponseTimeout = TimeSpan.FromMilliseconds(responseMs),
        };

        Assert.That(() => new ModbusTcpMaster(options),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo(option));
    }

    [Test]
    public void The_master_refuses_negative_retries()
    {
        var options = new ModbusTcpMasterOptions { Host = "127.0.0.1", Retries = -1 };

        Assert.That(() => new ModbusTcpMaster(options),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("Retries"));
    }
}
