using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Configuration;

namespace CivicEdge.Gateway.Tests.Configuration;

[Category("Unit")]
public sealed class DesiredConfigurationReaderTests
{
    [Test]
    public void Buses_and_devices_bind_like_the_configuration_file_with_keys_in_any_case()
    {
        var failures = new List<string>();

        var options = DesiredConfigurationReader.Read(Desired(
            """[{"id":"rs485-1","kind":"rtu","path":"/dev/ttyUSB0","baud":19200,"responseTimeout":"300ms"}]""",
            """[{"Id":"mtr-1","Profile":"test-meter","bus":"rs485-1","unit":3,"pollInterval":"2s","priority":"high"}]"""), failures);

        Assert.That(failures, Is.Empty);
        var bus = options.Buses.Single();
        Assert.That((bus.Id, bus.Kind, bus.Path, bus.Baud, bus.ResponseTimeout), Is.EqualTo(("rs485-1", "rtu", "/dev/ttyUSB0", 19200, TimeSpan.FromMilliseconds(300))));
        var device = options.Devices.Single();
        Assert.That((device.Id, device.Profile, device.Bus, device.Unit, device.PollInterval, device.Priority),
            Is.EqualTo(("mtr-1", "test-meter", "rs485-1", 3, TimeSpan.FromSeconds(2), "high")));
    }

    [Test]
    public void Every_misspelt_key_wrong_value_and_nested_value_is_named_by_its_key()
    {
        var failures = new List<string>();

        DesiredConfigurationReader.Read(Desired(
            "[]",
            """[{"id":"a","profile":"test-meter","unti":3},{"id":"b","unit":1.5},{"id":"c","bus":{"id":"x"}},42]"""), failures);

        Assert.That(failures, Has.Count.EqualTo(4));
        Assert.That(failures[0], Does.StartWith("Devices:3 is 42; expected an object"));
        Assert.That(failures, Has.Some.StartsWith("Devices:0:unti is not a known key"));
        Assert.That(failures, Has.Some.EqualTo("Devices:1:unit is '1.5'; expected a whole number."));
        Assert.That(failures, Has.Some.EqualTo("Devices:2:bus has nested keys; expected a single value."));
    }

    [Test]
    public void An_empty_device_object_still_counts_so_that_its_missing_id_is_reported()
    {
        var failures = new List<string>();

        var options = DesiredConfigurationReader.Read(Desired("[]", "[{}]"), failures);

        Assert.That(failures, Is.Empty);
        Assert.That(options.Devices.Single().Id, Is.Empty, "validation names Devices:0:Id next");
    }

    private static DesiredConfiguration Desired(string buses, string devices) => new(
        JsonSerializer.Deserialize<List<JsonElement>>(buses)!,
        JsonSerializer.Deserialize<List<JsonElement>>(devices)!,
        []);
}
