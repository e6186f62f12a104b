using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Protocols.Meters.Dlt645;

/// <summary>
/// The data identifiers this codec knows the format of. 2007 energy identifiers follow the pattern of Appendix A
/// Table A.1: <c>00 kind tariff settlement</c> (tariff 00 = total, 01..3F; settlement 00 = current, 01..0C = past
/// settlement dates), all XXXXXX.XX; the combined kinds carry a sign. Variables are Appendix A Table A.3.
/// </summary>
public static class Dlt645DataCatalog
{
    private static readonly string[] EnergyKinds =
    [
        "combined active energy", "forward active energy", "reverse active energy",
        "combined reactive energy 1", "combined reactive energy 2",
        "quadrant I reactive energy", "quadrant II reactive energy", "quadrant III reactive energy", "quadrant IV reactive energy",
        "forward apparent energy", "reverse apparent energy",
    ];

    private static readonly string[] Phases = ["total", "phase A", "phase B", "phase C"];

    private static readonly Dictionary<uint, Dlt645DataItem> Variables2007 = BuildVariables2007();

    private static readonly Dictionary<uint, Dlt645DataItem> Items1997 = new Dlt645DataItem[]
    {
        // DL/T 645-1997 Table B.1 and B.4
        new(0x9010, "forward active energy total", "kWh", 4, 2, false),
        new(0x9020, "reverse active energy total", "kWh", 4, 2, false),
        new(0x9110, "forward reactive energy total", "kvarh", 4, 2, false),
        new(0x9120, "reverse reactive energy total", "kvarh", 4, 2, false),
        new(0xB611, "phase A voltage", "V", 2, 0, false),
        new(0xB612, "phase B voltage", "V", 2, 0, false),
        new(0xB613, "phase C voltage", "V", 2, 0, false),
        new(0xB621, "phase A current", "A", 2, 2, false),
        new(0xB622, "phase B current", "A", 2, 2, false),
        new(0xB623, "phase C current", "A", 2, 2, false),
        new(0xB630, "active power total", "kW", 3, 4, false),
        new(0xB650, "power factor total", "", 2, 3, false),
    }.ToDictionary(item => item.Identifier);

    /// <summary>Finds the format of a 2007 identifier (DI3 DI2 DI1 DI0 as printed, e.g. 0x00010000).</summary>
    public static bool TryFind2007(uint identifier, [NotNullWhen(true)] out Dlt645DataItem? item)
    {
        var di3 = (byte)(identifier >> 24);
        var kind = (byte)(identifier >> 16);
        var tariff = (byte)(identifier >> 8);
        var settlement = (byte)identifier;
        if (di3 == 0x00 && kind < EnergyKinds.Length && tariff <= 0x3F && settlement <= 0x0C)
        {
            var unit = kind switch { <= 2 => "kWh", <= 8 => "kvarh", _ => "kVAh" };
            var name = $"{EnergyKinds[kind]} {(tariff == 0 ? "total" : $"tariff {tariff}")}{(settlement == 0 ? "" : $", settlement {settlement} ago")}";
            item = new Dlt645DataItem(identifier, name, unit, 4, 2, Signed: kind is 0 or 3 or 4);
            return true;
        }

        return Variables2007.TryGetValue(identifier, out item);
    }

    /// <summary>Finds the format of a 1997 identifier (DI1 DI0 as printed, e.g. 0x9010).</summary>
    public static bool TryFind1997(ushort identifier, [NotNullWhen(true)] out Dlt645DataItem? item) =>
        Items1997.TryGetValue(identifier, out item);

    private static Dictionary<uint, Dlt645DataItem> BuildVariables2007()
    {
        var items = new List<Dlt645DataItem>();
        for (uint phase = 1; phase <= 3; phase++)
        {
            items.Add(new(0x02010000 | (phase << 8), $"{Phases[phase]} voltage", "V", 2, 1, false));   // XXX.X
            items.Add(new(0x02020000 | (phase << 8), $"{Phases[phase]} current", "A", 3, 3, true));    // XXX.XXX
        }

        for (uint phase = 0; phase <= 3; phase++)
        {
            items.Add(new(0x02030000 | (phase << 8), $"active power {Phases[phase]}", "kW", 3, 4, true));       // XX.XXXX
            items.Add(new(0x02040000 | (phase << 8), $"reactive power {Phases[phase]}", "kvar", 3, 4, true));
            items.Add(new(0x02050000 | (phase << 8), $"apparent power {Phases[phase]}", "kVA", 3, 4, true));
            items.Add(new(0x02060000 | (phase << 8), $"power factor {Phases[phase]}", "", 2, 3, true));          // X.XXX
        }

        items.Add(new(0x02800001, "neutral current", "A", 3, 3, true));
        items.Add(new(0x02800002, "grid frequency", "Hz", 2, 2, false));          // XX.XX
        items.Add(new(0x02800007, "meter temperature", "°C", 2, 1, true));        // XXX.X
        items.Add(new(0x02800008, "clock battery voltage", "V", 2, 2, false));    // X.XX
        return items.ToDictionary(item => item.Identifier);
    }
}
