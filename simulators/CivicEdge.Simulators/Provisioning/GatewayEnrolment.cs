using System.Net;
using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts.Ledger;

namespace CivicEdge.Simulators.Provisioning;

/// <summary>
/// Enrols a gateway with a fleet through its REST API, as an operator does with <c>civic devices register</c> and
/// <c>civic devices credentials issue --secret-file</c>: the gateway and the field devices behind it go into the
/// ledger (kept when already there), and the gateway gets a password credential of its own, written to a file only its
/// owner can read, for <c>Uplink:PasswordFile</c>.
/// </summary>
public static class GatewayEnrolment
{
    /// <param name="fleet">A client with the fleet's base address.</param>
    /// <param name="gateway">The gateway's code, also its MQTT user name.</param>
    /// <param name="devices">The field devices the gateway reads.</param>
    /// <param name="secretFile">Where the gateway's secret is written.</param>
    /// <param name="tenant">The owner the ledger records.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public static Task EnrolAsync(
        HttpClient fleet,
        string gateway,
        IReadOnlyList<EnrolledDevice> devices,
        string secretFile,
        string tenant,
        CancellationToken cancellationToken) =>
        EnrolAsync(fleet, new EnrolledDevice(gateway, DeviceKind.Gateway, "civicedge-gateway"), devices, secretFile, tenant, cancellationToken);

    /// <param name="fleet">A client with the fleet's base address.</param>
    /// <param name="gateway">The gateway as the ledger keeps it: its code (also its MQTT user name), model and location.</param>
    /// <param name="devices">The field devices the gateway reads.</param>
    /// <param name="secretFile">Where the gateway's secret is written.</param>
    /// <param name="tenant">The owner the ledger records.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public static async Task EnrolAsync(
        HttpClient fleet,
        EnrolledDevice gateway,
        IReadOnlyList<EnrolledDevice> devices,
        string secretFile,
        string tenant,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentException.ThrowIfNullOrEmpty(secretFile);

        await RegisterAsync(fleet, new DeviceRegistration { Code = gateway.Code, Kind = DeviceKind.Gateway, Model = gateway.Model, Tenant = tenant, Location = gateway.Location, By = "enrolment" }, cancellationToken);
        foreach (var device in devices)
        {
            await RegisterAsync(
                fleet,
                new DeviceRegistration
                {
                    Code = device.Code,
                    Kind = device.Kind,
                    Model = device.Model,
                    Gateway = gateway.Code,
                    Tenant = tenant,
                    Location = device.Location,
                    Capabilities = device.Capabilities,
                    By = "enrolment",
                },
                cancellationToken);
        }

        using var issued = await fleet.PostAsJsonAsync(
            $"api/devices/{Uri.EscapeDataString(gateway.Code)}/credentials", new CredentialRequest { By = "enrolment" }, LedgerJson.Default.CredentialRequest, cancellationToken);
        if (!issued.IsSuccessStatusCode)
            throw new InvalidOperationException($"The fleet refused a credential for {gateway.Code}: {(int)issued.StatusCode} {await issued.Content.ReadAsStringAsync(cancellationToken)}");
        var credential = await issued.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, cancellationToken);

        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var writer = new StreamWriter(secretFile, options);
        await writer.WriteLineAsync(credential!.Secret.AsMemory(), cancellationToken);
    }

    /// <summary>
    /// Takes registered devices through installation and commissioning into service, as the installer and the
    /// operator would on site: the health figures count devices in service only.
    /// </summary>
    public static async Task PutInServiceAsync(HttpClient fleet, IEnumerable<string> codes, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(codes);
        foreach (var code in codes)
        {
            foreach (var state in new[] { LifecycleState.Installed, LifecycleState.Commissioned, LifecycleState.InService })
            {
                using var response = await fleet.PostAsJsonAsync(
                    $"api/devices/{Uri.EscapeDataString(code)}/lifecycle",
                    new LifecycleRequest { State = state, By = "enrolment", Reason = reason },
                    LedgerJson.Default.LifecycleRequest,
                    cancellationToken);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"The fleet refused to move {code} to {state}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    private static async Task RegisterAsync(HttpClient fleet, DeviceRegistration registration, CancellationToken cancellationToken)
    {
        using var response = await fleet.PostAsJsonAsync("api/devices", registration, LedgerJson.Default.DeviceRegistration, cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
            throw new InvalidOperationException($"The fleet refused to register {registration.Code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }
}
