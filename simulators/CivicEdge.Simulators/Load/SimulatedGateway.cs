using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ota;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Simulators.Load;

/// <summary>
/// One gateway as the fleet sees it, speaking the real MQTT contract: numbered readings of its devices in batches on
/// <c>civic/v1/{id}/telemetry</c> (QoS 1, correlation data), at most <see cref="LoadOptions.MaxInFlight"/> batches
/// awaiting the fleet's acknowledgement on <c>civic/v1/{id}/ack</c>, a batch not acknowledged in time sent again with
/// the same sequence numbers. Values wander like a meter's. Its health report, retained on <c>civic/v1/{id}/health</c>
/// every <see cref="LoadOptions.HealthInterval"/>, says every device answers; with OTA it takes the fleet's offers on
/// <c>civic/v1/{id}/ota</c> (<see cref="SimulatedInstaller"/>).
/// </summary>
internal sealed class SimulatedGateway : IAsyncDisposable
{
    private static readonly (string Name, string Unit, string Quantity, double Base)[] Catalogue =
    [
        ("voltage_l1", "V", "voltage", 230), ("voltage_l2", "V", "voltage", 230), ("voltage_l3", "V", "voltage", 230),
        ("current_l1", "A", "current", 12), ("current_l2", "A", "current", 11), ("current_l3", "A", "current", 13),
        ("active_power", "W", "power", 8200), ("power_factor", "1", "power_factor", 0.95), ("frequency", "Hz", "frequency", 50),
        ("import_active_energy", "kWh", "energy", 12_345),
    ];

    private readonly LoadOptions _options;
    private readonly LoadCounters _counters;
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly SemaphoreSlim _inFlight;
    private readonly Random _random;
    private readonly string[] _devices;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly HttpClient? _fleet;
    private readonly SimulatedInstaller? _installer;
    private readonly CancellationTokenSource _stopping = new();
    private long _nextSeq;

    /// <param name="id">The gateway's id, its MQTT client id and user name.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="counters">The run's counters.</param>
    /// <param name="firstSeq">The first sequence number of its readings.</param>
    /// <param name="ota">The run's OTA state; null when gateways take no offers.</param>
    public SimulatedGateway(string id, LoadOptions options, LoadCounters counters, long firstSeq, OtaRun? ota = null)
    {
        Id = id;
        _options = options;
        _counters = counters;
        _inFlight = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        _random = new Random(id.GetHashCode(StringComparison.Ordinal));
        _devices = [.. Enumerable.Range(1, options.DevicesPerGateway).Select(n => LoadOptions.DeviceId(id, n))];
        _nextSeq = firstSeq;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        if (ota is not null)
        {
            foreach (var device in _devices)
                ota.Versions[device] = options.DeviceFirmware;

            _fleet = ota.ClientFor(id, options.Passwords?.GetValueOrDefault(id));
            _installer = new SimulatedInstaller(id, options, ota.Options, ota.Verifier, ota.Failures, ota.Counters, _fleet, _devices, ota.Versions,
                PublishReportAsync, TimeProvider.System);
        }
    }

    public string Id { get; }

    public bool IsConnected => _client.IsConnected;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(Id)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (_options.Passwords is { } passwords)
        {
            if (!passwords.TryGetValue(Id, out var password))
                throw new InvalidOperationException($"{Id}: expected an MQTT password for the gateway, found none among the {passwords.Count} enrolled");
            options.WithCredentials(Id, password);
        }

