namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>
/// Exit codes of <c>civic modbus</c>, distinct per failure so that scripts can tell a device that refused (an
/// exception response) from one that is silent or a link that is down. 1 stays System.CommandLine's parse error and
/// 3 the fleet's.
/// </summary>
public static class ModbusExitCodes
{
    /// <summary>An option or argument has a bad value, or the options do not fit together.</summary>
    public const int Usage = 2;

    /// <summary>The device answered with a Modbus exception response (Modbus Application Protocol V1.1b3 §7).</summary>
    public const int ExceptionResponse = 4;

    /// <summary>No answer within the timeout, after the retries; for <c>scan</c>: no unit answered.</summary>
    public const int Timeout = 5;

    /// <summary>The link could not be opened or broke, or the answers were malformed.</summary>
    public const int LinkFailure = 6;

    /// <summary>Interrupted (Ctrl+C): 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
