namespace CivicEdge.Fleet.Cli.Meters;

/// <summary>Exit codes of <c>civic dlt645</c> and <c>civic cjt188</c>, numbered like <c>civic modbus</c>'s.</summary>
public static class MeterExitCodes
{
    /// <summary>An option has a bad value, or the options do not fit together.</summary>
    public const int Usage = 2;

    /// <summary>The meter answered abnormally (DL/T 645 error byte, CJ/T 188 abnormal reply) or with data that does not decode.</summary>
    public const int Refused = 4;

    /// <summary>No valid answer within the timeout, after the retries.</summary>
    public const int NoAnswer = 5;

    /// <summary>The link could not be opened or broke.</summary>
    public const int LinkFailure = 6;
}
