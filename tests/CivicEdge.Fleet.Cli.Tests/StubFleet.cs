using System.Net;
using System.Text;

namespace CivicEdge.Fleet.Cli.Tests;

/// <summary>A fleet API that answers from canned responses and records what it was asked.</summary>
internal sealed class StubFleet : HttpMessageHandler
{
    private readonly Dictionary<string, (HttpStatusCode Status, string Body)> _responses = new(StringComparer.Ordinal);

    public List<Uri> Requests { get; } = [];

    public bool Unreachable { get; init; }

    public StubFleet Answer(string pathAndQuery, string json, HttpStatusCode status = HttpStatusCode.OK)
    {
        _responses[pathAndQuery] = (status, json);
        return this;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request.RequestUri!);
        if (Unreachable)
            throw new HttpRequestException("Connection refused (127.0.0.1:5080)");
        var key = request.RequestUri!.PathAndQuery;
        var (status, body) = _responses.TryGetValue(key, out var r) ? r : (HttpStatusCode.NotFound, "");
        return Task.FromResult(new HttpResponseMessage(status)
        {
            Content = new StringContent(body, Encoding.UTF8, status == HttpStatusCode.OK ? "application/json" : "application/problem+json"),
        });
    }
}
