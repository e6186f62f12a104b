using System.Globalization;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// Resolves the <c>Buses</c> and <c>Devices</c> arrays into the buses to open and the devices on each. A device names
/// its bus in <c>Bus</c>; a device with only an <c>Endpoint</c> gets an implicit Modbus TCP bus, shared with every other
/// device at the same endpoint, so configurations written before buses existed keep working.
/// </summary>
public static class BusPlan
{
    /// <summary>The accepted bus kinds, for error messages.</summary>
    public const string ExpectedKind = "tcp, rtu, rtu-over-tcp, mbus, cjt188 or dlt645";

    /// <summary>The usual speed of a Modbus RTU line, when a bus does not say.</summary>
    public const int DefaultModbusBaud = 9600;

    /// <summary>
    /// The usual speed of a meter line when a bus does not say: 2400 Bd is the M-Bus default (EN 13757-2 §4) and the
    /// common one of CJ/T 188 and DL/T 645-2007 meters.
    /// </summary>
    public const int DefaultMeterBaud = 2400;

    /// <summary>The accepted priorities, for error messages.</summary>
    public const string ExpectedPriority = "high, normal or low";

    /// <summary>Resolves <paramref name="options"/>, adding every problem to <paramref name="failures"/> with its key.</summary>
    /// <returns>The buses that have devices, in the order their first device is configured; devices in error are left out.</returns>
    public static IReadOnlyList<BusAssignment> Resolve(DevicesOptions options, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);

        var links = new Dictionary<string, ModbusLink>(StringComparer.Ordinal);
        for (var i = 0; i < options.Buses.Count; i++)
        {
            if (ReadBus(options.Buses[i], $"{DevicesOptions.BusesSectionName}:{i}", links, failures) is { } link)
                links.Add(link.Id, link);
        }

        var assigned = new Dictionary<string, (ModbusLink Link, List<DeviceOptions> Devices)>(StringComparer.Ordinal);
        var order = new List<string>();
        var units = new Dictionary<(string Bus, int Unit), int>();
        var addresses = new Dictionary<(string Bus, string Address), int>();
        for (var i = 0; i < options.Devices.Count; i++)
        {
            var device = options.Devices[i];
            var key = $"{DevicesOptions.SectionName}:{i}";
            if (!TryParsePriority(device.Priority, out _))
                failures.Add($"{key}:Priority is '{device.Priority}'; expected {ExpectedPriority}.");
            if (LinkOf(device, key, links, options.Buses.Count > 0, failures) is not { } link)
                continue;

            if (link.IsMeterLine)
            {
                if (!MeterDeviceAddress.TryParse(link.Kind, device.Address, out var address, out var problem))
                {
                    failures.Add($"{key}:Address {problem}");
                    continue;
                }
                if (!addresses.TryAdd((link.Id, address.ToString()), i))
                {
                    failures.Add($"{key}:Address {address} is already used on bus '{link.Id}' by {DevicesOptions.SectionName}:{addresses[(link.Id, address.ToString())]}; " +
                        "expected every meter on a line to have its own address.");
                    continue;
                }
            }
            else if (device.Address is not null)
            {
                failures.Add($"{key}:Address is set on a device of the Modbus bus '{link.Id}'; expected Unit for a Modbus device (Address is for meters on an mbus, cjt188 or dlt645 bus).");
                continue;
            }
            else if (link.IsHalfDuplex && !units.TryAdd((link.Id, device.Unit), i))
            {
                failures.Add($"{key}:Unit {device.Unit} is already used on bus '{link.Id}' by {DevicesOptions.SectionName}:{units[(link.Id, device.Unit)]}; " +
                    "expected every device on a serial bus to have its own unit identifier.");
                continue;
            }

            if (!assigned.TryGetValue(link.Id, out var entry))
            {
                assigned[link.Id] = entry = (link, []);
                order.Add(link.Id);
            }
            entry.Devices.Add(device);
        }

