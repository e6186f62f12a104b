namespace CivicEdge.Fleet.Core.Ota;

/// <summary>How one wave stands.</summary>
/// <param name="Index">0 for the canary.</param>
/// <param name="Size">Its devices.</param>
/// <param name="Pending">Not offered yet.</param>
/// <param name="InProgress">Offered, installing, or confirmed and in their health window.</param>
/// <param name="Succeeded">Healthy on the new version.</param>
/// <param name="Failed">Failed.</param>
public sealed record WaveProgress(int Index, int Size, int Pending, int InProgress, int Succeeded, int Failed)
{
    public double FailureRate => Size == 0 ? 0 : (double)Failed / Size;
}
