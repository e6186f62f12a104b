using System.Security.Cryptography;
using CivicEdge.Gateway.SelfUpdate;
using CivicEdge.Gateway.Tests.Support;

namespace CivicEdge.Gateway.Tests.SelfUpdate;

[Category("Integration")]
public sealed class PayloadDownloadTests
{
    private TempDirectory _directory = null!;
    private PayloadServer _server = null!;
    private HttpClient _client = null!;
    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(700_000);

    [SetUp]
    public async Task SetUp()
    {
        _directory = new TempDirectory();
        _server = await PayloadServer.StartAsync();
        _client = _server.Client();
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    private Task<string?> RunAsync(string path, string partial, string? etag, List<long>? progress = null) =>
        new PayloadDownload(_client, TimeProvider.System).RunAsync(
            new Uri(_server.BaseAddress, path), partial, _payload.Length, etag, 0,
            (_, bytes) => { progress?.Add(bytes); return Task.CompletedTask; }, CancellationToken.None);

    [Test]
    public async Task A_download_cut_off_resumes_from_the_bytes_on_disk_under_the_same_entity_tag()
    {
        var path = _server.Put("gw@0.2.0", _payload);
        var partial = _directory.File("payload.partial");
        _server.CutAfter = 300_000;
        string? etag = null;
        var failed = await Assert.CatchAsync(async () => await new PayloadDownload(_client, TimeProvider.System).RunAsync(
            new Uri(_server.BaseAddress, path), partial, _payload.Length, null, 0, (tag, _) => { etag = tag; return Task.CompletedTask; }, CancellationToken.None));
        Assert.That(failed, Is.InstanceOf<IOException>().Or.InstanceOf<HttpRequestException>());
        var kept = new FileInfo(partial).Length;
        Assert.That(kept, Is.GreaterThan(0).And.LessThanOrEqualTo(300_000));

        _server.CutAfter = null;
        var progress = new List<long>();
        var tag = await RunAsync(path, partial, etag, progress);

        Assert.That(File.ReadAllBytes(partial), Is.EqualTo(_payload));
        Assert.That(tag, Is.EqualTo(etag));
        var resumed = _server.Requests.Last();
        Assert.That((resumed.Range, resumed.IfRange), Is.EqualTo(($"bytes={kept}-", etag)));
        Assert.That(progress[0], Is.EqualTo(kept), "progress starts from what was on disk");
        Assert.That(progress[^1], Is.EqualTo(_payload.Length));
    }

    [Test]
    public async Task A_partial_file_of_another_entity_is_started_again_when_the_fleet_answers_the_whole_payload()
    {
        var path = _server.Put("gw@0.2.0", _payload);
        var partial = _directory.File("payload.partial");
        File.WriteAllBytes(partial, RandomNumberGenerator.GetBytes(200_000));

        await RunAsync(path, partial, "\"0000\"");

        Assert.That(File.ReadAllBytes(partial), Is.EqualTo(_payload));
        Assert.That(_server.Requests.Single().IfRange, Is.EqualTo("\"0000\""));
    }

    [Test]
    public async Task A_partial_file_without_a_known_entity_tag_is_never_resumed()
    {
        var path = _server.Put("gw@0.2.0", _payload);
        var partial = _directory.File("payload.partial");
        File.WriteAllBytes(partial, _payload[..1000]);

        await RunAsync(path, partial, etag: null);

        Assert.That(_server.Requests.Single().Range, Is.Null);
        Assert.That(File.ReadAllBytes(partial), Is.EqualTo(_payload));
    }

    [Test]
    public async Task A_refusal_by_the_fleet_says_what_was_expected_and_found()
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => RunAsync("api/ota/artifacts/nothing/payload", _directory.File("p"), null));

        Assert.That(error!.Message, Does.Contain("expected 200 or 206 from byte 0, found 404"));
    }
}
