using System.Security.Cryptography;
using CivicEdge.Firmware.Core.Update;

namespace CivicEdge.Firmware.Core.Tests.Update;

[TestFixture]
[Category("Unit")]
public sealed class Sha256Tests
{
    [Test]
    public void The_FIPS_180_2_example_abc_hashes_to_its_published_digest()
    {
        Assert.That(Convert.ToHexStringLower(Hash("abc"u8.ToArray())),
            Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    [Test]
    public void Every_length_across_the_padding_boundaries_hashes_as_dotnet_does()
    {
        var random = new Random(180_4);
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.That(Hash(data), Is.EqualTo(SHA256.HashData(data)), $"length {length}");
        }
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(63)]
    [TestCase(64)]
    [TestCase(65)]
    [TestCase(240)]
    [TestCase(4096)]
    public void A_megabyte_appended_in_pieces_hashes_as_dotnet_does(int piece)
    {
        var data = new byte[1 << 20];
        new Random(piece).NextBytes(data);
        var sha = new Sha256();
        for (var at = 0; at < data.Length; at += piece)
            sha.Append(data, at, Math.Min(piece, data.Length - at));
        var digest = new byte[32];

        sha.Finish(digest, 0);

        Assert.That(digest, Is.EqualTo(SHA256.HashData(data)));
    }

    [Test]
    public void Finishing_starts_a_new_digest()
    {
        var sha = new Sha256();
        var first = new byte[32];
        var second = new byte[32];
        sha.Append([1, 2, 3], 0, 3);
        sha.Finish(first, 0);

        sha.Finish(second, 0);

        Assert.That(second, Is.EqualTo(SHA256.HashData(ReadOnlySpan<byte>.Empty)));
    }

    [Test]
    public void A_range_outside_the_buffer_is_refused_with_the_range_and_the_buffer_size()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sha256().Append(new byte[10], 8, 4));

        Assert.That(error!.Message, Does.Contain("8+4").And.Contain("10 bytes"));
    }

    private static byte[] Hash(byte[] data)
    {
        var sha = new Sha256();
        sha.Append(data, 0, data.Length);
        var digest = new byte[32];
        sha.Finish(digest, 0);
        return digest;
    }
}
