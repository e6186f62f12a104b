namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>The contract's camelCase names of the enumerations (ContractsJson writes enums as camelCase strings).</summary>
internal static class WireNames
{
    public static string Of(PointQuality quality)
    {
        switch (quality)
        {
            case PointQuality.Good:
                return "good";
            case PointQuality.Stale:
                return "stale";
            case PointQuality.CommError:
                return "commError";
            default:
                return "outOfRange";
        }
    }

    public static string Of(EventSeverity severity)
    {
        switch (severity)
        {
            case EventSeverity.Info:
                return "info";
            case EventSeverity.Warning:
                return "warning";
            case EventSeverity.Major:
                return "major";
            default:
                return "critical";
        }
    }

    public static string Of(EventState state)
    {
        switch (state)
        {
            case EventState.Raised:
                return "raised";
            case EventState.Cleared:
                return "cleared";
            default:
                return "occurred";
        }
    }

    public static string Of(CommandStatus status)
    {
        switch (status)
        {
            case CommandStatus.Succeeded:
                return "succeeded";
            case CommandStatus.Failed:
                return "failed";
            case CommandStatus.Rejected:
                return "rejected";
            case CommandStatus.Expired:
                return "expired";
            default:
                return "unknownTarget";
        }
    }

    public static string Of(ConfigurationStatus status)
    {
        return status == ConfigurationStatus.Applied ? "applied" : "refused";
    }
}
