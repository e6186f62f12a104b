using System.Runtime.Versioning;
using System.Text;
using CivicEdge.Gateway.SelfUpdate;
using CivicEdge.Gateway.Tests.Support;

namespace CivicEdge.Gateway.Tests.SelfUpdate;

[Category("Unit")]
[UnsupportedOSPlatform("windows")]
public sealed class SlotStagerTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TempDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    private string Payload(byte[] bytes)
    {
        var path = _directory.File("payload.tar.gz");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public async Task Staging_unpacks_the_files_with_their_modes_and_writes_the_version_marker_last()
    {
        var slot = _directory.File("slots/b");
        var written = 0;

        await SlotStager.StageAsync(Payload(GatewayPayloads.Script("0.2.0")), slot, "0.2.0", () => written++, CancellationToken.None);

        Assert.That(File.ReadAllText(Path.Combine(slot, "profiles/meter.yaml")), Is.EqualTo("model: meter\n"));
        Assert.That(File.GetUnixFileMode(Path.Combine(slot, "civicedge-gateway")) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute));
        Assert.That(SlotStager.StagedVersion(slot), Is.EqualTo("0.2.0"));
        Assert.That(written, Is.EqualTo(2));
    }

    [Test]
    public async Task Staging_again_empties_a_slot_left_half_written_by_a_power_cut()
    {
        var slot = Directory.CreateDirectory(_directory.File("slots/b")).FullName;
        File.WriteAllText(Path.Combine(slot, "stale.dll"), "half");
        Assert.That(SlotStager.StagedVersion(slot), Is.Null, "a slot without its marker was never completely staged");

        await SlotStager.StageAsync(Payload(GatewayPayloads.Script("0.2.0")), slot, "0.2.0", null, CancellationToken.None);

        Assert.That(File.Exists(Path.Combine(slot, "stale.dll")), Is.False);
    }

    [Test]
    public async Task An_entry_that_leaves_the_slot_is_refused_naming_it()
    {
        var payload = GatewayPayloads.TarGz(("../../evil", Encoding.UTF8.GetBytes("x"), UnixFileMode.UserRead));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SlotStager.StageAsync(Payload(payload), _directory.File("slots/b"), "0.2.0", null, CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo("payload entry '../../evil': expected a relative path within the slot, found one that leaves it"));
        Assert.That(File.Exists(_directory.File("evil")), Is.False);
    }

    [Test]
    public async Task A_payload_without_the_gateway_executable_at_its_top_is_refused()
    {
        var payload = GatewayPayloads.TarGz(("bin/civicedge-gateway", Encoding.UTF8.GetBytes("x"), UnixFileMode.UserRead | UnixFileMode.UserExecute));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SlotStager.StageAsync(Payload(payload), _directory.File("slots/b"), "0.2.0", null, CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo("payload: expected 'civicedge-gateway' at the top of the archive, found no such file"));
        Assert.That(SlotStager.StagedVersion(_directory.File("slots/b")), Is.Null);
    }

    [Test]
    public async Task A_payload_that_is_not_gzip_is_refused()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => SlotStager.StageAsync(Payload(Encoding.UTF8.GetBytes("MZ not an archive")), _directory.File("slots/b"), "0.2.0", null, CancellationToken.None));
    }
}
