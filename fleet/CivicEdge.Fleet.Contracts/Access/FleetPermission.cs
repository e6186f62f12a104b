using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>One thing a caller may do; every endpoint of the REST API requires exactly one.</summary>
public enum FleetPermission
{
    /// <summary>Read the device ledger and twins.</summary>
    [JsonStringEnumMemberName("readLedger")]
    ReadLedger,

    /// <summary>Read telemetry, events and health of devices.</summary>
    [JsonStringEnumMemberName("readTelemetry")]
    ReadTelemetry,

    /// <summary>Read aggregates and roll-ups (by tenant, district, type).</summary>
    [JsonStringEnumMemberName("readAggregates")]
    ReadAggregates,

    /// <summary>Register devices in the ledger (into the caller's tenants) and change their entries.</summary>
    [JsonStringEnumMemberName("registerDevices")]
    RegisterDevices,

    /// <summary>Claim a flashed device on site with its claim token.</summary>
    [JsonStringEnumMemberName("claimDevices")]
    ClaimDevices,

    /// <summary>Issue claim tokens for registered devices or batches, for installers to claim them with.</summary>
    [JsonStringEnumMemberName("issueClaimTokens")]
    IssueClaimTokens,

    /// <summary>Move a device through its lifecycle (installed, commissioned, in service, maintenance, decommissioned).</summary>
    [JsonStringEnumMemberName("changeLifecycle")]
    ChangeLifecycle,

    /// <summary>Send commands to devices.</summary>
    [JsonStringEnumMemberName("sendCommands")]
    SendCommands,

    /// <summary>Change a twin's desired state: configuration, profiles, rule sets.</summary>
    [JsonStringEnumMemberName("changeTwin")]
    ChangeTwin,

    /// <summary>Acknowledge, assign, clear and close alarms.</summary>
    [JsonStringEnumMemberName("handleAlarms")]
    HandleAlarms,

    /// <summary>Issue, rotate and revoke device credentials and certificates.</summary>
    [JsonStringEnumMemberName("manageCredentials")]
    ManageCredentials,

    /// <summary>Create, list and revoke people's API keys.</summary>
    [JsonStringEnumMemberName("manageKeys")]
    ManageKeys,

    /// <summary>Read the audit log.</summary>
    [JsonStringEnumMemberName("readAudit")]
    ReadAudit,

    /// <summary>Read the MQTT broker's security status and export its password and ACL files.</summary>
    [JsonStringEnumMemberName("readBroker")]
    ReadBroker,

    /// <summary>List OTA artifacts and download their payloads and packages.</summary>
    [JsonStringEnumMemberName("readArtifacts")]
    ReadArtifacts,

    /// <summary>Upload signed OTA artifacts and delete them.</summary>
    [JsonStringEnumMemberName("manageArtifacts")]
    ManageArtifacts,
}
