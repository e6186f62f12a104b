using CivicEdge.Gateway.Configuration;

namespace CivicEdge.Gateway.Tests.Configuration;

[Category("Unit")]
public sealed class DeviceEndpointTests
{
    [TestCase("tcp://127.0.0.1:5020", "127.0.0.1", 5020)]
    [TestCase("tcp://meter-7.local:1502", "meter-7.local", 1502)]
    [TestCase("tcp://192.0.2.10", "192.0.2.10", 502)]
    [TestCase("tcp://[::1]:5020", "::1", 5020)]
    public void A_tcp_endpoint_is_parsed(string text, string host, int port)
    {
        Assert.That(DeviceEndpoint.TryParse(text, out var endpoint), Is.True);

        Assert.That(endpoint, Is.EqualTo(new DeviceEndpoint(host, port)));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("127.0.0.1:502")]
    [TestCase("udp://127.0.0.1:502")]
    [TestCase("tcp://127.0.0.1:502/unit/1")]
    [TestCase("tcp://user@127.0.0.1:502")]
    [TestCase("tcp://127.0.0.1:99999")]
    public void Anything_but_tcp_host_port_is_refused(string? text)
    {
        Assert.That(DeviceEndpoint.TryParse(text, out var endpoint), Is.False);
        Assert.That(endpoint, Is.Null);
    }

    [Test]
    public void An_endpoint_prints_as_it_is_written()
    {
        Assert.That(new DeviceEndpoint("::1", 5020).ToString(), Is.EqualTo("tcp://[::1]:5020"));
        Assert.That(new DeviceEndpoint("127.0.0.1", 502).ToString(), Is.EqualTo("tcp://127.0.0.1:502"));
    }
}
