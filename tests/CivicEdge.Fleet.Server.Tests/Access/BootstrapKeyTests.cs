using System.Net;
using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts.Access;
using CivicEdge.Fleet.Core.Access;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests.Access;

/// <summary>The bootstrap admin key through a key file: made and written once, read back on every start, never a default.</summary>
[Category("Integration")]
public sealed class BootstrapKeyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private string _directory = string.Empty;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("civicedge-bootstrap-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task A_first_start_writes_a_new_admin_key_to_the_key_file_for_its_owner_only_and_audits_it()
    {
        var keyFile = Path.Combine(_directory, "secrets", "admin.key");
        await using var fleet = await StartAsync(keyFile);

        var key = (await File.ReadAllLinesAsync(keyFile)).Single();
        using var client = fleet.CreateClient(key);
        var me = await client.GetFromJsonAsync("api/me", AccessJson.Default.CallerInfo);

        Assert.That((me!.Role, me.AllTenants), Is.EqualTo((FleetRole.Admin, true)));
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(key, Is.Not.EqualTo(FleetHost.AdminKey), "made at random, not a default");
        var audit = await client.GetFromJsonAsync("api/audit?action=key.bootstrap", AccessJson.Default.IReadOnlyListAuditEntry);
        Assert.That(audit!.Select(e => (e.Actor, e.Target, e.Outcome)), Is.EqualTo(new[] { ("system", key.Split('_')[1], AuditOutcome.Succeeded) }));
    }

    [Test]
    public async Task A_restart_reads_the_key_file_back_and_makes_no_other_key()
    {
        var keyFile = Path.Combine(_directory, "admin.key");
        await (await StartAsync(keyFile)).DisposeAsync();
        var key = await File.ReadAllTextAsync(keyFile);

        await using var again = await StartAsync(keyFile);

        Assert.That(await File.ReadAllTextAsync(keyFile), Is.EqualTo(key));
        var keys = await again.Services.GetRequiredService<IApiKeyStore>().ListKeysAsync(CancellationToken.None);
        Assert.That(keys.Select(k => k.Id), Is.EqualTo(new[] { key.Split('_')[1] }));
        using var client = again.CreateClient(key.Trim());
        Assert.That((await client.GetAsync("api/devices")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_configured_key_whose_id_is_stored_with_another_secret_stops_the_start()
    {
        var keyFile = Path.Combine(_directory, "admin.key");
        await (await StartAsync(keyFile)).DisposeAsync();
        var key = (await File.ReadAllTextAsync(keyFile)).Trim();
        await File.WriteAllTextAsync(keyFile, key[..^4] + "AAAA");

        var failure = await Assert.CatchAsync(async () => await (await StartAsync(keyFile)).DisposeAsync());

        Assert.That(failure!.ToString(), Does.Contain(keyFile).And.Contain("stored with another secret"));
    }

    private async Task<FleetHost> StartAsync(string keyFile)
    {
        var fleet = new FleetHost(new Dictionary<string, string>
        {
            ["Fleet:Access:BootstrapKey"] = "",
            ["Fleet:Access:BootstrapKeyFile"] = keyFile,
            ["Fleet:Storage:Path"] = Path.Combine(_directory, "fleet.db"),
        });
        try
        {
            using var cancel = new CancellationTokenSource(Timeout);
            await fleet.StartAsync(cancel.Token);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }
}
