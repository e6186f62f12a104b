namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>One thing a caller may do; every endpoint of the REST API requires exactly one.</summary>
public enum FleetPermission
{
    /// <summary>Read the device ledger and twins.</summary>
    ReadLedger,

    /// <summary>Read telemetry, events and health of devices.</summary>
    ReadTelemetry,

    /// <summary>Read aggregates and roll-ups (by tenant, district, type).</summary>
    ReadAggregates,

    /// <summary>Register devices in the ledger.</summary>
    RegisterDevices,

    /// <summary>Claim a flashed device on site with its claim token.</summary>
    ClaimDevices,

    /// <summary>Move a device through its lifecycle (installed, commissioned, in service, maintenance, decommissioned).</summary>
    ChangeLifecycle,

    /// <summary>Send commands to devices.</summary>
    SendCommands,

    /// <summary>Change a twin's desired state: configuration, profiles, rule sets.</summary>
    ChangeTwin,

    /// <summary>Acknowledge, assign, clear and close alarms.</summary>
    HandleAlarms,

    /// <summary>Issue, rotate and revoke device credentials and certificates.</summary>
    ManageCredentials,

    /// <summary>Create, list and revoke people's API keys.</summary>
    ManageKeys,

    /// <summary>Read the audit log.</summary>
    ReadAudit,
}
