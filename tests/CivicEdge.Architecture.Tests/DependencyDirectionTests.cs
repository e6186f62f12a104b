namespace CivicEdge.Architecture.Tests;

/// <summary>
/// Dependencies point inward (ARCHITECTURE.md, Layout): codecs depend on nothing of ours, transports on abstractions,
/// fleet contracts are a leaf, hosts are the only composition roots. Every production project must appear in
/// <see cref="Allowed"/>, so a new project states its place in the architecture before it builds green.
/// </summary>
[Category("Unit")]
public sealed class DependencyDirectionTests
{
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        // leaves
        ["CivicEdge.Fleet.Contracts"] = [],
        ["CivicEdge.Protocols.Modbus"] = [],
        ["CivicEdge.Protocols.MBus"] = [],
        ["CivicEdge.Protocols.Meters"] = [],
        ["CivicEdge.Transports"] = [],
        // sunrise and sunset (NOAA): pure arithmetic, shared by the gateway's rules and the fleet's daylight windows
        ["CivicEdge.Solar"] = [],
        // firmware: the portable core is written in the nanoFramework subset and references nothing of ours
        ["CivicEdge.Firmware.Core"] = [],
        // the firmware's hardware on a Linux host (simulated pins, serial ports, MQTT), for tests and civicsim
        ["CivicEdge.Firmware.Host"] = ["CivicEdge.Firmware.Core"],
        // firmware applications: the portable core only
        ["CivicEdge.Firmware.MeterNode"] = ["CivicEdge.Firmware.Core"],
        ["CivicEdge.Firmware.Environment"] = ["CivicEdge.Firmware.Core"],
        ["CivicEdge.Firmware.Pole"] = ["CivicEdge.Firmware.Core"],
        // protocol stacks and device descriptions
        ["CivicEdge.Modbus"] = ["CivicEdge.Protocols.Modbus", "CivicEdge.Transports"],
        ["CivicEdge.MBus"] = ["CivicEdge.Protocols.MBus", "CivicEdge.Transports"],
        ["CivicEdge.Meters"] = ["CivicEdge.Protocols.Meters", "CivicEdge.Transports"],
        ["CivicEdge.Hardware"] = ["CivicEdge.Protocols.Modbus", "CivicEdge.Protocols.MBus", "CivicEdge.Protocols.Meters"],
        // edge rules: pure evaluation over device profiles; no host, bus, MQTT or storage
        ["CivicEdge.Rules"] = ["CivicEdge.Hardware", "CivicEdge.Solar"],
        // gateway
        ["CivicEdge.Gateway"] = ["CivicEdge.Modbus", "CivicEdge.MBus", "CivicEdge.Meters", "CivicEdge.Hardware", "CivicEdge.Fleet.Contracts", "CivicEdge.Rules"],
        ["CivicEdge.Gateway.Host"] = ["CivicEdge.Gateway"],
        // fleet
        // the campaign planner holds pole updates to daylight, by the same solar calculation as the gateway's rules
        ["CivicEdge.Fleet.Core"] = ["CivicEdge.Fleet.Contracts", "CivicEdge.Solar"],
        ["CivicEdge.Fleet.Storage.LiteDb"] = ["CivicEdge.Fleet.Core"],
        ["CivicEdge.Fleet.Storage.PostgreSql"] = ["CivicEdge.Fleet.Core"],
        ["CivicEdge.Fleet.Server"] = ["CivicEdge.Fleet.Core", "CivicEdge.Fleet.Storage.LiteDb", "CivicEdge.Fleet.Storage.PostgreSql", "CivicEdge.Fleet.Contracts", "CivicEdge.Hardware"],
        ["CivicEdge.Fleet.Cli"] = ["CivicEdge.Fleet.Contracts", "CivicEdge.Modbus", "CivicEdge.Protocols.Modbus", "CivicEdge.Protocols.MBus", "CivicEdge.MBus", "CivicEdge.Meters", "CivicEdge.Protocols.Meters", "CivicEdge.Transports", "CivicEdge.Hardware", "CivicEdge.Rules"],
        // simulators
        ["CivicEdge.Simulators"] = ["CivicEdge.Modbus", "CivicEdge.Protocols.MBus", "CivicEdge.Protocols.Meters", "CivicEdge.Hardware", "CivicEdge.Fleet.Contracts", "CivicEdge.Firmware.Host", "CivicEdge.Firmware.MeterNode", "CivicEdge.Firmware.Environment", "CivicEdge.Firmware.Pole"],
        ["CivicEdge.Simulators.Host"] = ["CivicEdge.Simulators"],
    };

    /// <summary>Executables: composition roots that nothing but tests may reference.</summary>
    private static readonly string[] Hosts =
        ["CivicEdge.Gateway.Host", "CivicEdge.Fleet.Server", "CivicEdge.Fleet.Cli", "CivicEdge.Simulators.Host"];

    /// <summary>Pure codecs: no packages, no references — nothing that could do I/O or log.</summary>
    private static readonly string[] PureCodecs = ["CivicEdge.Protocols.Modbus", "CivicEdge.Protocols.MBus", "CivicEdge.Protocols.Meters", "CivicEdge.Solar"];

    private static IEnumerable<ProjectFile> Production => RepositoryLayout.Projects.Where(p => !p.IsTest);

    [Test]
    public void Every_production_project_has_a_declared_place_in_the_architecture()
    {
        var undeclared = Production.Select(p => p.Name).Where(name => !Allowed.ContainsKey(name)).ToList();

        Assert.That(undeclared, Is.Empty, "Add these projects to DependencyDirectionTests.Allowed with the references they may have.");
    }

    [TestCaseSource(nameof(ProductionProjects))]
    public void A_production_project_references_only_what_its_layer_allows(ProjectFile project)
    {
        Assume.That(Allowed.ContainsKey(project.Name), $"{project.Name} is not declared (see the test above).");

        var forbidden = project.ProjectReferences.Except(Allowed[project.Name], StringComparer.Ordinal).ToList();

        Assert.That(forbidden, Is.Empty, $"{project.RelativePath} references projects outside its layer.");
    }

    [TestCaseSource(nameof(ProductionProjects))]
    public void Only_tests_reference_a_host(ProjectFile project)
    {
        Assert.That(project.ProjectReferences.Intersect(Hosts), Is.Empty, $"{project.RelativePath} references a composition root.");
    }

    [TestCaseSource(nameof(PureCodecProjects))]
    public void A_codec_depends_on_no_package_and_no_project(ProjectFile project)
    {
        Assert.That(project.PackageReferences.Concat(project.ProjectReferences), Is.Empty, $"{project.RelativePath} must stay pure.");
    }

    [Test]
    public void The_project_graph_has_no_cycles()
    {
        var byName = RepositoryLayout.Projects.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = on the path, true = done
        var cycles = new List<string>();

        void Visit(string name, Stack<string> path)
        {
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                    cycles.Add(string.Join(" -> ", path.Reverse().Append(name)));
                return;
            }
            state[name] = false;
            path.Push(name);
            foreach (var reference in byName.TryGetValue(name, out var p) ? p.ProjectReferences : [])
                Visit(reference, path);
            path.Pop();
            state[name] = true;
        }

        foreach (var project in byName.Keys)
            Visit(project, new Stack<string>());

        Assert.That(cycles, Is.Empty);
    }

    [Test]
    public void Every_project_is_part_of_the_solution_so_that_build_and_test_cover_it()
    {
        var solution = File.ReadAllText(Path.Combine(RepositoryLayout.Root.FullName, "CivicEdge.slnx"));

        var missing = RepositoryLayout.Projects.Where(p => !solution.Contains($"\"{p.RelativePath}\"", StringComparison.Ordinal)).ToList();

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void The_rules_are_checked_against_the_real_tree()
    {
        // Guards the guard: a layout change that made the scan find nothing would pass every rule above vacuously.
        Assert.That(Production.Select(p => p.Name), Is.SupersetOf(Hosts.Concat(PureCodecs)));
    }

    private static IEnumerable<ProjectFile> ProductionProjects() => Production;

    private static IEnumerable<ProjectFile> PureCodecProjects() => Production.Where(p => PureCodecs.Contains(p.Name));
}
