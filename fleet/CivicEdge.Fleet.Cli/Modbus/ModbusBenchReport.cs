namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>What <c>civic modbus bench</c> measured: the same block read <see cref="Count"/> times on one connection.</summary>
/// <param name="Link">The link, as <see cref="ModbusLink.ToString"/> shows it.</param>
/// <param name="Unit">The unit polled.</param>
/// <param name="Table">holding or input.</param>
/// <param name="Address">First register of the block.</param>
/// <param name="Registers">Registers per poll.</param>
/// <param name="Count">Polls timed (after one untimed poll that opens the connection).</param>
/// <param name="Errors">Polls that did not return the registers: timeouts, exception responses, broken answers.</param>
/// <param name="Timeouts">Polls of <paramref name="Errors"/> that got no answer in time.</param>
/// <param name="Exceptions">Polls of <paramref name="Errors"/> that got an exception response.</param>
/// <param name="Seconds">Wall time of the timed polls.</param>
/// <param name="PollsPerSecond">Successful polls per second of wall time.</param>
/// <param name="LatencyMs">Latency of the successful polls.</param>
public sealed record ModbusBenchReport(
    string Link,
    int Unit,
    string Table,
    int Address,
    int Registers,
    int Count,
    int Errors,
    int Timeouts,
    int Exceptions,
    double Seconds,
    double PollsPerSecond,
    PollLatencySummary LatencyMs);
