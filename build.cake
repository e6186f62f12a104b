// CivicEdge build: ./build.sh --target=<Clean|Build|Test|Publish|Demo|Bench>
// Logic lives in the projects; this script only sequences them.

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var testFilter = Argument("filter", string.Empty);

var solution = File("./CivicEdge.slnx");
var artifacts = Directory("./artifacts");
var publishRoot = artifacts + Directory("publish");

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
