using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Storage.LiteDb;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Storage;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CivicEdge.Benchmarks;

/// <summary>
/// How fast a deep outbox drains after an outage: the gateway's own outbox, delivery loop, reconnecting service and
/// MQTT client, over a real MQTT broker (MQTTnet), to a fleet that acknowledges each batch, until every record is
/// acknowledged and deleted. Unpaced (<see cref="UplinkOptions.MaxRecordsPerSecond"/> far above what is reached), so
/// the figure is what the chain can carry; two fleets: one that answers at once (the gateway's side alone) and the
/// fleet's real ingest (validation, LiteDB store, persist-then-ack).
/// </summary>
internal static class CatchUpDelivery
{
    private const string GatewayId = "gw-bench-01";

    public static async Task<CatchUpFigures> RunAsync(int records, bool realFleet, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("civicedge-bench-catchup-");
        try
        {
            using var outbox = new Outbox(Path.Combine(directory.FullName, "gateway.db"));
            var start = DateTimeOffset.UtcNow.AddDays(-2);
            for (var i = 0; i < records; i += 500)
                outbox.Append(Streams.Telemetry, [.. Enumerable.Range(i, Math.Min(500, records - i)).Select(n => OutboxThroughput.Reading(n, start))]);

            var port = FreePort();
            using var broker = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                .WithDefaultEndpointPort(port)
                .Build());
            await broker.StartAsync();

            using var store = realFleet ? new LiteDbFleetStore(new LiteDbFleetStoreOptions { Path = Path.Combine(directory.FullName, "fleet.db") }, NullLogger<LiteDbFleetStore>.Instance) : null;
            var ingestor = store is null ? null : new TelemetryIngestor(store, new TelemetryIngestOptions(), TimeProvider.System, NullLogger<TelemetryIngestor>.Instance);
            using var fleet = await ConnectFleetAsync(port, ingestor, cancellationToken);

            var options = new UplinkOptions
            {
                Host = "127.0.0.1",
                Port = port,
                BatchSize = 500,
                MaxInFlight = 4,
                MaxRecordsPerSecond = UplinkOptionsValidator.MaxRecordsPerSecondLimit,
                AckTimeout = TimeSpan.FromMinutes(1),
            };
            var monitor = new UplinkMonitor(outbox, TimeProvider.System);
            var delivery = new OutboxDelivery(outbox, GatewayId, options, monitor, TimeProvider.System, NullLogger<OutboxDelivery>.Instance);
            using var service = new UplinkService(
                new MqttUplinkTransport(GatewayId, options, TimeProvider.System, NullLoggerFactory.Instance),
                delivery, monitor, options, TimeProvider.System, NullLogger<UplinkService>.Instance);

            var clock = Stopwatch.StartNew();
            await service.StartAsync(cancellationToken);
            while (outbox.Status(Streams.Telemetry).Depth > 0)
                await Task.Delay(50, cancellationToken);
            clock.Stop();
            await service.StopAsync(CancellationToken.None);
            await broker.StopAsync();

            var name = realFleet ? "the fleet's ingest and LiteDB store" : "a fleet that acknowledges at once";
            var figures = new CatchUpFigures(name, records, 10, records / clock.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Catch-up: {records} records of 10 points to {name} in {clock.Elapsed.TotalSeconds:F1} s = {figures.RecordsPerSecond:F0} records/s"));
            return figures;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The fleet's end: answers every batch on the ack topic, after storing it when <paramref name="ingestor"/> is given.</summary>
    private static async Task<IMqttClient> ConnectFleetAsync(int port, TelemetryIngestor? ingestor, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += async args =>
        {
            var message = args.ApplicationMessage;
            if (!Topics.TryParse(message.Topic, out var source, out _))
                return;
            DeliveryAck ack;
            if (ingestor is not null)
            {
                ack = await ingestor.IngestBatchAsync(source, message.Payload, CancellationToken.None);
            }
            else
            {
                var reader = new Utf8JsonReader(message.Payload);
                var batch = JsonSerializer.Deserialize(ref reader, ContractsJson.Default.TelemetryBatch)!;
                ack = new DeliveryAck(batch.Stream, batch.Records[0].Seq, batch.Records[^1].Seq, AckStatus.Persisted, batch.Records.Count, 0);
            }

            await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(Topics.Ack(source))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(ack, ContractsJson.Default.DeliveryAck))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("bench-fleet")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build(), cancellationToken);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.AllTelemetry, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
