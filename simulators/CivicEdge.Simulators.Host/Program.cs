using System.CommandLine;
using System.Runtime.InteropServices;
using CivicEdge.Simulators.Host;

// The first Ctrl+C or SIGTERM asks the command to stop cleanly; a second one ends the process at once.
// System.CommandLine's own termination handling is switched off so that no fixed grace period cuts a clean stop short.
using var stopping = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var root = new RootCommand("civicsim: simulated CivicEdge field devices, served over their real protocols until Ctrl+C or SIGTERM.");
root.Subcommands.Add(ModbusCommand.Create());
root.Subcommands.Add(MeterLineCommand.Create("mbus"));
root.Subcommands.Add(MeterLineCommand.Create("cjt188"));
root.Subcommands.Add(MeterLineCommand.Create("dlt645"));
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(LoadCommand.Create());
root.Subcommands.Add(FirmwareCommand.Create());
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stopping.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = !stopping.IsCancellationRequested;
    stopping.Cancel();
}
