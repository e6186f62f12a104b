using System.Net;
using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Simulators.Load;

/// <summary>
/// Makes a load's gateways known to a fleet whose broker authenticates devices, as an operator would: each is
/// registered in the ledger and issued a password credential through the REST API (with a key that may register devices
/// and manage credentials). A gateway the ledger has from an earlier run gets a new password and its old ones revoked.
/// </summary>
public static class LoadEnrolment
{
    /// <summary>Registers and credentials every gateway of <paramref name="gatewayIds"/>; returns their passwords by id.</summary>
    /// <param name="fleet">A client of the fleet's REST API: its base address and API key set.</param>
    /// <param name="gatewayIds">The gateways, whose ids are their unified device codes.</param>
    /// <param name="tenant">The tenant the gateways are registered for.</param>
    /// <param name="concurrency">Requests under way at once: each credential is a deliberately slow hash on the fleet.</param>
    /// <param name="cancellationToken">Stops the enrolment.</param>
    /// <exception cref="InvalidOperationException">The fleet refused a gateway; the message holds its answer.</exception>
    public static async Task<IReadOnlyDictionary<string, string>> EnrolAsync(
        HttpClient fleet, IReadOnlyList<string> gatewayIds, string tenant, int concurrency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(gatewayIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);

        var passwords = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            gatewayIds,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (id, token) => passwords[id] = await EnrolAsync(fleet, id, tenant, token).ConfigureAwait(false)).ConfigureAwait(false);
        return passwords;
    }

    /// <summary>
    /// Registers and credentials every gateway of <paramref name="options"/>, and registers the field devices behind
    /// each (<see cref="LoadOptions.DeviceKind"/>, <see cref="LoadOptions.DeviceModel"/>, <see cref="LoadOptions.DeviceFirmware"/>);
    /// returns the gateways' passwords by id.
    /// </summary>
    /// <exception cref="InvalidOperationException">The fleet refused a gateway or a device; the message holds its answer.</exception>
    public static async Task<IReadOnlyDictionary<string, string>> EnrolAsync(
        HttpClient fleet, LoadOptions options, string tenant, int concurrency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var gatewayIds = Enumerable.Range(1, options.Gateways).Select(options.GatewayId).ToList();
        var passwords = await EnrolAsync(fleet, gatewayIds, tenant, concurrency, cancellationToken).ConfigureAwait(false);
        var devices = gatewayIds
            .SelectMany(gateway => Enumerable.Range(1, options.DevicesPerGateway).Select(n => new DeviceRegistration
            {
                Code = LoadOptions.DeviceId(gateway, n),
                Kind = options.DeviceKind,
                Model = options.DeviceModel,
                Firmware = options.DeviceFirmware,
                Gateway = gateway,
                Tenant = tenant,
                Tags = ["load-test"],
            }));
        await Parallel.ForEachAsync(
            devices,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (device, token) =>
            {
                using var registered = await fleet.PostAsJsonAsync("api/devices", device, LedgerJson.Default.DeviceRegistration, token).ConfigureAwait(false);
                if (registered.StatusCode != HttpStatusCode.Conflict)
                    await RequireAsync(registered, $"registering {device.Code} behind {device.Gateway}", token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return passwords;
    }

    private static async Task<string> EnrolAsync(HttpClient fleet, string id, string tenant, CancellationToken cancellationToken)
    {
        var registration = new DeviceRegistration { Code = id, Kind = DeviceKind.Gateway, Tenant = tenant, Tags = ["load-test"] };
        bool known;
        using (var registered = await fleet.PostAsJsonAsync("api/devices", registration, LedgerJson.Default.DeviceRegistration, cancellationToken).ConfigureAwait(false))
        {
            known = registered.StatusCode == HttpStatusCode.Conflict;
            if (!known)
                await RequireAsync(registered, $"registering {id}", cancellationToken).ConfigureAwait(false);
        }

        // A rerun cannot know the passwords it was given before: it rotates them away.
        var path = $"api/devices/{Uri.EscapeDataString(id)}/credentials{(known ? "/rotate" : string.Empty)}";
        var request = new CredentialRequest { Kind = CredentialKind.Password, RevokeOld = known ? true : null };
        using var issued = await fleet.PostAsJsonAsync(path, request, LedgerJson.Default.CredentialRequest, cancellationToken).ConfigureAwait(false);
        await RequireAsync(issued, $"issuing a password to {id}", cancellationToken).ConfigureAwait(false);
        var credential = await issued.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, cancellationToken).ConfigureAwait(false);
        return credential?.Secret ?? throw new InvalidOperationException($"issuing a password to {id}: expected the secret in the fleet's answer, found none");
    }

    private static async Task RequireAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException(
            $"{what}: the fleet at {response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body}");
    }
}
