using System.Net;
using System.Text;
using CivicEdge.Gateway.Configuration;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Gateway.Uplink;

namespace CivicEdge.Gateway.Tests.Uplink;

[Category("Unit")]
public sealed class UplinkBasicAuthenticationTests
{
    [Test]
    public async Task Every_request_carries_the_uplinks_code_and_password_and_a_rotated_password_file_is_read_at_the_next_one()
    {
        using var directory = new TempDirectory();
        var secret = directory.File("uplink.secret");
        await File.WriteAllTextAsync(secret, "first-secret\n");
        var seen = new List<string>();
        using var client = new HttpClient(new UplinkBasicAuthentication(new UplinkOptions { Username = "gw-1", PasswordFile = secret })
        {
            InnerHandler = new RecordingHandler(seen),
        });

        using var first = await client.GetAsync("http://fleet.test/api/ota/artifacts/a@1/payload");
        await File.WriteAllTextAsync(secret, "rotated-secret\n");
        using var second = await client.GetAsync("http://fleet.test/api/ota/artifacts/a@1/payload");

        Assert.That(seen, Is.EqualTo(new[] { "Basic gw-1:first-secret", "Basic gw-1:rotated-secret" }));
    }

    [Test]
    public async Task A_password_file_that_cannot_be_read_fails_the_request_as_a_retryable_download_error_naming_the_key()
    {
        using var directory = new TempDirectory();
        var missing = directory.File("gone.secret");
        using var client = new HttpClient(new UplinkBasicAuthentication(new UplinkOptions { Username = "gw-1", PasswordFile = missing })
        {
            InnerHandler = new RecordingHandler([]),
        });

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://fleet.test/api/ota/artifacts/a@1/payload"));

        Assert.That(failure!.Message, Does.StartWith($"Uplink:PasswordFile '{missing}' could not be read"));
    }

    [Test]
    public void The_credential_is_utf8_base64_as_rfc_7617_gives_it()
    {
        Assert.That(UplinkBasicAuthentication.Encode("Aladdin", "open sesame"), Is.EqualTo("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
        Assert.That(UplinkBasicAuthentication.Encode("test", "123\u00A3"), Is.EqualTo("dGVzdDoxMjPCow=="));
    }

    private sealed class RecordingHandler(List<string> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.Authorization!;
            seen.Add($"{authorization.Scheme} {Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Parameter!))}");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
