using CivicEdge.Fleet.Cli;
using Spectre.Console;

return await CivicCommandLine
    .Build(AnsiConsole.Console, baseAddress => new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) })
    .Parse(args)
    .InvokeAsync();
