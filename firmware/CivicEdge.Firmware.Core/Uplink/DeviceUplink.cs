using System;
using System.Collections;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Json;
using CivicEdge.Firmware.Core.Scheduling;

namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>
/// A device's own link to the fleet, speaking the gateway's MQTT 5 contract (CivicEdge.Fleet.Contracts): readings and
/// events numbered per stream in a durable outbox and deleted only when the fleet acknowledges it persisted them; birth
/// and death (last will) on the state topic; health; the twin's desired configuration applied whole or refused, and
/// reported; commands executed once per id and answered with the request's correlation data. The app calls
/// <see cref="Poll"/> from its main loop: the uplink has no thread of its own, and waits between connection attempts
/// (doubling from <see cref="UplinkOptions.ReconnectMinMilliseconds"/>) are measured on <see cref="IClock"/>.
/// </summary>
/// <remarks>
/// Readings and events are encoded when they are made, into buffers allocated at construction; what is allocated in
/// steady state is one array per published message, the form <see cref="INetworkLink.Publish"/> takes.
/// </remarks>
public sealed class DeviceUplink : IScheduledJob
{
    private const int TelemetryStream = 0;
    private const int BillingStream = 1;
    private const int EventsStream = 2;
    private const int RecentCommands = 4;

    /// <summary>The code of the event that reports records dropped while the outbox was full (the gateway's own).</summary>
    public const string OverflowCode = "outbox_overflow";

    private readonly UplinkOptions _options;
    private readonly INetworkLink _link;
    private readonly IRequestLink _requestLink;
    private readonly IClock _clock;
    private readonly IMemoryGauge _memory;
    private readonly ResetCause _resetCause;
    private readonly DeviceTopics _topics;
    private readonly OutboxStream[] _streams;
    private readonly bool[] _inFlight = new bool[3];
    private readonly long[] _inFlightLast = new long[3];
    private readonly long[] _sentAt = new long[3];
    private readonly bool[] _overflowing = new bool[3];
    private readonly long[] _droppedBefore = new long[3];
    private readonly JsonWriter _record;
    private readonly JsonWriter _message;
    private readonly JsonReader _reader = new JsonReader(16);
    private readonly UplinkInbox _inbox;
    private readonly Hashtable _commands = new Hashtable();
    private readonly CommandArguments _arguments;
    private readonly CommandResponse _response;
    private readonly string[] _recentIds = new string[RecentCommands];
    private readonly byte[][] _recentResults = new byte[RecentCommands][];
    private readonly string[] _settingNames;
    private readonly ScalarValue[] _settingValues;
    private readonly string[] _entryNames;
    private readonly ScalarValue[] _entryValues;
    private readonly ArrayList _errors = new ArrayList();
    private readonly ArrayList _entryErrors = new ArrayList();
    private IConfigurationHandler _configuration;
    private int _recentNext;
    private int _settingCount;

    private bool _sessionUp;
    private long _nextAttempt;
    private int _backoff;
    private int _failedAttempts;
    private string _lastError;
    private DateTime _lastErrorAt;
    private DateTime _since;
    private bool _hasSince;
    private long _nextHealth;
    private long _nextCheckpoint;
    private bool _reportedPending;

    private bool _readingOpen;
    private int _readingStream;
    private int _readingPoints;

    private long _appliedVersion;
    private long _lastDesiredVersion;
    private ConfigurationStatus _lastDesiredStatus;
    private DateTime _lastDesiredAt;
    private string[] _lastDesiredErrors = new string[0];

    /// <param name="options">Identity, credentials and sizes; validated here, naming the first setting that cannot work.</param>
    /// <param name="link">The device's IP link to the broker; an <see cref="IRequestLink"/> too when it speaks MQTT 5 request/response.</param>
    /// <param name="clock">Uptime for intervals, UTC for timestamps.</param>
    /// <param name="storage">Where the outbox is checkpointed; the same storage after a reboot brings the records back.</param>
    /// <param name="resetCause">Why the device last started, for the health report.</param>
    /// <param name="memory">The managed heap, for the health report; null when the platform cannot say.</param>
    public DeviceUplink(UplinkOptions options, INetworkLink link, IClock clock, ISettingsStorage storage, ResetCause resetCause, IMemoryGauge memory)
    {
        options.Validate();
        _options = options;
        _link = link;
        _requestLink = link as IRequestLink;
        _clock = clock;
        _memory = memory;
        _resetCause = resetCause;
        _topics = new DeviceTopics(options.SourceId);
        long now = clock.UptimeMilliseconds;
        _streams = new OutboxStream[3];
        _streams[TelemetryStream] = new OutboxStream("telemetry", options.TelemetryBytes, options.TelemetryRecords, storage, "uplink.telemetry", now);
        _streams[BillingStream] = new OutboxStream("billing", options.BillingBytes, options.BillingRecords, storage, "uplink.billing", now);
        _streams[EventsStream] = new OutboxStream("events", options.EventBytes, options.EventRecords, storage, "uplink.events", now);
        _record = new JsonWriter(options.RecordBytes, 4);
        _message = new JsonWriter(options.MessageBytes, 6);
        _inbox = new UplinkInbox(options.InboundSlots, options.InboundBytes);
        _arguments = new CommandArguments(options.MaxSettings);
        _response = new CommandResponse(512);
        _settingNames = new string[options.MaxSettings];
        _settingValues = NewValues(options.MaxSettings);
        _entryNames = new string[options.MaxSettings];
        _entryValues = NewValues(options.MaxSettings);
        _backoff = options.ReconnectMinMilliseconds;
        _appliedVersion = -1;
        _nextCheckpoint = now + options.CheckpointIntervalMilliseconds;
    }

