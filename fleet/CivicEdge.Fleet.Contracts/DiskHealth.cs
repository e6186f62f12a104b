namespace CivicEdge.Fleet.Contracts;

/// <summary>The volume the gateway's database lives on.</summary>
/// <param name="Path">The database file.</param>
/// <param name="FreeBytes">Space the gateway may still use; null when the volume cannot be queried.</param>
/// <param name="TotalBytes">The volume's size; null when the volume cannot be queried.</param>
public sealed record DiskHealth(string Path, long? FreeBytes, long? TotalBytes);
