using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Ledger.Codes;
using CivicEdge.Fleet.Core.Provisioning;
using CivicEdge.Fleet.Core.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Fleet.Core.Tests.Ledger;

/// <summary>The ledger's services over an in-memory store, a fake clock and a real fleet CA.</summary>
internal sealed class LedgerRig : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    public LedgerRig(LedgerOptions? options = null, IDeviceCodeScheme? scheme = null)
    {
        Options = options ?? new LedgerOptions();
        Authority = FleetCertificateAuthority.Create("test fleet CA", T0.AddDays(-1), TimeSpan.FromDays(3650));
        Credentials = new DeviceCredentials(Store, Authority, Sessions, Security, Clock, NullLogger<DeviceCredentials>.Instance);
        Ledger = new DeviceLedger(Store, new InMemoryFleetStore(), Credentials, scheme ?? new TopicLevelDeviceCodeScheme(), Options, Clock, NullLogger<DeviceLedger>.Instance);
        Provisioning = new DeviceProvisioning(Store, Ledger, Credentials, Options, Clock, NullLogger<DeviceProvisioning>.Instance);
    }

    public FakeTimeProvider Clock { get; } = new(T0);

    public InMemoryDeviceLedgerStore Store { get; } = new();

    public RecordingDeviceSessions Sessions { get; } = new();

    public SecurityOptions Security { get; } = new() { HashIterations = 1000 };

    public LedgerOptions Options { get; }

    public FleetCertificateAuthority Authority { get; }

    public DeviceCredentials Credentials { get; }

    public DeviceLedger Ledger { get; }

    public DeviceProvisioning Provisioning { get; }

    public static DeviceRegistration Registration(
        string code,
        DeviceKind kind = DeviceKind.EnvironmentStation,
        string tenant = "ecology-bureau",
        double? latitude = null,
        double? longitude = null,
        string[]? capabilities = null,
        string? gateway = null,
        string? batch = null) =>
        new()
        {
            Code = code,
            Kind = kind,
            Tenant = tenant,
            By = "office",
            Gateway = gateway,
            Batch = batch,
            Capabilities = capabilities,
            Location = latitude is null ? null : new DeviceLocation(latitude, longitude, null, null, "Zhongyuan"),
        };

    public async Task<LedgerDevice> RegisterAsync(DeviceRegistration registration)
    {
        var result = await Ledger.RegisterAsync(registration, CancellationToken.None);
        Assert.That(result.Succeeded, Is.True, result.Failure?.Detail);
        return result.Value!.Device;
    }

    public async Task<string> IssuePasswordAsync(string code)
    {
        var result = await Credentials.IssueAsync(code, new CredentialRequest { By = "office" }, CancellationToken.None);
        Assert.That(result.Succeeded, Is.True, result.Failure?.Detail);
        return result.Value!.Secret!;
    }

    public void Dispose() => Authority.Dispose();
}
