using System.Text.Json;
using CivicEdge.Fleet.Cli.Modbus;

namespace CivicEdge.Fleet.Cli.Tests.Modbus;

[Category("Integration")]
public sealed class ModbusInfoTests
{
    [Test]
    public async Task Info_lists_the_identification_objects_the_device_reports()
    {
        await using var server = await ModbusTestServer.StartAsync();
        server.Bank.Identification.VendorName = "Eastron";
        server.Bank.Identification.ProductCode = "SDM630";
        server.Bank.Identification.MajorMinorRevision = "2.1";
        server.Bank.Identification.ModelName = "SDM630-Modbus-V2";

        var (exit, output) = await CivicRun.RunAsync("modbus", "info", "--tcp", server.Endpoint, "--level", "regular", "--json");

        Assert.That(exit, Is.Zero, output);
        using var json = JsonDocument.Parse(output);
        var objects = json.RootElement.GetProperty("objects").EnumerateArray()
            .ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("value").GetString());
        Assert.That(objects, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["VendorName"] = "Eastron",
            ["ProductCode"] = "SDM630",
            ["MajorMinorRevision"] = "2.1",
            ["ModelName"] = "SDM630-Modbus-V2",
        }));
    }

    [Test]
    public async Task Info_as_a_table_names_each_object()
    {
        await using var server = await ModbusTestServer.StartAsync();
        server.Bank.Identification.VendorName = "CivicEdge";
        server.Bank.Identification.ProductCode = "PC-1";
        server.Bank.Identification.MajorMinorRevision = "1.0";

        var (exit, output) = await CivicRun.RunAsync("modbus", "info", "--tcp", server.Endpoint);

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("0x00 VendorName").And.Contain("CivicEdge").And.Contain("0x02 MajorMinorRevision").And.Contain("1.0"));
    }

    [Test]
    public async Task Info_with_an_unknown_level_says_which_levels_exist()
    {
        var (exit, output) = await CivicRun.RunAsync("modbus", "info", "--tcp", "127.0.0.1:502", "--level", "all");

        Assert.That(exit, Is.EqualTo(ModbusExitCodes.Usage));
        Assert.That(output, Does.Contain("--level: expected basic, regular or extended; found 'all'"));
    }
}