    /// <summary>The device's topics.</summary>
    public DeviceTopics Topics
    {
        get { return _topics; }
    }

    /// <summary>True while connected, with the birth message out and the subscriptions made.</summary>
    public bool IsConnected
    {
        get { return _sessionUp; }
    }

    public OutboxStream Telemetry
    {
        get { return _streams[TelemetryStream]; }
    }

    public OutboxStream Billing
    {
        get { return _streams[BillingStream]; }
    }

    public OutboxStream Events
    {
        get { return _streams[EventsStream]; }
    }

    /// <summary>Connection attempts that failed since the last success.</summary>
    public int FailedAttempts
    {
        get { return _failedAttempts; }
    }

    /// <summary>Why the last connection failed or was lost; null if none has.</summary>
    public string LastError
    {
        get { return _lastError; }
    }

    /// <summary>The desired version applied; -1 while the app's own settings apply.</summary>
    public long AppliedVersion
    {
        get { return _appliedVersion; }
    }

    /// <summary>Readings, points and events the app made that could not be kept, since boot.</summary>
    public long Refused { get; private set; }

    /// <summary>Why the last reading, point or event was refused.</summary>
    public string LastRefusal { get; private set; }

    /// <summary>Messages from the fleet that could not be read, since boot.</summary>
    public long MalformedInbound { get; private set; }

    /// <summary>What was wrong with the last one, naming the topic and the offset.</summary>
    public string LastInboundError { get; private set; }

    /// <summary>Batches sent again because their acknowledgement did not come in time.</summary>
    public long Resent { get; private set; }

    /// <summary>Why the app runs in safe mode (the health report says so, degraded); null in normal operation.</summary>
    public string SafeModeReason { get; set; }

    /// <summary>Sets what applies the twin's desired configuration; without one, every desired configuration is refused.</summary>
    public void SetConfigurationHandler(IConfigurationHandler handler)
    {
        _configuration = handler;
    }

    /// <summary>Registers the handler of the command <paramref name="name"/> (e.g. <c>dim</c>).</summary>
    public void RegisterCommand(string name, ICommandHandler handler)
    {
        _commands[name] = handler;
    }

    /// <summary>Starts a reading of the device's own points, numbered in the telemetry stream (or billing, for billing registers).</summary>
    public void BeginReading(bool billing)
    {
        if (_readingOpen)
        {
            throw new InvalidOperationException("A reading is already open: end it with EndReading before beginning another.");
        }

        _readingOpen = true;
        _readingStream = billing ? BillingStream : TelemetryStream;
        _readingPoints = 0;
        _record.Reset();
        _record.BeginObject();
        _record.Name("seq");
        _record.Number(_streams[_readingStream].NextSeq);
        _record.Name("deviceId");
        _record.String(_options.SourceId);
        _record.Name("model");
        _record.String(_options.Model);
        _record.Name("timestamp");
        _record.Timestamp(_clock.UtcNow);
        _record.Name("points");
        _record.BeginArray();
    }

    /// <summary>Adds one point to the open reading; false (counted in <see cref="Refused"/>) when its value is not finite or the reading is full.</summary>
    public bool AddPoint(string name, double value, string unit, string quantity, PointQuality quality)
    {
        if (!_readingOpen)
        {
            throw new InvalidOperationException("AddPoint needs an open reading: call BeginReading first.");
        }

        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return Refuse("point " + name + ": expected a finite value, found " + (double.IsNaN(value) ? "NaN" : "an infinity") + "; report the last good value as stale or commError instead");
        }

        JsonMark mark = _record.Mark();
        _record.BeginObject();
        _record.Name("name");
        _record.String(name);
        _record.Name("value");
        _record.Number(value);
        _record.Name("unit");
        _record.String(unit);
        _record.Name("quantity");
        _record.String(quantity);
        _record.Name("quality");
        _record.String(WireNames.Of(quality));
        _record.EndObject();

        // Room for closing the points array and the record.
        if (_record.Overflowed || _record.Length + 2 > _record.Capacity)
        {
            _record.Rewind(mark);
            return Refuse("point " + name + ": expected the reading to fit RecordBytes (" + _record.Capacity.ToString() + "), found it full after " + _readingPoints.ToString() + " points");
        }

