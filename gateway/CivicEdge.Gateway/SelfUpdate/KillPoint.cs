using System.Diagnostics;

namespace CivicEdge.Gateway.SelfUpdate;

/// <summary>
/// For the power-loss tests only: when the environment variable <c>CIVICEDGE_SELFUPDATE_KILL_AT</c> names a step
/// (downloading, downloaded, staging, staged, switched, trial), the gateway kills itself with SIGKILL on reaching it,
/// as a power cut would stop it there. Unset in production.
/// </summary>
internal static class KillPoint
{
    public const string Variable = "CIVICEDGE_SELFUPDATE_KILL_AT";

    private static readonly string? Armed = Environment.GetEnvironmentVariable(Variable);

    public static void Reached(string step)
    {
        if (string.Equals(Armed, step, StringComparison.Ordinal))
            Process.GetCurrentProcess().Kill();
    }
}
