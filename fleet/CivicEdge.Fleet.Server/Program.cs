using CivicEdge.Fleet.Server;

if (FleetCommandLine.AsksForHelp(args))
{
    Console.Out.Write(FleetCommandLine.Usage());
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
// CIVICEDGE_-prefixed variables, as the gateway reads them, win over unprefixed ones; the command line wins over both.
builder.Configuration.AddEnvironmentVariables(FleetCommandLine.EnvironmentPrefix);
builder.Configuration.AddCommandLine(args, FleetCommandLine.SwitchMappings());
builder.AddFleet();

var app = builder.Build();
if (FleetComposition.FindConfigurationProblems(app.Services) is { Count: > 0 } problems)
{
    await Console.Error.WriteLineAsync(
        $"civicedge-fleet: invalid configuration (see --help):{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", problems)}");
    return 2;
}

app.MapFleet();
try
{
    await app.StartAsync();
}
catch (InvalidOperationException exception) when (FleetCommandLine.ServesItself(app))
{
    // What the fleet could not open (its store, the broker's port, its bootstrap key) is named by key in the message;
    // no stack trace. A host embedding this entry point with a server of its own gets the exception instead.
    await Console.Error.WriteLineAsync($"civicedge-fleet: cannot start: {exception.Message}");
    await app.DisposeAsync();
    return 3;
}

await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;

/// <summary>The entry point, public so that tests can host the fleet with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
