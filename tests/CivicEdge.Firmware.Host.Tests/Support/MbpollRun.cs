using System.Diagnostics;
using System.Globalization;

namespace CivicEdge.Firmware.Host.Tests.Support;

/// <summary>
/// mbpoll, an independent Modbus master built on libmodbus, run once per transaction with zero-based (PDU)
/// addressing over RTU 8N1 on a serial device.
/// </summary>
internal sealed record MbpollRun(int ExitCode, string Output, string Errors)
{
    public string Transcript => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Errors}";

    /// <summary>The values mbpoll printed as <c>[address]: value</c> lines, in order.</summary>
    public int[] Values =>
        [.. Output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith('[') && line.Contains("]:", StringComparison.Ordinal))
            .Select(line => int.Parse(line[(line.IndexOf("]:", StringComparison.Ordinal) + 2)..].Trim(), CultureInfo.InvariantCulture))];

    public static async Task<MbpollRun> OverRtuAsync(string device, int baud, byte unit, string[] options, string[] writeValues, CancellationToken cancellationToken)
    {
        DebianTool.Require(DebianTool.Mbpoll, "mbpoll");
        var start = new ProcessStartInfo(DebianTool.Mbpoll)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // mbpoll's grammar: options, then the device, then the values to write.
        string[] args =
        [
            "-1", "-0", "-o", "2", "-m", "rtu", "-b", baud.ToString(CultureInfo.InvariantCulture), "-P", "none",
            "-a", unit.ToString(CultureInfo.InvariantCulture), .. options, device, .. writeValues,
        ];
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return new MbpollRun(process.ExitCode, await output, await errors);
    }
}
