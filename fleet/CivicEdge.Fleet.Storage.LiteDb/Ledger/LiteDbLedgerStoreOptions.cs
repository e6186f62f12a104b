namespace CivicEdge.Fleet.Storage.LiteDb.Ledger;

/// <summary>Where the embedded ledger store keeps devices, credentials and claim tokens.</summary>
public sealed class LiteDbLedgerStoreOptions
{
    /// <summary>The LiteDB file; its folder is created if missing.</summary>
    public string Path { get; set; } = "civicedge-ledger.db";
}
