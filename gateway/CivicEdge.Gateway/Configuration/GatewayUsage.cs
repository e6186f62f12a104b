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
          Devices:N:Priority         high, normal or low: which due device on a bus goes first (normal)
          Devices:N:PollInterval     overrides the profile's poll interval, e.g. 5s (the profile's)
          Buses:N:Id                 the bus's name, e.g. rs485-1 (required, unique)
          Buses:N:Kind               tcp, rtu or rtu-over-tcp (required); rtu kinds carry one transaction at a time
          Buses:N:Endpoint           tcp://host:port of a tcp or rtu-over-tcp bus
          Buses:N:Path               the serial port of an rtu bus, e.g. /dev/ttyUSB0
          Buses:N:Baud               bits per second of an rtu bus, or of the line behind a converter (9600)
          Buses:N:Parity             N, E or O (E)
          Buses:N:DataBits           8, as RTU requires (8)
          Buses:N:StopBits           1 or 2 (1)
          Buses:N:ResponseTimeout    how long one attempt waits for its answer (1s)
          Buses:N:Retries            further attempts after a failed one, 0..10 (1 on tcp, 0 on serial buses)
          Buses:N:TurnaroundDelay    pause between transactions on a serial bus, e.g. 5ms (none)
          Logging:LogLevel:Default   Trace, Debug, Information, Warning, Error (Information)

        Durations are written 500ms, 5s, 1m, 1h or 00:00:05.

        Logs go to standard error. Once the outbox is open and every device is being polled, the gateway prints
        'civicedge-gateway ready id=<id> devices=<n>' on standard output. Ctrl+C or SIGTERM stops it cleanly.

        Options:
          --help, -h                 print this text and exit
        """;
}