        await _client.ConnectAsync(options.Build(), cancellationToken).ConfigureAwait(false);
        await _client.SubscribeAsync(Topics.Ack(Id), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        if (_installer is not null)
            await _client.SubscribeAsync(Topics.Ota(Id), MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends batches until cancelled: every interval, or as acknowledgements free room when the interval is zero.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var resend = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var resending = ResendOverdueAsync(resend, cancellationToken);
        var reporting = ReportHealthAsync(cancellationToken);
        try
        {
            // Gateways start spread over one interval, as real ones do, rather than all in the same millisecond; a run
            // stopped before a gateway's first batch ends like any other.
            if (_options.Interval > TimeSpan.Zero)
                await Task.Delay(TimeSpan.FromTicks((long)(_random.NextDouble() * _options.Interval.Ticks)), cancellationToken).ConfigureAwait(false);

            var next = Stopwatch.GetTimestamp();
            while (!cancellationToken.IsCancellationRequested)
            {
                await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                await PublishAsync(NextBatch(), cancellationToken).ConfigureAwait(false);
                if (_options.Interval > TimeSpan.Zero)
                {
                    next += (long)(_options.Interval.TotalSeconds * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                        await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: batches still in flight are the fleet's to finish. MQTTnet reports a publish cut short by the
            // stop as a timeout of its own rather than as a cancellation.
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The connection is gone: this gateway stops, and the run reports how many stayed connected.
        }
        finally
        {
            await resending.ConfigureAwait(false);
            await reporting.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_installer is not null)
            await _installer.DrainAsync().ConfigureAwait(false);
        await _client.TryDisconnectAsync().ConfigureAwait(false);
        _client.Dispose();
        _inFlight.Dispose();
        _fleet?.Dispose();
        _stopping.Dispose();
    }

    private Pending NextBatch()
    {
        var now = DateTimeOffset.UtcNow;
        var records = new List<TelemetryRecord>(_devices.Length);
        foreach (var device in _devices)
        {
            var points = new PointValue[_options.Points];
            for (var i = 0; i < points.Length; i++)
            {
                var (name, unit, quantity, value) = Catalogue[i % Catalogue.Length];
                points[i] = new PointValue(i < Catalogue.Length ? name : $"{name}_{i / Catalogue.Length}", value * (1 + ((_random.NextDouble() - 0.5) * 0.02)), unit, quantity, Quality.Good);
            }

            records.Add(new TelemetryRecord(_nextSeq++, device, _options.DeviceModel, now, points));
        }

        var batch = new TelemetryBatch(Id, Streams.Telemetry, records);
        return new Pending(records[0].Seq, JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJson.Default.TelemetryBatch));
    }

    private async Task PublishAsync(Pending batch, CancellationToken cancellationToken)
    {
        batch.SentAt = Stopwatch.GetTimestamp();
        _pending[batch.FirstSeq] = batch;
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Telemetry(Id))
            .WithPayload(batch.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithCorrelationData(BitConverter.GetBytes(batch.FirstSeq))
            .WithContentType("application/json")
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private async Task ResendOverdueAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var batch in _pending.Values.Where(batch => Stopwatch.GetElapsedTime(batch.SentAt) > _options.AckTimeout))
                {
                    _counters.SentAgain();
                    await PublishAsync(batch, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The connection is gone; the run reports how many gateways stayed connected.
        }
    }

    /// <summary>Publishes the gateway's health report now and every <see cref="LoadOptions.HealthInterval"/> until stopped.</summary>
    private async Task ReportHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.HealthInterval);
            do
            {
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(Topics.Health(Id))
                    .WithPayload(JsonSerializer.SerializeToUtf8Bytes(HealthReport(), ContractsJson.Default.HealthReport))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithRetainFlag()
                    .WithContentType("application/json")
                    .Build();
                await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The connection is gone; the run reports how many gateways stayed connected.
        }
    }

    /// <summary>A gateway that is well: its uplink up, its outbox empty, every device answering its polls.</summary>
    private HealthReport HealthReport()
    {
        var now = DateTimeOffset.UtcNow;
        var devices = _devices
            .Select(device => new DeviceHealth(device, "load", HealthVerdict.Ok, [], 1, 1, 1, 0, 0, 0, 0, 0, null, null, now, now + _options.Interval))
            .ToList();
        return new HealthReport(
            Id, "civicsim-load", now, (now - _started).TotalSeconds, ConfigurationOrigin.Local, null,
            new ProcessHealth(0, 0, 0, 0), new DiskHealth("/", null, null), [], new UplinkHealth(true, _started, null, null, 0), devices);
    }

    private async Task PublishReportAsync(OtaStatusReport report, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.OtaStatus(Id))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(report, OtaJson.Default.OtaStatusReport))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        if (_installer is not null && string.Equals(args.ApplicationMessage.Topic, Topics.Ota(Id), StringComparison.Ordinal))
        {
            // Off the client's receive path: the update publishes reports that wait for the broker's acknowledgement.
            var payload = args.ApplicationMessage.Payload.ToArray();
            _ = Task.Run(() => TakeOfferAsync(_installer, payload), CancellationToken.None);
            return Task.CompletedTask;
        }

        return OnAckAsync(args);
    }

    private async Task TakeOfferAsync(SimulatedInstaller installer, byte[] payload)
    {
        try
        {
            await installer.TakeAsync(payload, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // Stopping: the fleet re-sends an offer that was not answered.
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The connection is gone: the fleet re-sends the offer, and counts the device failed at its deadline.
        }
    }

    private Task OnAckAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var reader = new Utf8JsonReader(args.ApplicationMessage.Payload);
        var ack = JsonSerializer.Deserialize(ref reader, ContractsJson.Default.DeliveryAck);
        if (ack is null || !_pending.TryRemove(ack.FirstSeq, out var batch))
            return Task.CompletedTask;

        if (ack.Status == AckStatus.Persisted)
            _counters.Persisted(ack.Stored, ack.Duplicates, _options.Points, Stopwatch.GetElapsedTime(batch.SentAt));
        else
            _counters.Refused();
        _inFlight.Release();
        return Task.CompletedTask;
    }

    /// <summary>A batch sent and not yet acknowledged.</summary>
    private sealed class Pending(long firstSeq, byte[] payload)
    {
        public long FirstSeq { get; } = firstSeq;

        public byte[] Payload { get; } = payload;

        public long SentAt { get; set; }
    }
}
