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
await app.RunAsync();
return 0;

/// <summary>The entry point, public so that tests can host the fleet with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
