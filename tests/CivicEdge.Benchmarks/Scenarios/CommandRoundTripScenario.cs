using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CivicEdge.Benchmarks.Peers;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Simulators.Processes;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// Commands through civicedge-fleet in a process of its own (LiteDB, embedded broker, authentication on) to a gateway
/// played by an MQTT 5 client that answers every command at once: the time from <c>POST /api/commands?wait=</c> to the
/// answer holding the result, one command after another, and how long one command to every device a ledger query
/// finds takes until all have their results. What the fleet adds to a command, not what a field bus does.
/// </summary>
internal static class CommandRoundTripScenario
{
    private const string AdminKey = "ce_benchadm01_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string Gateway = "gw-bench-cmd";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(1);

    public static async Task<CommandFigures> RunAsync(int roundTrips, int fanOut, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("civicedge-commands-");
        var mqttPort = FleetIngestScenario.FreePort();
        var fleet = ChildProcess.Start("fleet", BuiltAssembly.Find("CivicEdge.Fleet.Server", "civicedge-fleet"),
        [
            "--urls", "http://127.0.0.1:0", $"--Fleet:Broker:Port={mqttPort}", $"--Fleet:Storage:Path={Path.Combine(work.FullName, "fleet.db")}",
            "--Fleet:Ledger:CodeScheme=topic-level", "--Fleet:Security:HashIterations=1000", $"--Fleet:Access:BootstrapKey={AdminKey}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        using var gateway = new MqttClientFactory().CreateMqttClient();
        try
        {
            var ready = await fleet.WaitForLineAsync(line => line.Contains("civicedge-fleet ready", StringComparison.Ordinal), ReadyTimeout, cancellationToken);
            var url = ready.Split(' ').Single(field => field.StartsWith("http=", StringComparison.Ordinal))["http=".Length..];
            using var http = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);

            var secret = await RegisterAsync(http, Gateway, DeviceKind.Gateway, null, cancellationToken, credential: true);
            await Parallel.ForEachAsync(Enumerable.Range(0, fanOut), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, token) =>
                await RegisterAsync(http, Lamp(i), DeviceKind.Lamp, Gateway, token));
            await ConnectAnsweringGatewayAsync(gateway, mqttPort, secret!, cancellationToken);

            var times = new List<double>(roundTrips);
            for (var i = 0; i < roundTrips; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var batch = await SendAsync(http, "{\"device\":\"" + Lamp(i % fanOut) + "\",\"name\":\"read\",\"arguments\":{\"point\":\"lamp_power\"}}", cancellationToken);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (batch.Commands.Single().State != CommandState.Succeeded)
                    throw new InvalidOperationException($"Command {batch.Commands.Single().Id} ended {batch.Commands.Single().State}.");
            }

            var fanOutStarted = Stopwatch.GetTimestamp();
            var all = await SendAsync(http, """{"query":{"tags":["bench"]},"name":"dim","arguments":{"level":40}}""", cancellationToken);
            var fanOutSeconds = Stopwatch.GetElapsedTime(fanOutStarted).TotalSeconds;
            if (!all.Complete || all.Commands.Count != fanOut || all.Commands.Any(c => c.State != CommandState.Succeeded))
                throw new InvalidOperationException($"The query reached {all.Commands.Count} devices of {fanOut}; {all.Commands.Count(c => c.State == CommandState.Succeeded)} succeeded within the wait.");

            times.Sort();
            var figures = new CommandFigures(roundTrips, Percentile(times, 0.50), Percentile(times, 0.99), fanOut, fanOutSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Commands: round trip p50 {figures.RoundTripP50Milliseconds:F1} ms, p99 {figures.RoundTripP99Milliseconds:F1} ms; {fanOut} devices by query in {fanOutSeconds:F2} s"));
            return figures;
        }
        finally
        {
            if (gateway.IsConnected)
                await gateway.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
            await fleet.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    private static string Lamp(int i) => string.Create(CultureInfo.InvariantCulture, $"slc-bench-{i:D5}");

    private static async Task<CommandBatch> SendAsync(HttpClient http, string body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("api/commands?wait=60", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /api/commands answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return (await response.Content.ReadFromJsonAsync(CommandsJson.Default.CommandBatch, cancellationToken))!;
    }

    /// <summary>Connects as the gateway, announces it online, and answers each command with success on its response topic.</summary>
    private static async Task ConnectAnsweringGatewayAsync(IMqttClient gateway, int port, string secret, CancellationToken cancellationToken)
    {
        gateway.ApplicationMessageReceivedAsync += async args =>
        {
            var message = args.ApplicationMessage;
            var request = JsonSerializer.Deserialize(message.Payload.ToArray(), CommandsJson.Default.CommandRequest)!;
            var result = new CommandResult(request.Id, request.Target, CommandStatus.Succeeded, null, null, DateTimeOffset.UtcNow);
            await gateway.PublishAsync(
                new MqttApplicationMessageBuilder()
                    .WithTopic(message.ResponseTopic)
                    .WithPayload(JsonSerializer.SerializeToUtf8Bytes(result, CommandsJson.Default.CommandResult))
                    .WithCorrelationData(message.CorrelationData)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(),
                CancellationToken.None);
        };
        await gateway.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId(Gateway).WithCredentials(Gateway, secret).Build(),
            cancellationToken);
        await Publish(Topics.State(Gateway), JsonSerializer.SerializeToUtf8Bytes(new SourceState(Gateway, true, "bench", DateTimeOffset.UtcNow), ContractsJson.Default.SourceState), retain: true);
        await gateway.SubscribeAsync(Topics.Commands(Gateway), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        await Publish(Topics.Health(Gateway), "{}"u8.ToArray(), retain: false);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        Task Publish(string topic, byte[] payload, bool retain) => gateway.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken);
    }

    private static async Task<string?> RegisterAsync(HttpClient http, string code, DeviceKind kind, string? gateway, CancellationToken cancellationToken, bool credential = false)
    {
        using var registered = await http.PostAsJsonAsync(
            "api/devices",
            new DeviceRegistration { Code = code, Kind = kind, Tenant = "benchmark", Gateway = gateway, Tags = kind == DeviceKind.Lamp ? ["bench"] : null, By = "benchmark" },
            LedgerJson.Default.DeviceRegistration,
            cancellationToken);
        registered.EnsureSuccessStatusCode();
        if (!credential)
            return null;
        using var issued = await http.PostAsJsonAsync($"api/devices/{code}/credentials", new CredentialRequest { By = "benchmark" }, LedgerJson.Default.CredentialRequest, cancellationToken);
        issued.EnsureSuccessStatusCode();
        return (await issued.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, cancellationToken))!.Secret;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
