using System.Net;
using System.Text;

namespace CivicEdge.Fleet.Cli.Tests;

/// <summary>A fleet API that answers from canned responses and records what it was asked.</summary>
internal sealed class StubFleet : HttpMessageHandler
{
    private readonly Dictionary<string, (HttpStatusCode Status, string Body)> _responses = new(StringComparer.Ordinal);

    public List<Uri> Requests { get; } = [];

    /// <summary>The method and body of every request, in order.</summary>
    public List<(HttpMethod Method, string? Body)> Sent { get; } = [];

    /// <summary>The raw body of every request (null when none), in order, for binary uploads.</summary>
    public List<byte[]?> SentBytes { get; } = [];

    /// <summary>The Authorization header of every request (null when none), in order.</summary>
    public List<string?> Authorizations { get; } = [];

    public bool Unreachable { get; init; }

    public StubFleet Answer(string pathAndQuery, string json, HttpStatusCode status = HttpStatusCode.OK)
    {
        _responses[pathAndQuery] = (status, json);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request.RequestUri!);
        Authorizations.Add(request.Headers.Authorization?.ToString());
        var sentBody = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        SentBytes.Add(sentBody);
        Sent.Add((request.Method, sentBody is null ? null : Encoding.UTF8.GetString(sentBody)));
        if (Unreachable)
            throw new HttpRequestException("Connection refused (127.0.0.1:5080)");
        var key = request.RequestUri!.PathAndQuery;
        var (status, body) = _responses.TryGetValue(key, out var r) ? r : (HttpStatusCode.NotFound, "");
        return new HttpResponseMessage(status)
        {
            Content = new StringContent(body, Encoding.UTF8, (int)status < 300 ? "application/json" : "application/problem+json"),
        };
    }
}
