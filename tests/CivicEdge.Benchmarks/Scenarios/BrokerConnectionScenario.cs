using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using MQTTnet;
using MQTTnet.Formatter;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// The fleet as a process with its embedded broker and authentication on, and a crowd of devices, each provisioned
/// through the API: how fast devices get in when each secret costs a PBKDF2 hash (a fleet restart), how fast once the
/// fleet knows them (a broker blip), how fast wrong passwords are turned away, and the fleet's resident memory per
/// open connection.
/// </summary>
internal static class BrokerConnectionScenario
{
    private const int HashIterations = 10_000;
    private const int Concurrency = 16;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    public static async Task<BrokerConnectionFigures> RunAsync(int devices, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("civicedge-broker-connections-");
        var mqttPort = FreePort();
        var fleet = ChildProcess.Start("fleet", BuiltAssembly.Find("CivicEdge.Fleet.Server", "civicedge-fleet"),
        [
            "--urls", "http://127.0.0.1:0", $"--Fleet:Broker:Port={mqttPort}", $"--Fleet:Storage:Path={Path.Combine(work.FullName, "fleet.db")}",
            "--Fleet:Ledger:CodeScheme=topic-level", $"--Fleet:Security:HashIterations={HashIterations}", "--Logging:LogLevel:Default=Warning",
        ]);
        var clients = new List<IMqttClient>();
        try
        {
            var ready = await fleet.WaitForLineAsync(line => line.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout, cancellationToken);
            var url = ready.Split(' ').Single(field => field.StartsWith("http=", StringComparison.Ordinal))["http=".Length..];
            using var http = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(30) };
            var secrets = await ProvisionAsync(http, devices, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var idle = ProcessSample.Of(fleet.Id);

            var first = await ConnectAllAsync(mqttPort, secrets, clients, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var connected = ProcessSample.Of(fleet.Id);
            await DisconnectAllAsync(clients);

            var again = await ConnectAllAsync(mqttPort, secrets, clients, cancellationToken);
            await DisconnectAllAsync(clients);

            var wrong = secrets.Take(Math.Min(devices, 500)).Select(pair => (pair.Code, Secret: pair.Secret + "x")).ToList();
            var refused = Stopwatch.StartNew();
            await Parallel.ForEachAsync(wrong, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (pair, token) =>
            {
                using var client = new MqttClientFactory().CreateMqttClient();
                var result = await client.ConnectAsync(Options(mqttPort, pair.Code, pair.Secret), token);
                if (result.ResultCode == MqttClientConnectResultCode.Success)
                    throw new InvalidOperationException($"{pair.Code} got in with a wrong password.");
            });
            refused.Stop();

            const double Megabyte = 1024 * 1024;
            return new BrokerConnectionFigures(
                devices,
                HashIterations,
                devices / first.TotalSeconds,
                devices / again.TotalSeconds,
                wrong.Count / refused.Elapsed.TotalSeconds,
                idle.ResidentBytes / Megabyte,
                connected.ResidentBytes / Megabyte);
        }
        finally
        {
            await DisconnectAllAsync(clients);
            await fleet.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    private static async Task<List<(string Code, string Secret)>> ProvisionAsync(HttpClient http, int devices, CancellationToken cancellationToken)
    {
        var secrets = new (string Code, string Secret)[devices];
        await Parallel.ForEachAsync(Enumerable.Range(0, devices), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var code = string.Create(CultureInfo.InvariantCulture, $"gw-load-{i:D5}");
            using var registered = await http.PostAsJsonAsync(
                "api/devices", new DeviceRegistration { Code = code, Kind = DeviceKind.Gateway, Tenant = "benchmark", By = "benchmark" }, LedgerJson.Default.DeviceRegistration, token);
            registered.EnsureSuccessStatusCode();
            using var issued = await http.PostAsJsonAsync(
                $"api/devices/{code}/credentials", new CredentialRequest { By = "benchmark" }, LedgerJson.Default.CredentialRequest, token);
            issued.EnsureSuccessStatusCode();
            secrets[i] = (code, (await issued.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, token))!.Secret!);
        });
        return [.. secrets];
    }

    private static async Task<TimeSpan> ConnectAllAsync(int port, List<(string Code, string Secret)> secrets, List<IMqttClient> clients, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var connected = new IMqttClient[secrets.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, secrets.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var result = await client.ConnectAsync(Options(port, secrets[i].Code, secrets[i].Secret), token);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
                throw new InvalidOperationException($"{secrets[i].Code} was refused: {result.ResultCode}.");
            connected[i] = client;
        });
        started.Stop();
        clients.AddRange(connected);
        return started.Elapsed;
    }

    private static async Task DisconnectAllAsync(List<IMqttClient> clients)
    {
        foreach (var client in clients)
        {
            await client.TryDisconnectAsync();
            client.Dispose();
        }

        clients.Clear();
    }

    private static MqttClientOptions Options(int port, string code, string secret) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(code)
            .WithCredentials(code, secret)
            .WithKeepAlivePeriod(TimeSpan.FromMinutes(5))
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
