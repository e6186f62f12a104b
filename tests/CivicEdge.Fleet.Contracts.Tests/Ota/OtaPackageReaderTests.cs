using System.Security.Cryptography;
using CivicEdge.Fleet.Contracts.Ota;

namespace CivicEdge.Fleet.Contracts.Tests.Ota;

[Category("Unit")]
public sealed class OtaPackageReaderTests
{
    private static readonly byte[] Payload = RandomNumberGenerator.GetBytes(200_000);

    [Test]
    public async Task A_package_arriving_in_small_pieces_yields_its_head_and_a_checked_payload()
    {
        using var key = OtaSigningKey.Generate();
        var package = OtaTestArtifacts.Package(key, OtaTestArtifacts.ManifestFor(Payload), Payload);
        await using var source = new TricklingStream(package, 997);
        using var copy = new MemoryStream();
        var reported = new List<long>();

        var opening = await OtaPackageReader.ReadHeaderAsync(source, CancellationToken.None);
        var verdict = await OtaPackageReader.CopyPayloadAsync(opening, source, copy, new SynchronousProgress(reported), CancellationToken.None);

        Assert.That(verdict, Is.EqualTo(OtaVerification.Valid));
        Assert.That(copy.ToArray(), Is.EqualTo(Payload));
        Assert.That(reported[^1], Is.EqualTo(Payload.Length));
        Assert.That(reported, Is.Ordered);
    }

    [Test]
    public async Task A_payload_longer_than_the_manifest_says_is_refused_without_reading_past_the_declared_size()
    {
        using var key = OtaSigningKey.Generate();
        var package = OtaTestArtifacts.Package(key, OtaTestArtifacts.ManifestFor(Payload), [.. Payload, .. new byte[1_000_000]]);
        await using var source = new MemoryStream(package);
        using var copy = new MemoryStream();

        var opening = await OtaPackageReader.ReadHeaderAsync(source, CancellationToken.None);
        var verdict = await OtaPackageReader.CopyPayloadAsync(opening, source, copy, null, CancellationToken.None);

        Assert.That(verdict.Failure, Is.EqualTo(OtaVerificationFailure.SizeMismatch));
        Assert.That(copy.Length, Is.LessThanOrEqualTo(Payload.Length));
        Assert.That(source.Position, Is.LessThan(package.Length - 900_000));
    }

    [Test]
    public async Task A_payload_with_one_byte_changed_is_refused_as_a_hash_mismatch()
    {
        using var key = OtaSigningKey.Generate();
        var package = OtaTestArtifacts.Package(key, OtaTestArtifacts.ManifestFor(Payload), Payload);
        package[^100] ^= 0x01;
        await using var source = new MemoryStream(package);

        var opening = await OtaPackageReader.ReadHeaderAsync(source, CancellationToken.None);
        var verdict = await OtaPackageReader.CopyPayloadAsync(opening, source, Stream.Null, null, CancellationToken.None);

        Assert.That(verdict.Failure, Is.EqualTo(OtaVerificationFailure.HashMismatch));
    }

    [Test]
    public async Task A_package_that_ends_inside_its_head_is_malformed_saying_where_it_ended()
    {
        using var key = OtaSigningKey.Generate();
        var package = OtaTestArtifacts.Package(key, OtaTestArtifacts.ManifestFor(Payload), Payload);
        await using var source = new MemoryStream(package, 0, 40);

        var opening = await OtaPackageReader.ReadHeaderAsync(source, CancellationToken.None);

        Assert.That(opening.Read.Status, Is.EqualTo(OtaPackageReadStatus.Malformed));
        Assert.That(opening.Read.Reason, Does.Contain("ending after 40 bytes"));
    }

    private sealed class SynchronousProgress(List<long> into) : IProgress<long>
    {
        public void Report(long value) => into.Add(value);
    }

    /// <summary>A stream that hands out at most a few bytes per read, as a slow network does.</summary>
    private sealed class TricklingStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
