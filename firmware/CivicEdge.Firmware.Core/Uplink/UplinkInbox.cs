using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>
/// Messages from the broker, handed from the link's receive thread to the main loop. The slots hold the arrays the link
/// allocated for each message (it allocates one per message anyway), so waiting messages cost no copy and no buffer of
/// their own. A message larger than the uplink reads, or arriving while every slot is full, is counted and dropped: an acknowledgement lost
/// this way makes the batch go again, a desired state is retained and comes again with the next connection, and a
/// command the fleet sees unanswered times out there.
/// </summary>
internal sealed class UplinkInbox : IMessageReceiver, IRequestReceiver
{
    private readonly object _lock = new object();
    private readonly byte[][] _payloads;
    private readonly int _maxBytes;
    private readonly string[] _topics;
    private readonly string[] _responseTopics;
    private readonly byte[][] _correlations;
    private int _head;
    private int _count;

    public UplinkInbox(int slots, int bytes)
    {
        _payloads = new byte[slots][];
        _maxBytes = bytes;
        _topics = new string[slots];
        _responseTopics = new string[slots];
        _correlations = new byte[slots][];
    }

    /// <summary>Messages dropped because every slot was full.</summary>
    public long Overflowed { get; private set; }

    /// <summary>Messages dropped because they were larger than a slot.</summary>
    public long Oversized { get; private set; }

    /// <summary>The topic of the last oversized message and its size, for the health report.</summary>
    public string LastOversized { get; private set; }

    public void OnMessage(string topic, byte[] payload)
    {
        Put(topic, payload, null, null);
    }

    public void OnRequest(string topic, byte[] payload, string responseTopic, byte[] correlationData)
    {
        Put(topic, payload, responseTopic, correlationData);
    }

    /// <summary>Takes the oldest message; null when none waits.</summary>
    public byte[] Take(out string topic, out string responseTopic, out byte[] correlationData)
    {
        lock (_lock)
        {
            topic = null;
            responseTopic = null;
            correlationData = null;
            if (_count == 0)
            {
                return null;
            }

            byte[] payload = _payloads[_head];
            topic = _topics[_head];
            responseTopic = _responseTopics[_head];
            correlationData = _correlations[_head];
            _payloads[_head] = null;
            _topics[_head] = null;
            _responseTopics[_head] = null;
            _correlations[_head] = null;
            _head = (_head + 1) % _payloads.Length;
            _count--;
            return payload;
        }
    }

    private void Put(string topic, byte[] payload, string responseTopic, byte[] correlationData)
    {
        lock (_lock)
        {
            int length = payload == null ? 0 : payload.Length;
            if (length > _maxBytes)
            {
                Oversized++;
                LastOversized = topic + " (" + length.ToString() + " bytes, room for " + _maxBytes.ToString() + ")";
                return;
            }

            if (_count == _payloads.Length)
            {
                Overflowed++;
                return;
            }

            int slot = (_head + _count) % _payloads.Length;
            _payloads[slot] = payload == null ? new byte[0] : payload;
            _topics[slot] = topic;
            _responseTopics[slot] = responseTopic;
            _correlations[slot] = correlationData;
            _count++;
        }
    }
}
