namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>How an audited action ended.</summary>
public enum AuditOutcome
{
    /// <summary>Done as asked.</summary>
    Succeeded,

    /// <summary>Allowed, but refused or failed, e.g. a desired configuration that did not validate.</summary>
    Failed,

    /// <summary>Refused for want of credentials, permission or tenant scope.</summary>
    Denied,
}
