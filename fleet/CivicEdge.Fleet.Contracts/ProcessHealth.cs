namespace CivicEdge.Fleet.Contracts;

/// <summary>The gateway process's use of the machine.</summary>
/// <param name="CpuPercent">CPU used since the previous report, in percent of one core as <c>top</c> shows it (150 = one and a half cores).</param>
/// <param name="CpuSeconds">CPU time used since the process started.</param>
/// <param name="WorkingSetBytes">Physical memory the process holds.</param>
/// <param name="GcHeapBytes">Memory held by managed objects.</param>
public sealed record ProcessHealth(double CpuPercent, double CpuSeconds, long WorkingSetBytes, long GcHeapBytes);
