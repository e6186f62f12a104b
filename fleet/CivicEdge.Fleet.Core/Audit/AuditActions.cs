namespace CivicEdge.Fleet.Core.Audit;

/// <summary>
/// The names of audited actions, <c>family.verb</c>, so that <c>GET /api/audit?action=twin.</c> finds a family. A
/// feature that adds an audited action adds its name here.
/// </summary>
public static class AuditActions
{
    /// <summary>A request refused for want of credentials (401), permission (403) or tenant scope (404).</summary>
    public const string AccessDenied = "access.denied";

    public const string TwinSet = "twin.set";
    public const string TwinWithdraw = "twin.withdraw";

    public const string KeyCreate = "key.create";
    public const string KeyRevoke = "key.revoke";
    public const string KeyBootstrap = "key.bootstrap";

    public const string DeviceRegister = "device.register";
    public const string DeviceClaim = "device.claim";
    public const string DeviceLifecycle = "device.lifecycle";
    public const string DeviceUpdate = "device.update";

    public const string ClaimTokenIssue = "claim-token.issue";

    public const string CredentialIssue = "credential.issue";
    public const string CredentialRotate = "credential.rotate";
    public const string CredentialRevoke = "credential.revoke";

    /// <summary>The broker's password and ACL files exported: hashes only, but an offline attack's material.</summary>
    public const string BrokerExport = "broker.export";

    public const string CommandSend = "command.send";
    public const string CommandCancel = "command.cancel";

    public const string AlarmChange = "alarm.change";
    public const string AlarmAcknowledge = "alarm.acknowledge";
    public const string AlarmAssign = "alarm.assign";
    public const string AlarmClear = "alarm.clear";
    public const string AlarmClose = "alarm.close";

    /// <summary>An OTA artifact uploaded, or an upload refused (bad signature, hash, size or manifest).</summary>
    public const string ArtifactUpload = "artifact.upload";
    public const string ArtifactDelete = "artifact.delete";

    /// <summary>An OTA campaign created, or a creation refused.</summary>
    public const string CampaignCreate = "campaign.create";

    /// <summary>An OTA campaign paused, resumed, cancelled or its failed devices retried.</summary>
    public const string CampaignChange = "campaign.change";
}
