using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Modbus;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Acquisition;

[Category("Unit")]
public sealed class ModbusMasterFactoryTests
{
    private readonly ModbusMasterFactory _factory = new(TimeProvider.System, NullLoggerFactory.Instance);

    [Test]
    public async Task A_tcp_bus_gets_a_modbus_tcp_master_at_its_endpoint()
    {
        await using var master = _factory.Create(ModbusLink.Tcp(new DeviceEndpoint("192.0.2.10", 1502)));

        Assert.That(master, Is.TypeOf<ModbusTcpMaster>());
        Assert.That(((ModbusTcpMaster)master).Endpoint, Does.Contain("192.0.2.10").And.Contain("1502"));
    }

    [Test]
    public async Task An_rtu_bus_gets_an_rtu_master_on_its_serial_port_without_opening_it_yet()
    {
        var link = new ModbusLink("rs485-1", BusKind.Rtu, null, new SerialLine("/dev/civicedge-no-such-port", 19200, 'N', 8, 1));

        await using var master = _factory.Create(link);

        Assert.That(master, Is.TypeOf<ModbusRtuMaster>());
        Assert.That(((ModbusRtuMaster)master).Endpoint, Does.Contain("/dev/civicedge-no-such-port"));
    }

    [Test]
    public async Task An_rtu_over_tcp_bus_gets_an_rtu_master_timed_for_the_line_behind_the_converter()
    {
        var link = new ModbusLink("converter", BusKind.RtuOverTcp, new DeviceEndpoint("192.0.2.30", 4001), null, LineBaud: 115200);

        await using var master = _factory.Create(link);

        Assert.That(master, Is.TypeOf<ModbusRtuMaster>());
        Assert.That(((ModbusRtuMaster)master).Endpoint, Does.Contain("192.0.2.30"));
    }
}
