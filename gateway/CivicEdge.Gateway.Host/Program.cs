using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Gateway.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

if (GatewayConfiguration.WantsHelp(args))
{
    Console.Out.Write(GatewayUsage.Text);
    return 0;
}

try
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        DisableDefaults = true,
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.Configuration.AddGatewaySources(args, AppContext.BaseDirectory);

    // Standard output carries only the readiness line; every log line goes to standard error (and so to the journal).
    builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
    builder.Logging.AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        console.UseUtcTimestamp = true;
    });
    builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    builder.Services.AddSystemd();

    // The GPIO driver named by Gpio:Driver is created here and only here, and only when a Gpio section asks for it.
    builder.Services.AddSingleton<IGpioHardware, ConfiguredGpioHardware>();
    builder.Services.AddCivicEdgeGateway(builder.Configuration);

    using var host = builder.Build();

    // Check every option before the host builds its services (which open the outbox and load profiles), so that all
    // bad keys are reported together instead of the first one to be touched.
    host.Services.GetRequiredService<IStartupValidator>().Validate();
    await host.RunAsync();
    return 0;
}
catch (GpioUnavailableException ex)
{
    Console.Error.WriteLine($"civicedge-gateway: {ex.Message}");
    return 3;
}
catch (Exception ex) when (ConfigurationProblems(ex) is { Count: > 0 } problems)
{
    Console.Error.WriteLine("civicedge-gateway: the configuration is invalid (see --help):");
    foreach (var problem in problems)
        Console.Error.WriteLine($"  {problem}");
    return 2;
}

// A bad configuration is the operator's to fix, so it is reported as a list of messages (each naming its key or
// file) rather than as a stack trace.
static List<string> ConfigurationProblems(Exception exception) => exception switch
{
    OptionsValidationException invalid => [.. invalid.Failures],
    AggregateException all => [.. all.InnerExceptions.SelectMany(ConfigurationProblems).Distinct()],
    InvalidDataException or FileNotFoundException or ArgumentException { ParamName: "args" } => [Describe(exception)],
    _ => [],
};

static string Describe(Exception exception)
{
    // The JSON provider wraps the parser's message, which holds the line and position, two levels down.
    var messages = new List<string>();
    for (var current = exception; current is not null; current = current.InnerException)
    {
        messages.Add(current is ArgumentException { ParamName: { } name } argument
            ? argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
            : current.Message);
    }

    return string.Join(" ", messages);
}
