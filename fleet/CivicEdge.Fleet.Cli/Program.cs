using CivicEdge.Fleet.Cli;
using Spectre.Console;

var console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // A pipe or a file has no width; 80 columns would wrap point names and times mid-word.
    console.Profile.Width = 240;

    // Nor does it want a progress bar redrawn into it.
    console.Profile.Capabilities.Interactive = false;
}

return await CivicCommandLine
    .Build(console, baseAddress => new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) })
    .Parse(args)
    .InvokeAsync();
