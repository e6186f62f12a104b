using Spectre.Console.Testing;

namespace CivicEdge.Fleet.Cli.Tests.Modbus;

/// <summary>Runs the real <c>civic</c> command tree in-process, capturing what it prints and its exit code.</summary>
internal static class CivicRun
{
    public static async Task<(int Exit, string Output)> RunAsync(params string[] args) => await RunAsync(new TestConsole().Width(200), args);

    public static async Task<(int Exit, string Output)> RunAsync(TestConsole console, params string[] args)
    {
        var root = CivicCommandLine.Build(console, _ => throw new InvalidOperationException("civic modbus must not call the fleet."));
        var errors = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = errors });
        return (exit, console.Output + errors);
    }
}
