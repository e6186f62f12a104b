namespace CivicEdge.Gateway.Configuration;

/// <summary>What <c>civicedge-gateway --help</c> prints.</summary>
public static class GatewayUsage
{
    public const string Text = """
        civicedge-gateway: polls field devices by hardware profile, buffers every reading in a LiteDB outbox and
        delivers it to the fleet over MQTT 5, deleting it only once the fleet has persisted it.

        Usage: civicedge-gateway [--config FILE] [--KEY=VALUE ...]

        Configuration, later sources overriding earlier ones:
          appsettings.json beside the program        optional
          --config FILE                              a JSON file with the same shape
          CIVICEDGE_<KEY> environment variables      ':' written as '__', e.g. CIVICEDGE_Gateway__Id=gw-1
          --KEY=VALUE on the command line            e.g. --Gateway:Id=gw-1 --Devices:0:Endpoint=tcp://127.0.0.1:5020

        Keys (default):
          Gateway:Id                 the gateway's unified device code, one MQTT topic level (required)
          Gateway:DataPath           the outbox's LiteDB file (civicedge-gateway.db)
          Gateway:ProfilesPath       the hardware profiles directory (CIVICEDGE_PROFILES, else the first
                                     hardware/profiles above the program's directory or the current one)
          Gateway:Http:Enabled       run the local API: GET /status (health JSON), GET /metrics (Prometheus) (true)
          Gateway:Http:Url           where it listens (http://127.0.0.1:5081)
          Gateway:Outbox:MaxRecords  the most records the outbox holds; when full it drops the oldest routine
                                     telemetry first, then billing readings, events last, and reports it (2000000)
          Gateway:Outbox:MaxMegabytes  the most MiB the records may take, estimated (1024)
          Gateway:Outbox:MemoryQueueCapacity  readings held in memory while the disk refuses writes (100000)
          Gateway:Outbox:OverflowReportInterval  how often drops are reported while the outbox stays full (5m)
          Gateway:Outbox:RetryDelay  first wait before writing again after a failed write, doubling (1s)
          Gateway:Outbox:MaxRetryDelay  longest wait between write attempts (30s)
          Uplink:Host                the fleet's MQTT broker (127.0.0.1)
          Uplink:Port                its TCP port (1883; 8883 is usual with TLS)
          Uplink:BatchSize           the most records in one batch (200)
          Uplink:MaxMessageBytes     the largest MQTT message; batches are cut to fit (262144)
          Uplink:MaxInFlight         the most batches of one stream awaiting the fleet's acknowledgement (4)
          Uplink:MaxRecordsPerSecond the pace of delivery over all streams, catching up included (2000)
          Uplink:LiveAfter           a backlog older than this also sends the newest values on the live topic (1m)
          Uplink:LiveInterval        how often live values go out while a backlog drains (2s)
          Uplink:AckTimeout          wait for an acknowledgement before sending a batch again (10s)
          Uplink:ReconnectDelay      first wait before reconnecting, doubling per attempt, with jitter (1s)
          Uplink:MaxReconnectDelay   longest wait before reconnecting (60s)
          Uplink:KeepAlive           MQTT keep-alive period (15s)
          Uplink:Tls                 connect over TLS; the broker's certificate is always checked (false)
          Uplink:CaFile              PEM certificate authorities the broker's certificate must chain to
                                     (the system's trust store)
          Uplink:CertificateFile     PEM certificate the gateway presents, for brokers that require one
          Uplink:KeyFile             PEM private key of that certificate
          Uplink:ServerName          the name the broker's certificate must carry (Uplink:Host)
          Uplink:Username            the gateway's own MQTT user name
          Uplink:Password            its password; better Uplink:PasswordFile
          Uplink:PasswordFile        a file whose first line is the password, read at every connection
          Devices:N:Id               the device's unified device code (required, unique)
          Devices:N:Profile          its hardware profile model, e.g. eastron-sdm630 (required)
          Devices:N:Endpoint         tcp://host:port of a Modbus TCP device on a bus of its own (port 502 when
                                     omitted); give either this or Devices:N:Bus
          Devices:N:Bus              the Id of the bus the device is on
          Devices:N:Unit             Modbus unit identifier 1..247, unique on a serial bus (1)
          Devices:N:Address          a meter's address on an mbus (primary 0..250 or 8-digit secondary),
                                     cjt188 (14 digits) or dlt645 (12 digits) bus, unique on its line
          Devices:N:Priority         high, normal or low: which due device on a bus goes first (normal)
          Devices:N:PollInterval     overrides the profile's poll interval, e.g. 5s (the profile's)
          Buses:N:Id                 the bus's name, e.g. rs485-1 (required, unique)
          Buses:N:Kind               tcp, rtu, rtu-over-tcp, or a meter line mbus, cjt188 or dlt645 (required);
                                     all but tcp carry one transaction at a time
          Buses:N:Endpoint           tcp://host:port of a tcp or rtu-over-tcp bus, or a meter line's converter
          Buses:N:Path               the serial port of an rtu bus or a meter line, e.g. /dev/ttyUSB0
          Buses:N:Baud               bits per second of the serial line, behind a converter too (9600; 2400
                                     on meter lines)
          Buses:N:Parity             N, E or O (E)
          Buses:N:DataBits           8, as RTU requires (8)
          Buses:N:StopBits           1 or 2 (1)
          Buses:N:ResponseTimeout    how long one attempt waits for its answer (1s)
          Buses:N:Retries            further attempts after a failed one, 0..10 (1 on tcp, 0 on serial buses)
          Buses:N:TurnaroundDelay    pause between transactions on a serial bus, e.g. 5ms (none)
          Gpio:Driver                libgpiod, libgpiod2, sysfs or simulated (libgpiod); without Gpio keys, no GPIO
          Gpio:Chip                  the libgpiod chip N of /dev/gpiochipN (0)
          Gpio:CommitInterval        longest wait before counted pulses are committed, 0..1m (1s)
          Gpio:Doors:N:Name          a door contact's snake_case name (required, unique in Gpio)
          Gpio:Doors:N:DeviceId      the device it belongs to (required)
          Gpio:Doors:N:Pin           line offset on the chip, or GPIO number with sysfs (required)
          Gpio:Doors:N:ActiveLow     true when the door is open at the low level (false)
          Gpio:Doors:N:Pull          up, down or none (up: a cut wire reads open)
          Gpio:Doors:N:Debounce      how long a level must hold (50ms)
          Gpio:Doors:N:Severity      info, warning, major or critical (major)
          Gpio:Doors:N:Point         the point and alarm code (door_open)
          Gpio:PulseCounters:N:Name            a meter pulse input's snake_case name (required)
          Gpio:PulseCounters:N:DeviceId        the meter's device code (required)
          Gpio:PulseCounters:N:Pin             line offset, or GPIO number with sysfs (required)
          Gpio:PulseCounters:N:LitresPerPulse  volume of one pulse, whole millilitres (required)
          Gpio:PulseCounters:N:ActiveLow       true for a reed or open collector pulling low (true)
          Gpio:PulseCounters:N:Pull            up, down or none (up)
          Gpio:PulseCounters:N:MinPulseWidth   shorter pulses and pauses are bounce (20ms)
          Gpio:PulseCounters:N:StartTotal      the meter's register in m3 when counting began (0)
          Gpio:PulseCounters:N:ReportInterval  how often total and flow rate are reported (1m)
          Gpio:PulseCounters:N:TotalPoint      the billing point, m3 (volume)
          Gpio:PulseCounters:N:FlowPoint       the telemetry point, m3/h (flow_rate)
          Gpio:PulseCounters:N:NoFlowAfter     no pulse for this long reads as no flow (15m)
          Gpio:Relays:N:Name         a relay output's snake_case name and point (required)
          Gpio:Relays:N:DeviceId     the device it belongs to (required)
          Gpio:Relays:N:Pin          line offset, or GPIO number with sysfs (required)
          Gpio:Relays:N:ActiveLow    true when the relay is energised by the low level (false)
          Gpio:Relays:N:SafeState    on or off, at start-up and on shutdown (off)
          Gpio:Dimmers:N:Name        a 0-10 V dimmer's snake_case name and point (required)
          Gpio:Dimmers:N:DeviceId    the device it belongs to (required)
          Gpio:Dimmers:N:PwmChip     N of /sys/class/pwm/pwmchipN (0)
          Gpio:Dimmers:N:PwmChannel  M of pwmchipN/pwmM (0)
          Gpio:Dimmers:N:Frequency   PWM frequency in Hz (1000)
          Gpio:Dimmers:N:Invert      true for an inverting interface: full duty is 0 V (false)
          Gpio:Dimmers:N:Min         lowest level applied, % (0)
          Gpio:Dimmers:N:Max         highest level applied, % (100)
          Gpio:Dimmers:N:SafeLevel   level at start-up and on shutdown, % (100)
          Gpio:Simulation:N:Pin        with Driver simulated: a simulated device on this pin (required)
          Gpio:Simulation:N:Every      how often it acts: a pulse period, a door opening (required)
          Gpio:Simulation:N:Hold       how long each action lasts, shorter than Every (required)
          Gpio:Simulation:N:ActiveLow  true when it pulls the line low while acting (true)
          Health:Interval            how often the health report is published on civic/v1/<id>/health (30s)
          Health:Window              the span device error rates are judged over (5m)
          Health:FailedAfterUnansweredPolls  polls in a row without an answer before a device is failed (3)
          Health:MaxTimeoutRate      share of requests timing out before a device is degraded (0.05)
          Health:MaxCrcErrorRate     share of answers arriving damaged before a device is degraded (0.01)
          Health:MaxExceptionRate    share of exception responses before a device is degraded (0)
          Commands:Enabled           take the fleet's commands on civic/v1/<id>/commands (true)
          Commands:MaxWritesPerMinute  writes one device takes in any minute; more are rejected (12)
          Commands:Timeout           longest a command may take on its bus (10s)
          Commands:RememberedCommands  recent command results kept in the database, so a repeat runs once (1000)
          Rules:Enabled              run edge rules between acquisition and the outbox (false)
          Rules:Files                rule-set YAML files, Rules:Files:N or comma-separated, checked at start
          Rules:Latitude             the gateway's latitude, north positive, for sun triggers (0)
          Rules:Longitude            the gateway's longitude, east positive (0)
          Rules:TimeZone             the IANA time zone cron schedules are read in (UTC)
          Rules:TickInterval         how often schedules, for-durations and communication watches are checked (1s)
          Rules:StaleAfter           silence before a device counts as lost, unless a rule set says (5m)
          SelfUpdate:Enabled         install new versions of itself from civic/v1/<id>/ota into a second slot (false)
          SelfUpdate:InstallRoot     the install folder with current -> slots/a|b (README, Gateway self-update)
          SelfUpdate:HardwareModel   this box's model as release manifests name it
          SelfUpdate:FleetUrl        the fleet's API payloads are fetched from (http://127.0.0.1:5080), with the
                                     gateway's own credential: Uplink:Username and Uplink:Password|PasswordFile
          SelfUpdate:TrustedKeyFiles release signers' PEM public keys, SelfUpdate:TrustedKeyFiles:N
          SelfUpdate:HealthWindow    how long a new version runs healthy before it confirms (2m)
          SelfUpdate:TrialDeadline   from the switch, how long it has to confirm before the launcher rolls back (15m)
          SelfUpdate:MaxTrialBoots   starts it gets before the launcher rolls back (3)
          SelfUpdate:MaxBytesPerSecond  download cap, 0 for none (0)
          DeviceUpdate:Enabled       relay firmware offers to devices on Modbus RTU buses (false); fleet and signers from SelfUpdate
          DeviceUpdate:Profiles      profile models whose devices take updates, DeviceUpdate:Profiles:N
          DeviceUpdate:Transfer:ChunkBytes  image bytes per Write File Record, even 2..244 (240)
          DeviceUpdate:Transfer:BusShare    share of the bus's time an update may take, (0, 1] (0.5)
          DeviceUpdate:Transfer:VerifyTimeout, ConfirmTimeout, StatusInterval, MaxConsecutiveFailures, RegisterBase
          Logging:LogLevel:Default   Trace, Debug, Information, Warning, Error (Information)

        Durations are written 500ms, 5s, 1m, 1h or 00:00:05.

        Buses and Devices change without a restart: the configuration files are watched, and the fleet's twin
        desired state (civic/v1/<id>/desired) carries buses, devices, profiles and rule sets with the same keys. A
        change is validated as at start; an invalid one is refused and the running one stays; a valid one restarts
        only the buses and devices that changed. Once the fleet has sent a configuration it takes precedence over the
        files' Buses and Devices (kept in the database across restarts) until the fleet withdraws it. The outcome
        is published on civic/v1/<id>/reported. Gateway:*, Uplink:* and Health:* are read at start only.

        Logs go to standard error. Once the outbox is open and every device is being polled, the gateway prints
        'civicedge-gateway ready id=<id> devices=<n>' on standard output. Ctrl+C or SIGTERM stops it cleanly.

        Options:
          --help, -h                 print this text and exit
        """;
}
