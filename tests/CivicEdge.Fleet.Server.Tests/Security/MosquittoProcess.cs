using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CivicEdge.Fleet.Server.Tests.Security;

/// <summary>
/// A real Mosquitto broker (Debian package <c>mosquitto</c>) on a loopback port, no anonymous access, with the password
/// and ACL files it is given; killed on disposal.
/// </summary>
internal sealed class MosquittoProcess : IAsyncDisposable
{
    private static readonly string[] Locations = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"];

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private MosquittoProcess(Process process) => _process = process;

    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    public static async Task<MosquittoProcess> StartAsync(string directory, int port, string passwordFile, string aclFile, CancellationToken cancellationToken)
    {
        var executable = Locations.FirstOrDefault(File.Exists);
        if (executable is null)
            Assert.Fail("mosquitto is missing; ./build.sh --target=Test installs it (Debian package mosquitto).");

        var configuration = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(configuration, string.Join('\n',
            "per_listener_settings false",
            "allow_anonymous false",
            $"password_file {passwordFile}",
            $"acl_file {aclFile}",
            "persistence false",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            "log_type notice",
            // Run as the user who started it, so that it can read the files in the test's private directory.
            "user root",
            string.Create(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1"),
            string.Empty), cancellationToken);

        var start = new ProcessStartInfo(executable!) { ArgumentList = { "-c", configuration }, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var broker = new MosquittoProcess(Process.Start(start)!);
        broker._process.ErrorDataReceived += (_, line) =>
        {
            lock (broker._log)
                broker._log.AppendLine(line.Data);
        };
        broker._process.BeginErrorReadLine();
        broker._process.BeginOutputReadLine();

        while (!await IsListeningAsync(port))
        {
            if (broker._process.HasExited)
            {
                var log = broker.Log;
                await broker.DisposeAsync();
                Assert.Fail($"mosquitto did not start listening on {port}:{Environment.NewLine}{log}");
            }

            await Task.Delay(20, cancellationToken);
        }

        return broker;
    }

    /// <summary>SIGHUP: Mosquitto reads its password and ACL files again (mosquitto(8), Signals).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-HUP", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        await kill.WaitForExitAsync(cancellationToken);
        Assert.That(kill.ExitCode, Is.Zero, "kill -HUP mosquitto");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
