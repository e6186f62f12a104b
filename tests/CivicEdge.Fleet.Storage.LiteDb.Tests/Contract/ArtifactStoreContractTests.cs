using System.Security.Cryptography;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;

/// <summary>What every <see cref="IArtifactStore"/> must do, whatever its engine; a fresh, empty store per test.</summary>
public abstract class ArtifactStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);

    private IArtifactStore? _store;

    protected IArtifactStore Store => _store ?? throw new InvalidOperationException("The store is opened in SetUp.");

    protected abstract Task<IArtifactStore> OpenEmptyStoreAsync();

    protected abstract Task CloseStoreAsync(IArtifactStore store);

    [SetUp]
    public async Task OpenStore() => _store = await OpenEmptyStoreAsync();

    [TearDown]
    public async Task CloseStore()
    {
        if (_store is not null)
            await CloseStoreAsync(_store);
        _store = null;
    }

    [Test]
    public async Task An_artifact_reads_back_with_its_manifest_bytes_signature_and_whole_payload()
    {
        // 1.3 MB spans several chunks on every engine and ends inside one.
        var payload = RandomNumberGenerator.GetBytes(1_300_001);
        var artifact = Artifact("pole-controller", "2.4.0", payload);

        await Store.AddArtifactAsync(artifact, new MemoryStream(payload), CancellationToken.None);
        var read = await Store.FindArtifactAsync(artifact.Id, CancellationToken.None);

        Assert.That(read, Is.Not.Null);
        Assert.That(read!.ManifestBytes.ToArray(), Is.EqualTo(artifact.ManifestBytes.ToArray()));
        Assert.That((read.Signature, read.UploadedBy, read.UploadedAt), Is.EqualTo((artifact.Signature, artifact.UploadedBy, artifact.UploadedAt)));
        Assert.That(read.Manifest.Sha256, Is.EqualTo(artifact.Manifest.Sha256));
        Assert.That(await ReadAllAsync(artifact.Id, 100_000), Is.EqualTo(payload));
    }

    [TestCase(524_288, 262_144)]
    [TestCase(0, 10)]
    [TestCase(262_140, 10)]
    [TestCase(1_048_570, 300_000)]
    [TestCase(1_299_990, 100)]
    public async Task A_range_reads_exactly_the_bytes_at_its_offset_even_across_chunk_boundaries(long offset, int length)
    {
        var payload = RandomNumberGenerator.GetBytes(1_300_001);
        await Store.AddArtifactAsync(Artifact("meter-node", "1.0.0", payload), new MemoryStream(payload), CancellationToken.None);
        var buffer = new byte[length];

        var read = await Store.ReadPayloadAsync("meter-node@1.0.0", offset, buffer, CancellationToken.None);

        var expected = (int)Math.Min(length, payload.Length - offset);
        Assert.That(read, Is.EqualTo(expected));
        Assert.That(buffer[..read], Is.EqualTo(payload.AsSpan((int)offset, expected).ToArray()));
    }

    [Test]
    public async Task A_payload_read_from_a_file_in_small_pieces_is_stored_whole()
    {
        var payload = RandomNumberGenerator.GetBytes(700_000);
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, payload);
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous))
                await Store.AddArtifactAsync(Artifact("meter-node", "1.0.0", payload), file, CancellationToken.None);

            Assert.That(await ReadAllAsync("meter-node@1.0.0", 262_144), Is.EqualTo(payload));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase(700_000, 524_288, 262_144)]
    [TestCase(700_000, 699_999, 65_536)]
    [TestCase(261_120, 0, 300_000)]
    public async Task A_read_that_runs_past_the_end_stops_at_the_last_byte(int size, long offset, int length)
    {
        var payload = RandomNumberGenerator.GetBytes(size);
        await Store.AddArtifactAsync(Artifact("meter-node", "1.0.0", payload), new MemoryStream(payload), CancellationToken.None);
        var buffer = new byte[length];

        var read = await Store.ReadPayloadAsync("meter-node@1.0.0", offset, buffer, CancellationToken.None);

        Assert.That(read, Is.EqualTo(size - offset));
        Assert.That(buffer[..read], Is.EqualTo(payload[(int)offset..]));
    }

    [Test]
    public async Task A_read_at_or_past_the_end_reads_nothing_and_an_unknown_artifact_is_not_found()
    {
        var payload = RandomNumberGenerator.GetBytes(1000);
        await Store.AddArtifactAsync(Artifact("meter-node", "1.0.0", payload), new MemoryStream(payload), CancellationToken.None);

        Assert.That(await Store.ReadPayloadAsync("meter-node@1.0.0", 1000, new byte[10], CancellationToken.None), Is.Zero);
        Assert.That(await Store.FindArtifactAsync("meter-node@9.9.9", CancellationToken.None), Is.Null);
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await Store.ReadPayloadAsync("meter-node@9.9.9", 0, new byte[10], CancellationToken.None));
    }

    [Test]
    public async Task A_second_artifact_with_the_same_id_is_refused_and_the_first_is_kept()
    {
        var first = RandomNumberGenerator.GetBytes(5000);
        var second = RandomNumberGenerator.GetBytes(7000);
        await Store.AddArtifactAsync(Artifact("pole-controller", "2.4.0", first), new MemoryStream(first), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Store.AddArtifactAsync(Artifact("pole-controller", "2.4.0", second), new MemoryStream(second), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("pole-controller@2.4.0"));
        Assert.That(await ReadAllAsync("pole-controller@2.4.0", 4096), Is.EqualTo(first));
    }

    [Test]
    public async Task A_payload_stream_that_fails_midway_leaves_no_artifact_behind()
    {
        var payload = RandomNumberGenerator.GetBytes(900_000);

        await Assert.ThrowsAsync<IOException>(async () =>
            await Store.AddArtifactAsync(Artifact("pole-controller", "2.5.0", payload), new FailingStream(payload, 600_000), CancellationToken.None));

        Assert.That(await Store.FindArtifactAsync("pole-controller@2.5.0", CancellationToken.None), Is.Null);
        Assert.That(await Store.ListArtifactsAsync(CancellationToken.None), Is.Empty);
        await Store.AddArtifactAsync(Artifact("pole-controller", "2.5.0", payload), new MemoryStream(payload), CancellationToken.None);
        Assert.That(await ReadAllAsync("pole-controller@2.5.0", 65536), Is.EqualTo(payload), "a later upload of the same id succeeds");
    }

    [Test]
    public async Task Two_uploads_of_one_id_at_once_leave_one_whole_artifact_and_refuse_the_other()
    {
        var first = RandomNumberGenerator.GetBytes(800_000);
        var second = RandomNumberGenerator.GetBytes(800_000);

        var uploads = new[] { (Payload: first, Task: AddSlowlyAsync(first)), (Payload: second, Task: AddSlowlyAsync(second)) };
        var outcomes = new List<Exception?>();
        foreach (var (_, task) in uploads)
        {
            try
            {
                await task;
                outcomes.Add(null);
            }
            catch (InvalidOperationException refused)
            {
                outcomes.Add(refused);
            }
        }

        Assert.That(outcomes.Count(o => o is null), Is.EqualTo(1), "exactly one upload wins");
        var winner = uploads[outcomes.IndexOf(null)].Payload;
        Assert.That(await ReadAllAsync("pole-controller@3.0.0", 100_000), Is.EqualTo(winner));
    }

    [Test]
    public async Task Artifacts_list_newest_upload_first_and_a_deleted_one_is_gone_with_its_payload()
    {
        var payload = RandomNumberGenerator.GetBytes(2000);
        await Store.AddArtifactAsync(Artifact("a", "1.0.0", payload, T0), new MemoryStream(payload), CancellationToken.None);
        await Store.AddArtifactAsync(Artifact("b", "1.0.0", payload, T0.AddMinutes(5)), new MemoryStream(payload), CancellationToken.None);

        var listed = await Store.ListArtifactsAsync(CancellationToken.None);
        var deleted = await Store.DeleteArtifactAsync("b@1.0.0", CancellationToken.None);
        var again = await Store.DeleteArtifactAsync("b@1.0.0", CancellationToken.None);

        Assert.That(listed.Select(a => a.Id), Is.EqualTo(new[] { "b@1.0.0", "a@1.0.0" }));
        Assert.That((deleted, again), Is.EqualTo((true, false)));
        Assert.That((await Store.ListArtifactsAsync(CancellationToken.None)).Select(a => a.Id), Is.EqualTo(new[] { "a@1.0.0" }));
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await Store.ReadPayloadAsync("b@1.0.0", 0, new byte[10], CancellationToken.None));
    }

    private async Task<byte[]> ReadAllAsync(string id, int bufferSize)
    {
        var all = new MemoryStream();
        var buffer = new byte[bufferSize];
        int read;
        while ((read = await Store.ReadPayloadAsync(id, all.Length, buffer, CancellationToken.None)) > 0)
            all.Write(buffer, 0, read);
        return all.ToArray();
    }

    private static StoredArtifact Artifact(string product, string version, byte[] payload, DateTimeOffset? at = null)
    {
        var manifest = new OtaManifest(product, ArtifactKind.Firmware, ["slc-200"], version, null, payload.Length,
            Convert.ToHexStringLower(SHA256.HashData(payload)), "notes", T0);
        var bytes = OtaPackageFormat.ManifestBytes(manifest);
        return new StoredArtifact(manifest.ArtifactId, bytes, manifest, new OtaSignature(new string('a', 64), OtaSignature.Es256, Convert.ToBase64String(new byte[64])),
            "key:abc (release)", at ?? T0);
    }

    private Task AddSlowlyAsync(byte[] payload) =>
        Task.Run(() => Store.AddArtifactAsync(Artifact("pole-controller", "3.0.0", payload), new SlowStream(payload), CancellationToken.None));

    /// <summary>A payload that arrives a piece at a time, as an upload over a slow link does.</summary>
    private sealed class SlowStream(byte[] data) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(5, cancellationToken);
            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 100_000)], cancellationToken);
        }
    }

    /// <summary>A payload whose source breaks off after some bytes, as an upload's connection does.</summary>
    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position >= failAfter ? throw new IOException("connection reset") : base.Read(buffer, offset, Math.Min(count, failAfter - (int)Position));

        public override int Read(Span<byte> buffer) => Position >= failAfter ? throw new IOException("connection reset") : base.Read(buffer[..Math.Min(buffer.Length, failAfter - (int)Position)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));
    }
}
