using System;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CivicEdge.Firmware.Core.Hal;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace CivicEdge.Firmware.Core.Device;

/// <summary>
/// The device's MQTT 5 link over nanoFramework's M2Mqtt client (Wi-Fi, Ethernet, or a modem's PPP link). M2Mqtt hands
/// QoS 1 messages to its own in-flight queue, which retries until the broker's PUBACK; a publish is therefore taken as
/// handed over once queued, and the fleet's delivery acknowledgement, not the PUBACK, decides what the outbox keeps.
/// M2Mqtt's received messages carry no response topic or correlation data, so this link is not an
/// <see cref="Uplink.IRequestLink"/>: the uplink answers commands on the contract's results topic, correlated by the
/// command id inside the result.
/// </summary>
public sealed class M2MqttNetworkLink : INetworkLink
{
    private readonly string _host;
    private readonly int _port;
    private readonly bool _tls;
    private readonly X509Certificate _authority;
    private readonly ushort _keepAliveSeconds;
    private readonly IMessageReceiver[] _receivers = new IMessageReceiver[8];
    private readonly string[] _filters = new string[8];
    private int _subscriptions;
    private MqttClient _client;

    /// <param name="host">The broker's host name or address.</param>
    /// <param name="port">1883 in the clear, 8883 with TLS.</param>
    /// <param name="tls">Connect over TLS 1.2.</param>
    /// <param name="authority">The certificate authority that signs the broker's certificate; required with TLS.</param>
    /// <param name="keepAliveSeconds">How soon the broker notices a dead device and publishes its last will.</param>
    public M2MqttNetworkLink(string host, int port, bool tls, X509Certificate authority, ushort keepAliveSeconds)
    {
        if (tls && authority == null)
        {
            throw new ArgumentException("authority: expected the broker's certificate authority for TLS, found none.");
        }

        _host = host;
        _port = port;
        _tls = tls;
        _authority = authority;
        _keepAliveSeconds = keepAliveSeconds;
    }

    public bool IsConnected
    {
        get { return _client != null && _client.IsConnected; }
    }

    public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload)
    {
        Disconnect();
        _subscriptions = 0;
        try
        {
            // A new client per connection: M2Mqtt's network channel is not reopened after the broker or the link drops it.
            _client = new MqttClient(_host, _port, _tls, _authority, null, _tls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
            _client.ProtocolVersion = MqttProtocolVersion.Version_5;
            _client.MqttMsgPublishReceived += OnPublishReceived;
            MqttReasonCode code = _client.Connect(
                clientId,
                userName,
                password,
                true,
                MqttQoSLevel.AtLeastOnce,
                true,
                willTopic,
                Encoding.UTF8.GetString(willPayload, 0, willPayload.Length),
                true,
                _keepAliveSeconds);
            return code == MqttReasonCode.Success;
        }
        catch (Exception)
        {
            // No route, DNS failure, TLS refused, CONNACK timeout: all mean "not now"; the uplink waits and tries again.
            _client = null;
            return false;
        }
    }

    public bool Publish(string topic, byte[] payload, bool retain)
    {
        if (!IsConnected)
        {
            return false;
        }

        try
        {
            _client.Publish(topic, payload, "application/json", null, MqttQoSLevel.AtLeastOnce, retain);
            return true;
        }
        catch (Exception)
        {
            // The in-flight queue is full or the connection broke under the call.
            return false;
        }
    }

    public bool Subscribe(string topicFilter, IMessageReceiver receiver)
    {
        if (!IsConnected || _subscriptions == _filters.Length)
        {
            return false;
        }

        _filters[_subscriptions] = topicFilter;
        _receivers[_subscriptions] = receiver;
        _subscriptions++;
        try
        {
            _client.Subscribe(new string[] { topicFilter }, new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce });
            return true;
        }
        catch (Exception)
        {
            _subscriptions--;
            return false;
        }
    }

    public void Disconnect()
    {
        MqttClient client = _client;
        _client = null;
        if (client == null)
        {
            return;
        }

        try
        {
            if (client.IsConnected)
            {
                client.Disconnect();
            }
        }
        catch (Exception)
        {
            // Already gone.
        }

        client.Dispose();
    }

    private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
    {
        // The uplink subscribes to exact topics (its ack, desired and commands topics), so equality routes them.
        for (int i = 0; i < _subscriptions; i++)
        {
            if (_filters[i] == e.Topic)
            {
                _receivers[i].OnMessage(e.Topic, e.Message);
                return;
            }
        }
    }
}
