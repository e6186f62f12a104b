using System.Globalization;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// What Linux says of a process at one moment (proc(5)): CPU time used so far and resident memory, from
/// <c>/proc/PID/stat</c> and <c>/proc/PID/status</c>. The figures a utility sees in <c>top</c>, not what the runtime
/// thinks it uses.
/// </summary>
/// <param name="At">When the sample was taken.</param>
/// <param name="CpuSeconds">User plus system CPU time since the process started.</param>
/// <param name="ResidentBytes">VmRSS: resident memory, shared pages included.</param>
/// <param name="PeakResidentBytes">VmHWM: the highest resident memory so far.</param>
/// <param name="AnonymousBytes">RssAnon: resident memory that is the process's own (heap, stacks).</param>
internal sealed record ProcessSample(DateTimeOffset At, double CpuSeconds, long ResidentBytes, long PeakResidentBytes, long AnonymousBytes)
{
    // USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux architecture .NET runs on.
    private const double ClockTicksPerSecond = 100;

    public static ProcessSample Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var userTicks = long.Parse(fields[11], CultureInfo.InvariantCulture); // field 14, utime
        var systemTicks = long.Parse(fields[12], CultureInfo.InvariantCulture); // field 15, stime

        var status = File.ReadAllLines($"/proc/{pid}/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.Ordinal);
        return new ProcessSample(
            DateTimeOffset.UtcNow,
            (userTicks + systemTicks) / ClockTicksPerSecond,
            Kilobytes(status, "VmRSS"),
            Kilobytes(status, "VmHWM"),
            Kilobytes(status, "RssAnon"));
    }

    private static long Kilobytes(Dictionary<string, string> status, string key) =>
        status.TryGetValue(key, out var value)
            ? long.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture) * 1024
            : throw new InvalidDataException($"/proc status has no {key} line.");
}
