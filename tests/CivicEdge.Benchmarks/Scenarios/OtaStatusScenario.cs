using System.Diagnostics;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Ota;
using CivicEdge.Fleet.Storage.LiteDb;
using CivicEdge.Fleet.Storage.LiteDb.Ledger;
using CivicEdge.Fleet.Storage.PostgreSql;
using CivicEdge.Fleet.Storage.PostgreSql.Ledger;
using CivicEdge.Fleet.Storage.PostgreSql.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>
/// A campaign over <c>devices</c> poles behind 100 gateways, every pole sending <c>reportsPerDevice</c> status reports,
/// made durable through the <see cref="OtaStatusInbox"/>: <c>sources</c> gateways at a time, each gateway's reports one
/// after another, as the ingest's lanes do (1: one report at a time); then the leader's steps apply them all. On LiteDB
/// in a file, and on a durable PostgreSQL (fsync on) started for the run.
/// </summary>
internal static class OtaStatusScenario
{
    private static readonly DateTimeOffset Created = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    public static async Task<OtaStatusFigures> RunAsync(string store, int devices, int reportsPerDevice, int sources, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("civicedge-bench-otastatus-");
        PostgreSqlCluster? cluster = null;
        var disposables = new List<IAsyncDisposable>();
        try
        {
            IOtaStatusStore statuses;
            ICampaignStore campaigns;
            IArtifactStore artifacts;
            IDeviceLedgerStore ledger;
            if (store == "postgresql")
            {
                cluster = await PostgreSqlCluster.StartAsync(durable: true, cancellationToken);
                var options = new PostgreSqlFleetStoreOptions { ConnectionString = cluster.ConnectionString(await cluster.CreateDatabaseAsync("otastatus", cancellationToken)) };
                var fleetStore = new PostgreSqlFleetStore(options, TimeProvider.System, NullLogger<PostgreSqlFleetStore>.Instance);
                disposables.Add(fleetStore);
                await fleetStore.InitializeAsync(cancellationToken);
                var ledgerStore = new PostgreSqlDeviceLedgerStore(options, NullLogger<PostgreSqlDeviceLedgerStore>.Instance);
                disposables.Add(ledgerStore);
                (statuses, campaigns, artifacts, ledger) = (fleetStore, fleetStore, fleetStore, ledgerStore);
            }
            else
            {
                var fleetStore = new LiteDbFleetStore(new LiteDbFleetStoreOptions { Path = Path.Combine(work.FullName, "fleet.db") }, NullLogger<LiteDbFleetStore>.Instance);
                disposables.Add(new Disposing(fleetStore));
                var ledgerStore = new LiteDbDeviceLedgerStore(new LiteDbLedgerStoreOptions { Path = Path.Combine(work.FullName, "ledger.db") }, NullLogger<LiteDbDeviceLedgerStore>.Instance);
                disposables.Add(new Disposing(ledgerStore));
                (statuses, campaigns, artifacts, ledger) = (fleetStore, fleetStore, fleetStore, ledgerStore);
            }

            var manifest = new OtaManifest("pole-controller", ArtifactKind.Firmware, ["slc-200"], "2.4.0", null, 1024, new string('c', 64), null, Created);
            await artifacts.AddArtifactAsync(
                new StoredArtifact(manifest.ArtifactId, OtaPackageFormat.ManifestBytes(manifest), manifest, new OtaSignature(new string('a', 64), OtaSignature.Es256, Convert.ToBase64String(new byte[64])), "bench", Created),
                new MemoryStream(new byte[1024]), cancellationToken);
            var targets = Enumerable.Range(0, devices).Select(i => new CampaignTarget($"slc-{i:D5}", $"gw-{i % 100:D3}", "2.3.1")).ToList();
            var settings = CampaignSettings.Default with { Waves = [WaveSize.Share(100)], MaxConcurrentDownloads = devices, MaxConcurrentPerGateway = devices };
            await campaigns.AddCampaignAsync(Campaign.Plan("c-bench", manifest, settings, targets, Created).Snapshot(),
                new CampaignScope(DeviceKind.PoleController, null, null, null, null, null), null, "bench", cancellationToken);
            var runner = new CampaignRunner(campaigns, artifacts, ledger, new NoHealth(), new Discarding(), statuses, TimeProvider.System);
            await runner.StepAsync(cancellationToken);

            var inbox = new OtaStatusInbox(statuses, TimeProvider.System, capacity: devices * reportsPerDevice + 1);
            var appending = Stopwatch.StartNew();
            var perSource = await Task.WhenAll(Enumerable.Range(0, sources).Select(lane => Task.Run(async () =>
            {
                // Gateways hashed to lanes as the ingest hashes them, so that some lanes serve several gateways.
                var own = targets.Where(target => (uint)StringComparer.Ordinal.GetHashCode(target.Addressee) % (uint)sources == lane).ToList();
                var latencies = new List<double>(own.Count * reportsPerDevice);
                for (var sequence = 1; sequence <= reportsPerDevice; sequence++)
                {
                    foreach (var target in own)
                    {
                        var report = sequence < reportsPerDevice
                            ? new OtaStatusReport("c-bench", target.Device, 1, sequence, OtaPhase.Downloading, sequence * 100, null, null, Created)
                            : new OtaStatusReport("c-bench", target.Device, 1, sequence, OtaPhase.Confirmed, 1024, "2.4.0", null, Created);
                        var one = Stopwatch.GetTimestamp();
                        if (!await inbox.PostAsync(target.Addressee, report, cancellationToken))
                            throw new InvalidOperationException($"The inbox refused report {sequence} of {target.Device}.");
                        latencies.Add(Stopwatch.GetElapsedTime(one).TotalMilliseconds);
                    }
                }
                return latencies;
            }, cancellationToken)));
            appending.Stop();
            var latencies = perSource.SelectMany(lane => lane).ToList();

            var applying = Stopwatch.StartNew();
            var steps = 0;
            var applied = 0;
            while (await statuses.CountPendingOtaStatusAsync(cancellationToken) > 0)
            {
                applied += (await runner.StepAsync(cancellationToken)).ReportsApplied;
                steps++;
            }
            applying.Stop();
            if (applied != latencies.Count)
                throw new InvalidOperationException($"Expected every one of {latencies.Count} reports applied, found {applied}.");

            latencies.Sort();
            return new OtaStatusFigures(store, sources, latencies.Count, latencies.Count / appending.Elapsed.TotalSeconds,
                latencies[(int)(latencies.Count * 0.99)], steps, latencies.Count / applying.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var disposable in disposables)
                await disposable.DisposeAsync();
            if (cluster is not null)
                await cluster.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    private sealed class NoHealth : IDeviceHealthSamples
    {
        public Task<IReadOnlyDictionary<string, DeviceHealthSample>> SampleAsync(IReadOnlyCollection<string> devices, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, DeviceHealthSample>>(new Dictionary<string, DeviceHealthSample>());
    }

    private sealed class Discarding : IOtaOfferPublisher
    {
        public Task<bool> PublishOfferAsync(string addressee, OtaOffer offer, CancellationToken cancellationToken) => Task.FromResult(true);
    }

    private sealed class Disposing(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
