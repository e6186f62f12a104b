namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>Why the ledger refused a request, as the REST API answers it.</summary>
public enum LedgerFailureKind
{
    /// <summary>A field is missing or wrong (400).</summary>
    Invalid,

    /// <summary>The device (or credential) is not in the ledger (404).</summary>
    NotFound,

    /// <summary>The request does not fit the device's present state (409).</summary>
    Conflict,
}
