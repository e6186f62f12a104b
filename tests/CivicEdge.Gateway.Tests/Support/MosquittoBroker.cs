using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// A real Mosquitto broker (Debian package <c>mosquitto</c>) on a free loopback port, with a TLS listener, a password
/// file and no anonymous access, started from its own configuration and killed on disposal.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly string[] Locations = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"];

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private MosquittoBroker(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the broker wrote to standard error, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>Starts the broker; <paramref name="users"/> are added to its password file with mosquitto_passwd.</summary>
    public static async Task<MosquittoBroker> StartAsync(
        string directory,
        TestCertificates certificates,
        bool requireClientCertificate,
        params (string User, string Password)[] users)
    {
        var executable = Locations.FirstOrDefault(File.Exists);
        if (executable is null)
            Assert.Fail("mosquitto is missing; ./build.sh --target=Test installs it (Debian package mosquitto).");

        var passwords = Path.Combine(directory, "passwords");
        foreach (var (user, password) in users)
            await RunAsync("/usr/bin/mosquitto_passwd", File.Exists(passwords) ? ["-b", passwords, user, password] : ["-c", "-b", passwords, user, password]);

        var port = FreePort();
        var configuration = Path.Combine(directory, $"mosquitto-{port}.conf");
        await File.WriteAllTextAsync(configuration, string.Join('\n',
            "per_listener_settings false",
            "allow_anonymous false",
            $"password_file {passwords}",
            "persistence false",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            "log_type notice",
            // Run as the user who started it, so that it can read the keys in the test's private directory.
            "user root",
            string.Create(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1"),
            $"cafile {certificates.CaFile}",
            $"certfile {certificates.ServerCertificateFile}",
            $"keyfile {certificates.ServerKeyFile}",
            $"require_certificate {(requireClientCertificate ? "true" : "false")}",
            string.Empty));

        var start = new ProcessStartInfo(executable!) { ArgumentList = { "-c", configuration }, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var broker = new MosquittoBroker(Process.Start(start)!, port);
        broker._process.ErrorDataReceived += (_, line) =>
        {
            lock (broker._log)
                broker._log.AppendLine(line.Data);
        };
        broker._process.BeginErrorReadLine();
        broker._process.BeginOutputReadLine();

        var deadline = DateTime.UtcNow + Wait.Limit;
        while (!await IsListeningAsync(port))
        {
            if (broker._process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = broker.Log;
                await broker.DisposeAsync();
                Assert.Fail($"mosquitto did not start listening on {port}:{Environment.NewLine}{log}");
            }

            await Task.Delay(20);
        }

        return broker;
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

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            Assert.Fail($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
