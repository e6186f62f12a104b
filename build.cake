// CivicEdge build: ./build.sh --target=<Clean|Build|Test|Publish|PublishEdge|TestEdge|Demo|Bench>
// Logic lives in the projects; this script only sequences them.

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var testFilter = Argument("filter", string.Empty);
// The edge build's runtime: linux-x64 here; linux-arm64 on an arm64 machine or with a cross toolchain (see README).
var edgeRuntime = Argument("rid", "linux-x64");

var solution = File("./CivicEdge.slnx");
var artifacts = Directory("./artifacts");
var publishRoot = artifacts + Directory("publish");
var edgeRoot = artifacts + Directory("publish-aot");

// The four executables a user runs, by the project that builds each.
var executables = new Dictionary<string, string>
{
    ["civicedge-fleet"] = "./fleet/CivicEdge.Fleet.Server/CivicEdge.Fleet.Server.csproj",
    ["civicedge-gateway"] = "./gateway/CivicEdge.Gateway.Host/CivicEdge.Gateway.Host.csproj",
    ["civic"] = "./fleet/CivicEdge.Fleet.Cli/CivicEdge.Fleet.Cli.csproj",
    ["civicsim"] = "./simulators/CivicEdge.Simulators.Host/CivicEdge.Simulators.Host.csproj",
};

Task("Clean")
    .Description("Delete artifacts/ (build output, publish output, demo data, test results)")
    .Does(() =>
{
    CleanDirectory(artifacts);
});

Task("Build")
    .Description("Build the whole solution")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("Test")
    .Description("Build, then run every test project (--filter=EXPR to select)")
    .IsDependentOn("Build")
    .Does(() =>
{
    var settings = new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        NoRestore = true,
        Blame = true,
        ResultsDirectory = artifacts + Directory("test-results"),
        Loggers = { "console;verbosity=minimal", "trx" },
    };
    if (!string.IsNullOrEmpty(testFilter))
        settings.Filter = testFilter;
    DotNetTest(solution, settings);
});

Task("Publish")
    .Description("Framework-dependent builds of the four executables in artifacts/publish/<name>/<name>")
    .Does(() =>
{
    foreach (var (name, project) in executables)
    {
        DotNetPublish(project, new DotNetPublishSettings
        {
            Configuration = "Release",
            SelfContained = false,
            OutputDirectory = publishRoot + Directory(name),
        });
    }
    Information("Published {0}", string.Join(", ", executables.Keys.Select(name => $"{publishRoot}/{name}/{name}")));
});

Task("PublishEdge")
    .Description("Native AOT build of civicedge-gateway for edge boxes in artifacts/publish-aot/<rid>/ (--rid=linux-x64 by default)")
    .Does(() =>
{
    var output = edgeRoot + Directory(edgeRuntime);
    DotNetPublish(executables["civicedge-gateway"], new DotNetPublishSettings
    {
        Configuration = "Release",
        Runtime = edgeRuntime,
        OutputDirectory = output,
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("PublishAot", "true"),
    });
    Information("Published {0}/civicedge-gateway", output);
});

// The edge build's own end-to-end test: the AOT executable against civicsim and the fleet. It is not part of Test
// because the AOT compile and link of the gateway takes minutes on a two-core machine.
Task("TestEdge")
    .Description("Build, publish the edge (Native AOT) gateway, then run its end-to-end test")
    .IsDependentOn("Build")
    .IsDependentOn("PublishEdge")
    .Does(() =>
{
    DotNetTest("./tests/CivicEdge.EndToEnd.Tests/CivicEdge.EndToEnd.Tests.csproj", new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        NoRestore = true,
        Filter = "TestCategory=Edge",
        ResultsDirectory = artifacts + Directory("test-results"),
        Loggers = { "console;verbosity=minimal", "trx" },
        EnvironmentVariables =
        {
            ["CIVICEDGE_EDGE_GATEWAY"] = MakeAbsolute(edgeRoot + Directory(edgeRuntime) + File("civicedge-gateway")).FullPath,
        },
    });
});

// Starts the fleet, a gateway and a simulated meter on 127.0.0.1 and keeps them running until Ctrl+C or SIGTERM.
// The orchestration is civicsim's `demo` command; this task only publishes and hands over, forwarding SIGTERM so that
// every process the demo started is stopped.
Task("Demo")
    .Description("Run fleet + gateway + simulated meter on 127.0.0.1 until Ctrl+C")
    .IsDependentOn("Publish")
    .Does(() =>
{
    var demo = new System.Diagnostics.Process
    {
        StartInfo = new System.Diagnostics.ProcessStartInfo
        {
            FileName = MakeAbsolute(publishRoot + Directory("civicsim") + File("civicsim")).FullPath,
            ArgumentList = { "demo", "--publish-dir", MakeAbsolute(publishRoot).FullPath,
                             "--data-dir", MakeAbsolute(artifacts + Directory("demo")).FullPath },
            UseShellExecute = false,
        },
    };
    demo.Start();
    void Forward(System.Runtime.InteropServices.PosixSignalContext context)
    {
        context.Cancel = true;
        if (!demo.HasExited)
            System.Diagnostics.Process.Start("kill", $"-TERM {demo.Id}")?.WaitForExit();
    }
    using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Forward);
    // Ctrl+C reaches the whole foreground process group; the demo stops itself, so this process only waits.
    using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, context => context.Cancel = true);
    demo.WaitForExit();
    if (demo.ExitCode != 0)
        throw new CakeException($"civicsim demo exited with code {demo.ExitCode}.");
});

Task("Bench")
    .Description("Run the BenchmarkDotNet benchmarks and print their figures")
    // The gateway load scenario measures the edge build beside the framework-dependent one.
    .IsDependentOn("PublishEdge")
    .Does(() =>
{
    var benchmarks = GetFiles("./tests/**/*.Benchmarks.csproj");
    if (benchmarks.Count == 0)
    {
        Information("No benchmark projects yet.");
        return;
    }
    foreach (var project in benchmarks)
    {
        DotNetRun(project.FullPath, new ProcessArgumentBuilder().Append("--filter").Append("*"),
            new DotNetRunSettings { Configuration = "Release" });
    }
});

Task("Default")
    .Description("Same as Build")
    .IsDependentOn("Build");

RunTarget(target);
