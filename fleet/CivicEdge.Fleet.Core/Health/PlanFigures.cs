using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Fleet.Core.Health;

/// <summary>
/// The plans' assessment figures, per district and owner, computed from the ledger and health. Only devices in service
/// count (registered, installed, commissioned, in maintenance or decommissioned ones are not yet or no longer the
/// city's service):
/// <list type="bullet">
/// <item><b>Smart lighting</b>: poles with working smart lighting / poles with smart lighting. A pole is the pole
/// controllers and lamps sharing a pole number in one district (a device without a pole number is a pole of its own);
/// it works when every one of them is online and none has an open lamp-failure alarm
/// (<see cref="HealthOptions.LampFailureType"/>).</item>
/// <item><b>Meter reporting</b>: water, gas, heat and energy meters that reported within the last
/// <see cref="HealthOptions.MeterWindow"/> (or within their cadence plus the grace, when that is longer) / such meters.
/// One meter serves one household or supply point.</item>
/// <item><b>Pipe sensors online</b>: sensors tagged <c>pipe</c> or with a capability of
/// <see cref="HealthOptions.PipeCapabilities"/> that are online / such sensors.</item>
/// </list>
/// </summary>
public sealed class PlanFigures(HealthOptions options)
{
    public const string PipeTag = "pipe";

    public PlanAssessment Assess(IReadOnlyList<DeviceHealthStatus> health, IReadOnlyList<LedgerDevice> ledger, IReadOnlyList<Alarm> openAlarms, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(openAlarms);
        var byCode = health.ToDictionary(h => h.Device, StringComparer.Ordinal);
        var lampFailures = openAlarms
            .Where(a => a.IsOpen && a.Type.StartsWith(options.LampFailureType, StringComparison.Ordinal))
            .Select(a => a.Device)
            .ToHashSet(StringComparer.Ordinal);

        var tallies = new SortedDictionary<(string District, string Tenant), Tally>(Comparer<(string District, string Tenant)>.Create(
            (a, b) => string.CompareOrdinal(a.District, b.District) is var byDistrict and not 0 ? byDistrict : string.CompareOrdinal(a.Tenant, b.Tenant)));
        var total = new Tally();
        foreach (var group in ledger.Where(d => d.State == LifecycleState.InService && byCode.ContainsKey(d.Code))
                     .GroupBy(d => (District: d.Location?.District ?? HealthRollups.None, d.Tenant)))
        {
            var tally = new Tally();
            foreach (var pole in group.Where(d => d.Kind is DeviceKind.PoleController or DeviceKind.Lamp)
                         .GroupBy(d => d.Location?.PoleNumber ?? $"\0{d.Code}", StringComparer.Ordinal))
            {
                var works = pole.All(d => byCode[d.Code].State == ConnectivityState.Online && !lampFailures.Contains(d.Code));
                tally.Poles++;
                tally.PolesWorking += works ? 1 : 0;
            }

            foreach (var meter in group.Where(d => d.Kind is DeviceKind.WaterMeter or DeviceKind.GasMeter or DeviceKind.HeatMeter or DeviceKind.EnergyMeter))
            {
                var status = byCode[meter.Code];
                var window = TimeSpan.FromSeconds(status.CadenceSeconds) + options.Grace;
                if (window < options.MeterWindow)
                    window = options.MeterWindow;
                tally.Meters++;
                tally.MetersReporting += status.LastSeen is { } seen && at - seen <= window ? 1 : 0;
            }

            foreach (var sensor in group.Where(IsPipeSensor))
            {
                tally.PipeSensors++;
                tally.PipeSensorsOnline += byCode[sensor.Code].State == ConnectivityState.Online ? 1 : 0;
            }

            if (tally.Poles + tally.Meters + tally.PipeSensors == 0)
                continue;
            tallies[(group.Key.District, group.Key.Tenant)] = tally;
            total.Add(tally);
        }

        return new PlanAssessment(
            at,
            tallies.Select(t => t.Value.ToRow(t.Key.District, t.Key.Tenant)).ToList(),
            total.ToRow(HealthRollups.All, HealthRollups.All));
    }

    private bool IsPipeSensor(LedgerDevice device) =>
        device.Kind == DeviceKind.Sensor
        && (device.Tags.Contains(PipeTag, StringComparer.Ordinal)
            || device.Capabilities.Any(c => options.PipeCapabilities.Contains(c, StringComparer.OrdinalIgnoreCase)));

    private sealed class Tally
    {
        public int Poles;
        public int PolesWorking;
        public int Meters;
        public int MetersReporting;
        public int PipeSensors;
        public int PipeSensorsOnline;

        public void Add(Tally other)
        {
            Poles += other.Poles;
            PolesWorking += other.PolesWorking;
            Meters += other.Meters;
            MetersReporting += other.MetersReporting;
            PipeSensors += other.PipeSensors;
            PipeSensorsOnline += other.PipeSensorsOnline;
        }

        public AssessmentRow ToRow(string district, string tenant) => new(
            district, tenant, Figure(PolesWorking, Poles), Figure(MetersReporting, Meters), Figure(PipeSensorsOnline, PipeSensors));

        private static AssessmentFigure Figure(int counted, int eligible) =>
            new(counted, eligible, eligible == 0 ? null : Math.Round((double)counted / eligible, 4));
    }
}
