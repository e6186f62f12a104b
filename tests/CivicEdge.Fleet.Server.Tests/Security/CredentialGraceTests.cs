using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts.Ledger;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Fleet.Server.Tests.Security;

/// <summary>A rotation's grace period on a fleet whose clock the test moves: the old secret's session lives until it ends.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CredentialGraceTests
{
    [Test]
    public async Task The_session_of_a_rotated_secret_is_cut_when_its_grace_period_ends_and_the_new_one_stays()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var fleet = new FleetHost(timeProvider: clock);
        await fleet.StartAsync(timeout.Token);
        using var http = fleet.CreateClient();
        var old = await fleet.ProvisionAsync("grace-1", timeout.Token);
        await using var before = await DeviceClient.AcceptedAsync(fleet.MqttPort, "grace-1", "grace-1", old, timeout.Token);

        using var rotated = await http.PostAsJsonAsync(
            "/api/devices/grace-1/credentials/rotate", new CredentialRequest { By = "test", Grace = TimeSpan.FromHours(1) }, LedgerJson.Default.CredentialRequest, timeout.Token);
        var fresh = (await rotated.Content.ReadFromJsonAsync(LedgerJson.Default.IssuedCredential, timeout.Token))!;
        await using var after = await DeviceClient.AcceptedAsync(fleet.MqttPort, "grace-1/new", "grace-1", fresh.Secret, timeout.Token);
        clock.Advance(TimeSpan.FromMinutes(59));
        var stillConnected = before.IsConnected;
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(10));
        await before.Disconnected.WaitAsync(timeout.Token);

        Assert.That(stillConnected, Is.True, "within the grace period");
        Assert.That(after.IsConnected, Is.True);
        var (again, result) = await DeviceClient.ConnectAsync(fleet.MqttPort, "grace-1", "grace-1", old, timeout.Token);
        await again.DisposeAsync();
        Assert.That(result, Is.EqualTo(MQTTnet.MqttClientConnectResultCode.BadUserNameOrPassword));
    }
}
