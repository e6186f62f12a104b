using System.Text;
using CivicEdge.Firmware.Core.Hal;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>
/// The controller's MQTT session through nanoFramework's M2Mqtt client over TLS (MQTT 5, QoS 1). Messages arrive on
/// M2Mqtt's receive thread and go to the receiver that subscribed, which hands them to the main loop.
/// </summary>
public sealed class M2MqttLink : INetworkLink
{
    private const ushort KeepAliveSeconds = 60;

    private readonly string _host;
    private readonly int _port;
    private readonly string[] _filters = new string[8];
    private readonly IMessageReceiver[] _receivers = new IMessageReceiver[8];
    private readonly MqttQoSLevel[] _atLeastOnce = new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce };
    private readonly string[] _one = new string[1];
    private int _subscriptions;
    private MqttClient _client;

    public M2MqttLink(string host, int port)
    {
        _host = host;
        _port = port;
    }

    public bool IsConnected => _client != null && _client.IsConnected;

    public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload)
    {
        try
        {
            _client = new MqttClient(_host, _port, true, null, null, MqttSslProtocols.TLSv1_2);
            _client.ProtocolVersion = MqttProtocolVersion.Version_5;
            _client.MqttMsgPublishReceived += OnPublish;
            _subscriptions = 0;
            var will = Encoding.UTF8.GetString(willPayload, 0, willPayload.Length);
            var code = _client.Connect(clientId, userName, password, true, MqttQoSLevel.AtLeastOnce, true, willTopic, will, true, KeepAliveSeconds);
            return code == MqttReasonCode.Success;
        }
        catch (System.Exception)
        {
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
            _client.Publish(topic, payload, null, null, MqttQoSLevel.AtLeastOnce, retain);
            return true;
        }
        catch (System.Exception)
        {
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
        _one[0] = topicFilter;
        _client.Subscribe(_one, _atLeastOnce);
        return true;
    }

    public void Disconnect()
    {
        if (IsConnected)
        {
            _client.Disconnect();
        }
    }

    private void OnPublish(object sender, MqttMsgPublishEventArgs e)
    {
        for (var i = 0; i < _subscriptions; i++)
        {
            if (_filters[i] == e.Topic)
            {
                _receivers[i].OnMessage(e.Topic, e.Message);
                return;
            }
        }
    }
}