        return [.. order.Select(id => new BusAssignment(assigned[id].Link, assigned[id].Devices))];
    }

    /// <summary>Resolves <paramref name="options"/> that have passed validation.</summary>
    /// <exception cref="InvalidOperationException">The options have problems; the message lists them.</exception>
    public static IReadOnlyList<BusAssignment> Resolve(DevicesOptions options)
    {
        var failures = new List<string>();
        var plan = Resolve(options, failures);
        return failures.Count == 0 ? plan : throw new InvalidOperationException(string.Join(Environment.NewLine, failures));
    }

    /// <summary>Parses <c>tcp</c>, <c>rtu</c>, <c>rtu-over-tcp</c>, <c>mbus</c>, <c>cjt188</c> or <c>dlt645</c>, ignoring case.</summary>
    public static bool TryParseKind(string? text, out BusKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "tcp":
                kind = BusKind.Tcp;
                return true;
            case "rtu":
                kind = BusKind.Rtu;
                return true;
            case "rtu-over-tcp":
                kind = BusKind.RtuOverTcp;
                return true;
            case "mbus":
                kind = BusKind.MBus;
                return true;
            case "cjt188":
                kind = BusKind.CjT188;
                return true;
            case "dlt645":
                kind = BusKind.Dlt645;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>The configuration name of <paramref name="kind"/>, e.g. <c>rtu-over-tcp</c>.</summary>
    public static string KindName(BusKind kind) => kind switch
    {
        BusKind.Tcp => "tcp",
        BusKind.Rtu => "rtu",
        BusKind.RtuOverTcp => "rtu-over-tcp",
        BusKind.MBus => "mbus",
        BusKind.CjT188 => "cjt188",
        _ => "dlt645",
    };

    /// <summary>Parses <c>high</c>, <c>normal</c> or <c>low</c>, ignoring case; absent means normal.</summary>
    public static bool TryParsePriority(string? text, out DevicePriority priority)
    {
        priority = DevicePriority.Normal;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        return text.Trim().ToLowerInvariant() switch
        {
            "high" => Set(DevicePriority.High, out priority),
            "normal" => Set(DevicePriority.Normal, out priority),
            "low" => Set(DevicePriority.Low, out priority),
            _ => false,
        };
    }

    private static bool Set(DevicePriority value, out DevicePriority priority)
    {
        priority = value;
        return true;
    }

    private static ModbusLink? LinkOf(DeviceOptions device, string key, Dictionary<string, ModbusLink> links, bool busesConfigured, List<string> failures)
    {
        var hasBus = !string.IsNullOrWhiteSpace(device.Bus);
        var hasEndpoint = !string.IsNullOrWhiteSpace(device.Endpoint);
        if (hasBus && hasEndpoint)
        {
            failures.Add($"{key} has both Bus '{device.Bus}' and Endpoint '{device.Endpoint}'; expected one of them (the bus knows its endpoint).");
            return null;
        }
        if (hasBus)
        {
            if (links.TryGetValue(device.Bus!, out var link))
                return link;
            var known = links.Count == 0 ? "no valid buses are configured" : $"known buses: {string.Join(", ", links.Keys)}";
            failures.Add($"{key}:Bus '{device.Bus}' is not a configured bus; {known}.");
            return null;
        }
        if (DeviceEndpoint.TryParse(device.Endpoint, out var endpoint))
            return ModbusLink.Tcp(endpoint);

        failures.Add(hasEndpoint || !busesConfigured
            ? $"{key}:Endpoint '{device.Endpoint}' is not an endpoint; expected {DeviceEndpoint.Expected}."
            : $"{key}:Bus is missing; expected the Id of one of the {DevicesOptions.BusesSectionName}, or an Endpoint {DeviceEndpoint.Expected}.");
        return null;
    }

    private static ModbusLink? ReadBus(BusOptions bus, string key, Dictionary<string, ModbusLink> links, List<string> failures)
    {
        var before = failures.Count;
        if (string.IsNullOrWhiteSpace(bus.Id))
            failures.Add($"{key}:Id is missing; expected a name for the bus, e.g. rs485-1.");
        else if (links.ContainsKey(bus.Id))
            failures.Add($"{key}:Id '{bus.Id}' is already used by another bus; expected every bus id once.");

        if (!TryParseKind(bus.Kind, out var kind))
        {
            failures.Add($"{key}:Kind is '{bus.Kind}'; expected {ExpectedKind}.");
            return null;
        }

        DeviceEndpoint? endpoint = null;
        SerialLine? serial = null;
        var isMeterLine = kind is BusKind.MBus or BusKind.CjT188 or BusKind.Dlt645;
        if (isMeterLine)
        {
            var hasPath = !string.IsNullOrWhiteSpace(bus.Path);
            if (hasPath == (bus.Endpoint is not null))
            {
                failures.Add($"{key}: a {KindName(kind)} bus has {(hasPath ? "both Path and Endpoint" : "neither Path nor Endpoint")}; expected Path for a local serial port " +
                    $"(e.g. /dev/ttyUSB0) or Endpoint for a transparent serial-to-TCP converter ({DeviceEndpoint.Expected}).");
            }
            else if (hasPath)
            {
                serial = ReadSerial(bus, key, failures, DefaultMeterBaud, KindName(kind));
            }
            else if (!DeviceEndpoint.TryParse(bus.Endpoint, out endpoint))
            {
                failures.Add($"{key}:Endpoint '{bus.Endpoint}' is not an endpoint; expected {DeviceEndpoint.Expected}.");
            }
        }
        else if (kind == BusKind.Rtu)
        {
            serial = ReadSerial(bus, key, failures, DefaultModbusBaud, "RTU");
            if (bus.Endpoint is not null)
                failures.Add($"{key}:Endpoint is set on an rtu bus; expected Path for a local serial port, or Kind rtu-over-tcp for a converter.");
        }
        else
        {
            if (!DeviceEndpoint.TryParse(bus.Endpoint, out endpoint))
                failures.Add($"{key}:Endpoint '{bus.Endpoint}' is not an endpoint; expected {DeviceEndpoint.Expected}.");
            if (bus.Path is not null)
                failures.Add($"{key}:Path is set on a {bus.Kind} bus; expected Endpoint only (Path is for Kind rtu).");
        }

        if (bus.ResponseTimeout is { } timeout && timeout <= TimeSpan.Zero)
            failures.Add($"{key}:ResponseTimeout is {timeout}; expected a positive duration such as 500ms.");
        if (bus.Retries is < 0 or > 10)
            failures.Add($"{key}:Retries is {bus.Retries}; expected 0..10.");
        if (bus.TurnaroundDelay is { } turnaround && turnaround < TimeSpan.Zero)
            failures.Add($"{key}:TurnaroundDelay is {turnaround}; expected zero or a positive duration such as 5ms.");

        var lineBaud = bus.Baud ?? (isMeterLine ? DefaultMeterBaud : DefaultModbusBaud);
        if ((kind == BusKind.RtuOverTcp || (isMeterLine && endpoint is not null)) && lineBaud <= 0)
            failures.Add($"{key}:Baud is {bus.Baud}; expected the bit rate of the line behind the converter, such as {(isMeterLine ? DefaultMeterBaud : DefaultModbusBaud)}.");

        return failures.Count != before ? null
            : new ModbusLink(bus.Id, kind, endpoint, serial, bus.ResponseTimeout, bus.Retries, bus.TurnaroundDelay,
                kind == BusKind.RtuOverTcp || (isMeterLine && endpoint is not null) ? lineBaud : null);
    }

    private static SerialLine? ReadSerial(BusOptions bus, string key, List<string> failures, int defaultBaud, string protocol)
    {
        var before = failures.Count;
        var baud = bus.Baud ?? defaultBaud;
        if (string.IsNullOrWhiteSpace(bus.Path))
            failures.Add($"{key}:Path is missing; expected the serial port of the rtu bus, e.g. /dev/ttyUSB0.");
        if (baud <= 0)
            failures.Add($"{key}:Baud is {baud}; expected a positive bit rate such as {defaultBaud}.");
        var parity = bus.Parity.Trim().ToUpperInvariant();
        if (parity is not ("N" or "E" or "O"))
            failures.Add($"{key}:Parity is '{bus.Parity}'; expected N, E or O.");
        // RTU carries 8-bit bytes (Modbus over Serial Line V1.02 §2.5.1); 7 data bits is ASCII mode only. M-Bus (EN
        // 13757-2 §4), CJ/T 188 and DL/T 645 send 8-bit bytes too.
        if (bus.DataBits != 8)
            failures.Add($"{key}:DataBits is {bus.DataBits.ToString(CultureInfo.InvariantCulture)}; expected 8 ({protocol} sends 8-bit bytes).");
        if (bus.StopBits is not (1 or 2))
            failures.Add($"{key}:StopBits is {bus.StopBits}; expected 1 or 2.");
        return failures.Count != before ? null : new SerialLine(bus.Path!, baud, parity[0], bus.DataBits, bus.StopBits);
    }
}
