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
          Uplink:Host                the fleet's MQTT broker (127.0.0.1)
          Uplink:Port                its TCP port (1883)
          Uplink:BatchSize           the most records in one batch (200)
          Uplink:MaxInFlight         the most batches awaiting the fleet's acknowledgement (1)
          Uplink:AckTimeout          wait for an acknowledgement before sending a batch again (10s)
          Uplink:ReconnectDelay      first wait before reconnecting, doubling per attempt (1s)
          Uplink:MaxReconnectDelay   longest wait before reconnecting (60s)
          Uplink:KeepAlive           MQTT keep-alive period (15s)
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
          Health:Interval            how often the health report is published on civic/v1/<id>/health (30s)
          Health:Window              the span device error rates are judged over (5m)
          Health:FailedAfterUnansweredPolls  polls in a row without an answer before a device is failed (3)
          Health:MaxTimeoutRate      share of requests timing out before a device is degraded (0.05)
          Health:MaxCrcErrorRate     share of answers arriving damaged before a device is degraded (0.01)
          Health:MaxExceptionRate    share of exception responses before a device is degraded (0)
          Logging:LogLevel:Default   Trace, Debug, Information, Warning, Error (Information)

        Durations are written 500ms, 5s, 1m, 1h or 00:00:05.

        Buses and Devices change without a restart: the configuration files are watched, and the fleet's twin
        desired state (civic/v1/<id>/desired) carries buses, devices and profiles with the same keys. A change is
        validated as at start; an invalid one is refused and the running one stays; a valid one restarts only the
        buses and devices that changed. Once the fleet has sent a configuration it takes precedence over the
        files' Buses and Devices (kept in the database across restarts) until the fleet withdraws it. The outcome
        is published on civic/v1/<id>/reported. Gateway:*, Uplink:* and Health:* are read at start only.

        Logs go to standard error. Once the outbox is open and every device is being polled, the gateway prints
        'civicedge-gateway ready id=<id> devices=<n>' on standard output. Ctrl+C or SIGTERM stops it cleanly.

        Options:
          --help, -h                 print this text and exit
        """;
}
