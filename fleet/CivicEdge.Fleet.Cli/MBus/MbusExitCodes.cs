namespace CivicEdge.Fleet.Cli.MBus;

/// <summary>Exit codes of <c>civic mbus</c>, in step with <c>civic modbus</c>: 1 stays System.CommandLine's parse error.</summary>
public static class MbusExitCodes
{
    /// <summary>The file cannot be read or holds no hex bytes.</summary>
    public const int Usage = 2;

    /// <summary>No answer within the timeout, after the retries; for <c>scan</c>: no meter answered.</summary>
    public const int Timeout = 5;

    /// <summary>
    /// The telegram is damaged or reports an error, answers collided, or the link failed: the error is printed, with
    /// the records decoded before it.
    /// </summary>
    public const int Malformed = 6;
}
