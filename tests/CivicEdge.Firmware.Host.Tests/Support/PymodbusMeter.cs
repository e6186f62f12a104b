using System.Diagnostics;
using System.Text;

namespace CivicEdge.Firmware.Host.Tests.Support;

/// <summary>
/// pymodbus serving unit 1 on a serial device as a real process (Peers/pymodbus_meter.py): holding registers 0..9
/// hold 100..109, input registers 0..9 hold 200..209, coils 0..9 start off, and every address from 10 on is unmapped.
/// </summary>
internal sealed class PymodbusMeter : IDisposable
{
    public const byte Unit = 1;

    private const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private PymodbusMeter(Process process) => _process = process;

    public string Errors
    {
        get
        {
            lock (_errors)
                return _errors.ToString();
        }
    }

    public static PymodbusMeter Start(string serialPath)
    {
        // Debian's Python modules belong to /usr/bin/python3, not to whichever python3 comes first on PATH.
        DebianTool.Require(Python, "python3");
        DebianTool.Require("/usr/lib/python3/dist-packages/pymodbus", "python3-pymodbus");
        DebianTool.Require("/usr/lib/python3/dist-packages/serial_asyncio", "python3-serial-asyncio");
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Peers", "pymodbus_meter.py"), serialPath },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var meter = new PymodbusMeter(Process.Start(start)!);
        meter._process.ErrorDataReceived += (_, e) =>
        {
            lock (meter._errors)
                meter._errors.AppendLine(e.Data);
        };
        meter._process.BeginErrorReadLine();

        var ready = meter._process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(20)) || ready.Result is not { } line || !line.StartsWith("READY ", StringComparison.Ordinal))
        {
            meter.Dispose();
            Assert.Fail($"pymodbus did not become ready on {serialPath}.\n{meter.Errors}");
        }

        return meter;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(3)))
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
