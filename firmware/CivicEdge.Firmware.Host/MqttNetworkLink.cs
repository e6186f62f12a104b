using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Uplink;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// A device's IP link on a Linux host, over MQTTnet (MQTT 5): what the firmware's <see cref="DeviceUplink"/> runs on in
/// tests and civicsim, as it runs on nanoFramework's MQTT client on a device. Blocking, as the device's driver is: each
/// call waits for the broker's answer (CONNACK, PUBACK, SUBACK) up to <see cref="MqttNetworkLinkOptions.Timeout"/>.
/// Messages arrive on MQTTnet's receive task and are handed to the receivers, which queue them for the main loop.
/// </summary>
public sealed class MqttNetworkLink : INetworkLink, IRequestLink, IDisposable
{
    private readonly MqttNetworkLinkOptions _options;
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, object> _receivers = new(StringComparer.Ordinal);

    public MqttNetworkLink(MqttNetworkLinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Port);
        _options = options;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnReceivedAsync;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Why the last call failed, for a simulator's log; null after a success.</summary>
    public string? LastFailure { get; private set; }

    public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(_options.Timeout)
            .WithCredentials(userName, password)
            .WithWillTopic(willTopic)
            .WithWillPayload(willPayload)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain(true)
            .WithWillContentType("application/json");
        if (_options.Tls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(_options.ServerName ?? _options.Host);
                if (_options.CaCertificateFile is { } file)
                    tls.WithCertificateValidationHandler(args => IsSignedBy(args.Certificate, args.SslPolicyErrors, file));
            });
        }

        try
        {
            if (_client.IsConnected)
                Wait(_client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None));
            _receivers.Clear();
            using var timeout = new CancellationTokenSource(_options.Timeout);
            var result = _client.ConnectAsync(builder.Build(), timeout.Token).GetAwaiter().GetResult();
            if (result.ResultCode != MqttClientConnectResultCode.Success)
                return Failed($"the broker refused the connection as '{userName}': {result.ResultCode}");
            LastFailure = null;
            return true;
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or IOException or System.Net.Sockets.SocketException or MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return Failed($"cannot connect to {_options.Host}:{_options.Port}: {exception.Message}");
        }
    }

    public bool Publish(string topic, byte[] payload, bool retain) => PublishMessage(topic, payload, retain, null);

    public bool PublishResponse(string topic, byte[] payload, byte[] correlationData) => PublishMessage(topic, payload, false, correlationData);

    public bool Subscribe(string topicFilter, IMessageReceiver receiver) => SubscribeTo(topicFilter, receiver);

    public bool SubscribeRequests(string topicFilter, IRequestReceiver receiver) => SubscribeTo(topicFilter, receiver);

    public void Disconnect()
    {
        try
        {
            if (_client.IsConnected)
                Wait(_client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None));
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or IOException)
        {
            // The connection is gone either way.
        }
    }

    public void Dispose()
    {
        Disconnect();
        _client.Dispose();
    }

    private bool PublishMessage(string topic, byte[] payload, bool retain, byte[]? correlationData)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .WithContentType("application/json")
            .WithPayloadFormatIndicator(MqttPayloadFormatIndicator.CharacterData);
        if (correlationData is not null)
            builder.WithCorrelationData(correlationData);
        try
        {
            using var timeout = new CancellationTokenSource(_options.Timeout);
            var result = _client.PublishAsync(builder.Build(), timeout.Token).GetAwaiter().GetResult();
            return result.IsSuccess || Failed($"the broker refused the message on {topic}: {result.ReasonCode}");
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or IOException or MQTTnet.Exceptions.MqttClientNotConnectedException)
        {
            return Failed($"publishing on {topic} failed: {exception.Message}");
        }
    }

    private bool SubscribeTo(string topicFilter, object receiver)
    {
        _receivers[topicFilter] = receiver;
        try
        {
            using var timeout = new CancellationTokenSource(_options.Timeout);
            var result = _client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                timeout.Token).GetAwaiter().GetResult();
            var code = result.Items.Single().ResultCode;
            return code is MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS2
                || Failed($"the broker refused the subscription to {topicFilter}: {code}");
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or IOException or MQTTnet.Exceptions.MqttClientNotConnectedException)
        {
            return Failed($"subscribing to {topicFilter} failed: {exception.Message}");
        }
    }

    private Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        foreach (var (filter, receiver) in _receivers)
        {
            if (MqttTopicFilterComparer.Compare(message.Topic, filter) != MqttTopicFilterCompareResult.IsMatch)
                continue;

            // MQTTnet reuses the payload's buffer once the handler returns: the receiver gets a copy.
            var payload = System.Buffers.BuffersExtensions.ToArray(message.Payload);
            if (receiver is IRequestReceiver requests)
                requests.OnRequest(message.Topic, payload, message.ResponseTopic, message.CorrelationData);
            else
                ((IMessageReceiver)receiver).OnMessage(message.Topic, payload);
            break;
        }

        return Task.CompletedTask;
    }

    private bool Failed(string reason)
    {
        LastFailure = reason;
        return false;
    }

    private static bool IsSignedBy(X509Certificate? certificate, SslPolicyErrors errors, string caFile)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            return false;

        using var authority = X509Certificate2.CreateFromPemFile(caFile);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }

    private void Wait(Task task)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout);
        task.WaitAsync(timeout.Token).GetAwaiter().GetResult();
    }
}