        _readingPoints++;
        return true;
    }

    /// <summary>Keeps the open reading in the outbox; its sequence number, or 0 when it was refused (no points).</summary>
    public long EndReading()
    {
        if (!_readingOpen)
        {
            throw new InvalidOperationException("EndReading needs an open reading: call BeginReading first.");
        }

        _readingOpen = false;
        if (_readingPoints == 0)
        {
            Refuse("reading: expected at least one point, found none");
            return 0;
        }

        _record.EndArray();
        _record.EndObject();
        return Keep(_readingStream, _readingStream == BillingStream);
    }

    /// <summary>One reading of one point; its sequence number, or 0 when it was refused.</summary>
    public long ReportPoint(string name, double value, string unit, string quantity, PointQuality quality)
    {
        BeginReading(false);
        if (!AddPoint(name, value, unit, quantity, quality))
        {
            _readingOpen = false;
            return 0;
        }

        return EndReading();
    }

    /// <summary>Raises the alarm <paramref name="code"/> (e.g. <c>lamp_failure</c>); cleared later with the same code.</summary>
    public long RaiseEvent(string code, EventSeverity severity, string message)
    {
        return AddEvent(code, EventState.Raised, severity, message, null, false, 0);
    }

    /// <summary>Raises the alarm <paramref name="code"/> about <paramref name="point"/> at <paramref name="value"/>.</summary>
    public long RaiseEvent(string code, EventSeverity severity, string message, string point, double value)
    {
        return AddEvent(code, EventState.Raised, severity, message, point, true, value);
    }

    /// <summary>Clears the alarm <paramref name="code"/>.</summary>
    public long ClearEvent(string code, EventSeverity severity, string message)
    {
        return AddEvent(code, EventState.Cleared, severity, message, null, false, 0);
    }

    /// <summary>Records something that has no end (a door opened with the right key, a reboot).</summary>
    public long EventOccurred(string code, EventSeverity severity, string message)
    {
        return AddEvent(code, EventState.Occurred, severity, message, null, false, 0);
    }

    /// <summary>Runs <see cref="Poll"/> as one of the main loop's jobs.</summary>
    public void Run(long uptimeMilliseconds)
    {
        Poll();
    }

    /// <summary>One pass of the main loop: messages received, connection, sending, health, checkpoints.</summary>
    public void Poll()
    {
        long now = _clock.UptimeMilliseconds;
        HandleInbox(now);
        ReportOverflows();
        if (_sessionUp && !_link.IsConnected)
        {
            LoseSession(now, "the broker connection was lost");
        }

        if (!_sessionUp && now >= _nextAttempt)
        {
            Connect(now);
        }

        if (_sessionUp)
        {
            for (int i = 0; i < _streams.Length && _sessionUp; i++)
            {
                Send(i, now);
            }

            if (_sessionUp && _reportedPending)
            {
                PublishReported();
            }

            if (_sessionUp && now >= _nextHealth)
            {
                PublishHealth(now);
            }
        }

        if (now >= _nextCheckpoint)
        {
            _nextCheckpoint = now + _options.CheckpointIntervalMilliseconds;
            for (int i = 0; i < _streams.Length; i++)
            {
                if (_streams[i].IsDirty)
                {
                    _streams[i].Checkpoint();
                }
            }
        }
    }

    /// <summary>A clean shutdown: the offline state, a disconnect without last will, and a checkpoint of what waits.</summary>
    public void Stop()
    {
        if (_sessionUp)
        {
            WriteSourceState(false);
            _link.Publish(_topics.State, _message.ToArray(), true);
            _link.Disconnect();
            _sessionUp = false;
        }

        for (int i = 0; i < _streams.Length; i++)
        {
            if (_streams[i].IsDirty)
            {
                _streams[i].Checkpoint();
            }
        }
    }

    private long AddEvent(string code, EventState state, EventSeverity severity, string message, string point, bool hasValue, double value)
    {
        if (hasValue && (double.IsNaN(value) || double.IsInfinity(value)))
        {
            Refuse("event " + code + ": expected a finite value, found " + (double.IsNaN(value) ? "NaN" : "an infinity"));
            return 0;
        }

        OutboxStream stream = _streams[EventsStream];
        _record.Reset();
        _record.BeginObject();
        _record.Name("seq");
        _record.Number(stream.NextSeq);
        _record.Name("deviceId");
        _record.String(_options.SourceId);
        _record.Name("timestamp");
        _record.Timestamp(_clock.UtcNow);
        _record.Name("code");
        _record.String(code);
        _record.Name("state");
        _record.String(WireNames.Of(state));
        _record.Name("severity");
        _record.String(WireNames.Of(severity));
        _record.Name("message");
        _record.String(message);
        _record.Name("point");
        _record.String(point);
        _record.Name("value");
        if (hasValue)
        {
            _record.Number(value);
        }
        else
        {
            _record.Null();
        }

        _record.EndObject();
        if (_record.Overflowed)
        {
            Refuse("event " + code + ": expected it to fit RecordBytes (" + _record.Capacity.ToString() + "), found it longer");
            return 0;
        }

        // Alarms are few and precious: each is checkpointed as it happens.
        return Keep(EventsStream, true);
    }

    private long Keep(int streamIndex, bool checkpointNow)
    {
        OutboxStream stream = _streams[streamIndex];
        if (_record.Overflowed)
        {
            Refuse(stream.Name + " record: expected it to fit RecordBytes (" + _record.Capacity.ToString() + "), found it longer");
            return 0;
        }

        bool reserving = stream.NeedsReservation;
        long dropped = stream.Dropped;
        stream.Append(_record.Buffer, 0, _record.Length, _clock.UptimeMilliseconds);
        if (stream.Dropped > dropped && !_overflowing[streamIndex])
        {
            _overflowing[streamIndex] = true;
            _droppedBefore[streamIndex] = dropped;
        }

        if (reserving || checkpointNow)
        {
            stream.Checkpoint();
        }

        return stream.LastSeq;
    }

    /// <summary>
    /// Once a readings stream that overflowed has drained below its low water, one event says how many records it
    /// dropped, as the gateway's outbox does. Dropped events cannot be reported as events; the health report counts them.
    /// </summary>
    private void ReportOverflows()
    {
        for (int i = 0; i < EventsStream; i++)
        {
            OutboxStream stream = _streams[i];
            if (!_overflowing[i] || !stream.IsBelowLowWater)
            {
                continue;
            }

            _overflowing[i] = false;
            long count = stream.Dropped - _droppedBefore[i];
            AddEvent(
                OverflowCode,
                EventState.Occurred,
                i == TelemetryStream ? EventSeverity.Warning : EventSeverity.Major,
                "The outbox was full: dropped " + count.ToString() + " " + stream.Name + " records, oldest first, while the fleet could not be reached.",
                stream.Name,
                true,
                count);
        }
    }

    private bool Refuse(string reason)
    {
        Refused++;
        LastRefusal = reason;
        return false;
    }

    private void Connect(long now)
    {
        WriteSourceState(false);
        byte[] will = _message.ToArray();
        if (!_link.Connect(_options.SourceId, _options.UserName, _options.Password, _topics.State, will))
        {
            Fail(now, "the broker could not be reached or refused the device's credentials");
            return;
        }

        WriteSourceState(true);
        bool ready = _link.Publish(_topics.State, _message.ToArray(), true)
            && _link.Subscribe(_topics.Ack, _inbox)
            && _link.Subscribe(_topics.Desired, _inbox)
            && (_requestLink != null ? _requestLink.SubscribeRequests(_topics.Commands, _inbox) : _link.Subscribe(_topics.Commands, _inbox));
        if (!ready)
        {
            _link.Disconnect();
            Fail(now, "the birth message or a subscription was refused");
            return;
        }

        _sessionUp = true;
        _failedAttempts = 0;
        _backoff = _options.ReconnectMinMilliseconds;
        _since = _clock.UtcNow;
        _hasSince = true;
        for (int i = 0; i < _inFlight.Length; i++)
        {
            _inFlight[i] = false;
        }

        _reportedPending = _lastDesiredVersion > 0;
        _nextHealth = now;
    }

    private void Fail(long now, string reason)
    {
        _failedAttempts++;
        SetError(reason);
        _nextAttempt = now + _backoff;
        _backoff = _backoff >= _options.ReconnectMaxMilliseconds / 2 ? _options.ReconnectMaxMilliseconds : _backoff * 2;
    }

    private void LoseSession(long now, string reason)
    {
        _sessionUp = false;
        SetError(reason);
        _since = _clock.UtcNow;
        _hasSince = true;
        _nextAttempt = now;
    }

    private void SetError(string reason)
    {
        _lastError = reason;
        _lastErrorAt = _clock.UtcNow;
    }

    private void Publish(string topic, bool retain)
    {
        if (!_link.Publish(topic, _message.ToArray(), retain))
        {
            // The link keeps its session but the broker did not take the message: start over with a fresh session.
            _link.Disconnect();
            LoseSession(_clock.UptimeMilliseconds, "a publish on " + topic + " was not handed to the broker");
        }
    }

    private void Send(int index, long now)
    {
        OutboxStream stream = _streams[index];
        if (_inFlight[index])
        {
            if (now - _sentAt[index] < _options.AckTimeoutMilliseconds)
            {
                return;
            }

            _inFlight[index] = false;
            Resent++;
        }

        if (stream.Count == 0)
        {
            return;
        }

        _message.Reset();
        _message.BeginObject();
        _message.Name("source");
        _message.String(_options.SourceId);
        _message.Name("stream");
        _message.String(stream.Name);
        _message.Name("records");
        _message.BeginArray();
        int records = 0;
        while (records < stream.Count)
        {
            JsonMark mark = _message.Mark();
            stream.WriteRecord(records, _message);
            if (_message.Overflowed || _message.Length + 2 > _message.Capacity)
            {
                _message.Rewind(mark);
                break;
            }

            records++;
        }

        if (records == 0)
        {
            // RecordBytes + 256 <= MessageBytes makes this unreachable unless records outgrow a message: such a record
            // can never be sent, so it is counted with those the fleet refused instead of blocking its stream.
            long seq = stream.SeqAt(0);
            stream.Acknowledge(seq, seq, false);
            Refuse(stream.Name + " record " + seq.ToString() + ": expected it to fit a message of MessageBytes (" + _message.Capacity.ToString() + "), found it longer");
            return;
        }

        _message.EndArray();
        _message.EndObject();
        _inFlight[index] = true;
        _inFlightLast[index] = stream.SeqAt(records - 1);
        _sentAt[index] = now;
        Publish(index == EventsStream ? _topics.Events : _topics.Telemetry, false);
    }

    private void HandleInbox(long now)
    {
        while (true)
        {
            string topic;
            string responseTopic;
            byte[] correlation;
            byte[] payload = _inbox.Take(out topic, out responseTopic, out correlation);
            if (payload == null)
            {
                return;
            }

            int length = payload.Length;
            _reader.Reset(payload, 0, length);
            if (topic == _topics.Ack)
            {
                HandleAck();
            }
            else if (topic == _topics.Desired)
            {
                HandleDesired(length);
            }
            else if (topic == _topics.Commands)
            {
                HandleCommand(responseTopic, correlation);
            }
        }
    }

    private void Malformed(string topic)
    {
        MalformedInbound++;
        LastInboundError = topic + ": " + _reader.Error;
    }

    private void HandleAck()
    {
        // DeliveryAck: {"stream":"telemetry","firstSeq":1,"lastSeq":9,"status":"persisted","stored":9,"duplicates":0,"reason":null}
        int stream = -1;
        long first = -1;
        long last = -1;
        int persisted = -1;
        if (ExpectObject())
        {
            while (_reader.Read() && _reader.Kind == JsonTokenKind.PropertyName)
            {
                if (_reader.ValueEquals("stream"))
                {
                    _reader.Read();
                    for (int i = 0; i < _streams.Length; i++)
                    {
                        if (_reader.ValueEquals(_streams[i].Name))
                        {
                            stream = i;
                        }
                    }

                    if (stream < 0)
                    {
                        _reader.Fail("stream telemetry, billing or events", _reader.DescribeToken());
                    }
                }
                else if (_reader.ValueEquals("firstSeq"))
                {
                    _reader.Read();
                    _reader.TryGetInt64(out first);
                }
                else if (_reader.ValueEquals("lastSeq"))
                {
                    _reader.Read();
                    _reader.TryGetInt64(out last);
                }
                else if (_reader.ValueEquals("status"))
                {
                    _reader.Read();
                    persisted = _reader.ValueEquals("persisted") ? 1 : _reader.ValueEquals("rejected") ? 0 : -1;
                    if (persisted < 0)
                    {
                        _reader.Fail("status persisted or rejected", _reader.DescribeToken());
                    }
                }
                else
                {
                    _reader.Skip();
                }
            }
        }

        if (_reader.Error == null && (stream < 0 || first < 0 || last < first || persisted < 0))
        {
            _reader.Fail("stream, firstSeq, lastSeq and status", "an acknowledgement without them");
        }

        if (_reader.Error != null)
        {
            Malformed(_topics.Ack);
            return;
        }

        _streams[stream].Acknowledge(first, last, persisted == 1);
        if (_inFlight[stream] && _inFlightLast[stream] == last)
        {
            _inFlight[stream] = false;
        }
    }

    private bool ExpectObject()
    {
        if (_reader.Read() && _reader.Kind == JsonTokenKind.StartObject)
        {
            return true;
        }

        if (_reader.Error == null)
        {
            _reader.Fail("a JSON object", _reader.DescribeToken());
        }

        return false;
    }

    private void HandleDesired(int length)
    {
        if (length == 0)
        {
            // An empty retained message only clears the broker's copy (MQTT 5.0 §3.3.1.3).
            return;
        }

        // DesiredState: {"version":3,"updatedAt":"…","configuration":null | {"buses":[…],"devices":[{"id":"…",…}],"profiles":[…]}}
        long version = -1;
        bool hasConfiguration = false;
        bool found = false;
        _errors.Clear();
        _settingCount = 0;
        if (ExpectObject())
        {
            while (_reader.Read() && _reader.Kind == JsonTokenKind.PropertyName)
            {
                if (_reader.ValueEquals("version"))
                {
                    _reader.Read();
                    _reader.TryGetInt64(out version);
                }
                else if (_reader.ValueEquals("configuration"))
                {
                    _reader.Read();
                    if (_reader.Kind == JsonTokenKind.StartObject)
                    {
                        hasConfiguration = true;
                        found = ReadConfiguration();
                    }
                    else if (_reader.Kind != JsonTokenKind.Null)
                    {
                        _reader.Fail("configuration as an object or null", _reader.DescribeToken());
                    }
                }
                else
                {
                    _reader.Skip();
                }
            }
        }

        if (_reader.Error == null && version < 1)
        {
            _reader.Fail("a version of 1 or more", "none");
        }

        if (_reader.Error != null)
        {
            Malformed(_topics.Desired);
            if (version < 1)
            {
                return;
            }

            _errors.Clear();
            _errors.Add(_reader.Error);
        }

        if (version <= _lastDesiredVersion)
        {
            return;
        }

        if (_errors.Count == 0 && hasConfiguration && !found)
        {
            _errors.Add("devices: expected an entry with id '" + _options.SourceId + "' (this device), found none");
        }

        if (found && _reader.Error == null)
        {
            CheckSettings();
        }

        _lastDesiredVersion = version;
        _lastDesiredAt = _clock.UtcNow;
        if (_errors.Count > 0)
        {
            _lastDesiredStatus = ConfigurationStatus.Refused;
            _lastDesiredErrors = new string[_errors.Count];
            _errors.CopyTo(_lastDesiredErrors);
        }
        else
        {
            _lastDesiredStatus = ConfigurationStatus.Applied;
            _lastDesiredErrors = new string[0];
            if (hasConfiguration)
            {
                for (int i = 0; i < _settingCount; i++)
                {
                    _configuration.Apply(_settingNames[i], _settingValues[i]);
                }

                _appliedVersion = version;
            }
            else
            {
                if (_configuration != null)
                {
                    _configuration.RestoreDefaults();
                }

                _appliedVersion = -1;
            }
        }

        _reportedPending = true;
    }

    private void CheckSettings()
    {
        if (_configuration == null)
        {
            _errors.Add("devices: expected no settings (this device takes none), found " + _settingCount.ToString());
            return;
        }

        for (int i = 0; i < _settingCount; i++)
        {
            string problem = _configuration.Check(_settingNames[i], _settingValues[i]);
            if (problem != null)
            {
                _errors.Add(_settingNames[i] + ": " + problem);
            }
        }
    }

    /// <summary>Reads the configuration object; true when its devices list has this device's entry, whose settings are then in the settings arrays.</summary>
    private bool ReadConfiguration()
    {
        bool found = false;
        while (_reader.Read() && _reader.Kind == JsonTokenKind.PropertyName)
        {
            if (!_reader.ValueEquals("devices"))
            {
                _reader.Skip();
                continue;
            }

            _reader.Read();
            if (_reader.Kind != JsonTokenKind.StartArray)
            {
                _reader.Fail("devices as an array of objects", _reader.DescribeToken());
                return false;
            }

            int index = 0;
            while (_reader.Read() && _reader.Kind == JsonTokenKind.StartObject)
            {
                if (ReadDeviceEntry(index))
                {
                    found = true;
                }

                index++;
            }

            if (_reader.Error == null && _reader.Kind != JsonTokenKind.EndArray)
            {
                _reader.Fail("an object for each device", _reader.DescribeToken());
            }
        }

        return found;
    }

    private bool ReadDeviceEntry(int index)
    {
        int count = 0;
        bool ours = false;
        _entryErrors.Clear();
        while (_reader.Read() && _reader.Kind == JsonTokenKind.PropertyName)
        {
            string name = _reader.GetString();
            _reader.Read();
            if (name.ToLower() == "id")
            {
                ours = _reader.ValueEquals(_options.SourceId);
                continue;
            }

            if (_reader.Kind == JsonTokenKind.StartObject || _reader.Kind == JsonTokenKind.StartArray)
            {
                _entryErrors.Add("devices[" + index.ToString() + "]." + name + ": expected a single value (string, number or true/false), found " + _reader.DescribeToken());
                _reader.Skip();
                continue;
            }

            if (count == _entryNames.Length)
            {
                _entryErrors.Add("devices[" + index.ToString() + "]." + name + ": expected at most " + _entryNames.Length.ToString() + " settings, found more");
                continue;
            }

            _entryNames[count] = name;
            _entryValues[count].TryRead(_reader);
            count++;
        }

        if (!ours)
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            _settingNames[i] = _entryNames[i];
            _settingValues[i].CopyFrom(_entryValues[i]);
        }

        _settingCount = count;
        for (int i = 0; i < _entryErrors.Count; i++)
        {
            _errors.Add(_entryErrors[i]);
        }

        return true;
    }

    private void HandleCommand(string responseTopic, byte[] correlation)
    {
        // CommandRequest: {"id":"…","target":"…","name":"dim","arguments":{"level":40},"expiresAt":"…"}
        string id = null;
        string target = null;
        string name = null;
        DateTime expiresAt = DateTime.MaxValue;
        string problem = null;
        _arguments.Clear();
        if (ExpectObject())
        {
            while (_reader.Read() && _reader.Kind == JsonTokenKind.PropertyName)
            {
                if (_reader.ValueEquals("id"))
                {
                    _reader.Read();
                    id = _reader.GetString();
                }
                else if (_reader.ValueEquals("target"))
                {
                    _reader.Read();
                    target = _reader.GetString();
                }
                else if (_reader.ValueEquals("name"))
                {
                    _reader.Read();
                    name = _reader.GetString();
                }
                else if (_reader.ValueEquals("expiresAt"))
                {
                    _reader.Read();
                    _reader.TryGetTimestamp(out expiresAt);
                }
                else if (_reader.ValueEquals("arguments"))
                {
                    _reader.Read();
                    problem = ReadArguments();
                }
                else
                {
                    _reader.Skip();
                }
            }
        }

        if (id == null)
        {
            if (_reader.Error == null)
            {
                _reader.Fail("a command with an id", "none");
            }

            Malformed(_topics.Commands);
            return;
        }

        for (int i = 0; i < RecentCommands; i++)
        {
            if (_recentIds[i] == id)
            {
                // The fleet sent it again (a reconnect, a lost result): the same answer, not a second execution.
                Respond(responseTopic, correlation, _recentResults[i]);
                return;
            }
        }

        _response.Begin();
        if (_reader.Error != null)
        {
            Malformed(_topics.Commands);
            _response.Set(CommandStatus.Rejected, "command: " + _reader.Error);
        }
        else if (target != _options.SourceId)
        {
            _response.Set(CommandStatus.UnknownTarget, "target: expected '" + _options.SourceId + "' (this device), found '" + target + "'");
        }
        else if (_clock.IsSynchronized && _clock.UtcNow > expiresAt)
        {
            _response.Set(CommandStatus.Expired, "arrived after its expiry");
        }
        else if (problem != null)
        {
            _response.Set(CommandStatus.Rejected, problem);
        }
        else
        {
            ICommandHandler handler = name == null ? null : (ICommandHandler)_commands[name];
            if (handler == null)
            {
                _response.Set(CommandStatus.Rejected, "name: expected one of " + CommandNames() + ", found '" + name + "'");
            }
            else
            {
                handler.Execute(_arguments, _response);
                if (!_response.HasOutcome)
                {
                    _response.Set(CommandStatus.Failed, "the handler of '" + name + "' gave no outcome");
                }
            }
        }

        WriteCommandResult(id, target);
        byte[] result = _message.ToArray();
        _recentIds[_recentNext] = id;
        _recentResults[_recentNext] = result;
        _recentNext = (_recentNext + 1) % RecentCommands;
        Respond(responseTopic, correlation, result);
    }

    private string ReadArguments()
    {
        if (_reader.Kind == JsonTokenKind.Null)
        {
            return null;
        }

        if (_reader.Kind != JsonTokenKind.StartObject)
        {
            string found = _reader.DescribeToken();
            _reader.Skip();
            return "arguments: expected an object, found " + found;
        }

        string problem = null;
        while (_reader.Read() && _reader.Kind == JsonTokenKind.PropertyName)
        {
            string name = _reader.GetString();
            _reader.Read();
            if (_arguments.Count == _arguments.Capacity)
            {
                problem = "arguments: expected at most " + _arguments.Capacity.ToString() + ", found more";
                _reader.Skip();
            }
            else if (!_arguments.TryAdd(name, _reader))
            {
                problem = "arguments." + name + ": expected a single value (string, number or true/false), found " + _reader.DescribeToken();
                _reader.Skip();
            }
        }

        return problem;
    }

    private string CommandNames()
    {
        string names = null;
        foreach (DictionaryEntry entry in _commands)
        {
            names = names == null ? (string)entry.Key : names + ", " + (string)entry.Key;
        }

        return names == null ? "no command (this device takes none)" : names;
    }

    private void Respond(string responseTopic, byte[] correlation, byte[] result)
    {
        if (!_sessionUp)
        {
            // Not connected: the fleet sends the command again once the device is back, and gets this same answer.
            return;
        }

        string topic = responseTopic != null && responseTopic.Length > 0 ? responseTopic : _topics.Results;
        bool sent = _requestLink != null && correlation != null
            ? _requestLink.PublishResponse(topic, result, correlation)
            : _link.Publish(topic, result, false);
        if (!sent)
        {
            _link.Disconnect();
            LoseSession(_clock.UptimeMilliseconds, "a command result on " + topic + " was not handed to the broker");
        }
    }

    private void WriteCommandResult(string id, string target)
    {
        // CommandResult: {"id","target","status","reason","result","completedAt"}
        _message.Reset();
        _message.BeginObject();
        _message.Name("id");
        _message.String(id);
        _message.Name("target");
        _message.String(target);
        _message.Name("status");
        _message.String(WireNames.Of(_response.Status));
        _message.Name("reason");
        _message.String(_response.Reason);
        _message.Name("result");
        JsonWriter result = _response.Result;
        if (_response.Status == CommandStatus.Succeeded && !result.Overflowed)
        {
            result.EndObject();
            _message.RawValue(result.Buffer, 0, result.Length);
        }
        else
        {
            _message.Null();
        }

        _message.Name("completedAt");
        _message.Timestamp(_clock.UtcNow);
        _message.EndObject();
    }

    private void WriteSourceState(bool online)
    {
        // SourceState: {"sourceId","online","version","timestamp"}
        _message.Reset();
        _message.BeginObject();
        _message.Name("sourceId");
        _message.String(_options.SourceId);
        _message.Name("online");
        _message.Boolean(online);
        _message.Name("version");
        _message.String(_options.SoftwareVersion);
        _message.Name("timestamp");
        _message.Timestamp(_clock.UtcNow);
        _message.EndObject();
    }

    private void PublishReported()
    {
        // ReportedState: what the device runs (its firmware, the desired version applied) and what became of the last desired version.
        _message.Reset();
        _message.BeginObject();
        _message.Name("sourceId");
        _message.String(_options.SourceId);
        _message.Name("softwareVersion");
        _message.String(_options.SoftwareVersion);
        _message.Name("timestamp");
        _message.Timestamp(_clock.UtcNow);
        WriteOrigin();
        _message.Name("lastDesired");
        if (_lastDesiredVersion > 0)
        {
            _message.BeginObject();
            _message.Name("version");
            _message.Number(_lastDesiredVersion);
            _message.Name("status");
            _message.String(WireNames.Of(_lastDesiredStatus));
            _message.Name("errors");
            _message.BeginArray();
            for (int i = 0; i < _lastDesiredErrors.Length; i++)
            {
                _message.String(_lastDesiredErrors[i]);
            }

            _message.EndArray();
            _message.Name("at");
            _message.Timestamp(_lastDesiredAt);
            _message.EndObject();
        }
        else
        {
            _message.Null();
        }

        _message.Name("lastLocal");
        _message.Null();
        _message.Name("devices");
        _message.BeginArray();
        _message.EndArray();
        _message.EndObject();
        _reportedPending = false;
        Publish(_topics.Reported, true);
    }

    private void WriteOrigin()
    {
        _message.Name("origin");
        _message.String(_appliedVersion > 0 ? "fleet" : "local");
        _message.Name("appliedVersion");
        if (_appliedVersion > 0)
        {
            _message.Number(_appliedVersion);
        }
        else
        {
            _message.Null();
        }
    }

    private void PublishHealth(long now)
    {
        _nextHealth = now + _options.HealthIntervalMilliseconds;
        _message.Reset();
        _message.BeginObject();
        _message.Name("sourceId");
        _message.String(_options.SourceId);
        _message.Name("softwareVersion");
        _message.String(_options.SoftwareVersion);
        _message.Name("timestamp");
        _message.Timestamp(_clock.UtcNow);
        _message.Name("uptimeSeconds");
        _message.Number(now / 1000L);
        WriteOrigin();

        // A device has no processes or CPU accounting: the managed heap is its memory, in use and in all.
        long total = _memory == null ? 0 : _memory.TotalBytes;
        long free = _memory == null ? 0 : _memory.FreeBytes;
        _message.Name("process");
        _message.BeginObject();
        _message.Name("cpuPercent");
        _message.Number(0L);
        _message.Name("cpuSeconds");
        _message.Number(0L);
        _message.Name("workingSetBytes");
        _message.Number(total);
        _message.Name("gcHeapBytes");
        _message.Number(total - free);
        _message.EndObject();

        int waiting = 0;
        for (int i = 0; i < _streams.Length; i++)
        {
            waiting += _streams[i].Count;
        }

        _message.Name("disk");
        _message.BeginObject();
        _message.Name("path");
        _message.String("settings");
        _message.Name("freeBytes");
        _message.Null();
        _message.Name("totalBytes");
        _message.Null();
        _message.Name("condition");
        _message.String("healthy");
        _message.Name("since");
        _message.Null();
        _message.Name("lastError");
        _message.Null();
        _message.Name("buffered");
        _message.Number(waiting);
        _message.EndObject();

        _message.Name("outbox");
        _message.BeginArray();
        for (int i = 0; i < _streams.Length; i++)
        {
            WriteOutbox(_streams[i], now);
        }

        _message.EndArray();
        WriteUplinkHealth();
        WriteDeviceHealth(free, total);
        _message.EndObject();
        Publish(_topics.Health, true);
    }

    private void WriteOutbox(OutboxStream stream, long now)
    {
        _message.BeginObject();
        _message.Name("stream");
        _message.String(stream.Name);
        _message.Name("depth");
        _message.Number(stream.Count);
        _message.Name("oldestAgeSeconds");
        if (stream.Count > 0)
        {
            _message.Number((now - stream.TakenAt(0)) / 1000L);
        }
        else
        {
            _message.Null();
        }

        _message.Name("lastSeq");
        _message.Number(stream.LastSeq);
        _message.Name("delivered");
        _message.Number(stream.Delivered);
        _message.Name("quarantined");
        _message.Number(stream.Quarantined);
        _message.Name("dropped");
        _message.Number(stream.Dropped);
        _message.EndObject();
    }

    private void WriteUplinkHealth()
    {
        _message.Name("uplink");
        _message.BeginObject();
        _message.Name("connected");
        _message.Boolean(_sessionUp);
        _message.Name("since");
        if (_hasSince)
        {
            _message.Timestamp(_since);
        }
        else
        {
            _message.Null();
        }

        _message.Name("lastError");
        _message.String(_lastError);
        _message.Name("lastErrorAt");
        if (_lastError != null)
        {
            _message.Timestamp(_lastErrorAt);
        }
        else
        {
            _message.Null();
        }

        _message.Name("failedAttempts");
        _message.Number(_failedAttempts);
        _message.EndObject();
    }

    private void WriteDeviceHealth(long free, long total)
    {
        // The device judges itself: degraded in safe mode or after a reset the firmware did not ask for.
        bool unexpectedReset = _resetCause == ResetCause.Watchdog || _resetCause == ResetCause.BrownOut;
        string safeMode = SafeModeReason;
        _message.Name("devices");
        _message.BeginArray();
        _message.BeginObject();
        _message.Name("deviceId");
        _message.String(_options.SourceId);
        _message.Name("bus");
        _message.String("self");
        _message.Name("verdict");
        _message.String(safeMode != null || unexpectedReset ? "degraded" : "ok");
        _message.Name("reasons");
        _message.BeginArray();
        _message.String(ResetReason());
        if (safeMode != null)
        {
            _message.String(safeMode);
        }

        if (_inbox.Oversized > 0)
        {
            _message.String(_inbox.LastOversized);
        }

        _message.EndArray();
        _message.Name("polls");
        _message.Number(0L);
        _message.Name("requests");
        _message.Number(0L);
        _message.Name("responses");
        _message.Number(0L);
        _message.Name("timeouts");
        _message.Number(0L);
        _message.Name("crcErrors");
        _message.Number(0L);
        _message.Name("exceptions");
        _message.Number(0L);
        _message.Name("transportErrors");
        _message.Number(0L);
        _message.Name("unansweredPolls");
        _message.Number(0L);
        _message.Name("latencyAverageMs");
        _message.Null();
        _message.Name("latencyMaxMs");
        _message.Null();
        _message.Name("lastAnswer");
        _message.Null();
        _message.Name("nextPoll");
        _message.Null();
        _message.EndObject();
        _message.EndArray();
    }

    private string ResetReason()
    {
        switch (_resetCause)
        {
            case ResetCause.PowerOn:
                return "last reset: power on";
            case ResetCause.Software:
                return "last reset: software restart";
            case ResetCause.Watchdog:
                return "last reset: watchdog (the firmware hung)";
            case ResetCause.BrownOut:
                return "last reset: brown-out (the supply dipped)";
            case ResetCause.DeepSleepWake:
                return "last reset: woken from deep sleep";
            default:
                return "last reset: unknown cause";
        }
    }

    private static ScalarValue[] NewValues(int count)
    {
        ScalarValue[] values = new ScalarValue[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = new ScalarValue();
        }

        return values;
    }
}
