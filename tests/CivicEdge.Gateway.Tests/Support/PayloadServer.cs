using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// Serves payloads the way the fleet's artifact API does: ASP.NET Core's range processing (206, 416, If-Range) with the
/// payload's SHA-256 as its entity tag, behind a bearer key. Records each request's Range and If-Range headers.
/// </summary>
internal sealed class PayloadServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _payloads = new(StringComparer.Ordinal);

    private PayloadServer(WebApplication app) => _app = app;

    public const string ApiKey = "ce_test_key";

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Each request as (path, Range, If-Range).</summary>
    public ConcurrentQueue<(string Path, string? Range, string? IfRange)> Requests { get; } = new();

    /// <summary>When set, a body is cut off after this many bytes, as a dropped connection would.</summary>
    public long? CutAfter { get; set; }

    public static async Task<PayloadServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new PayloadServer(app);
        app.MapGet("/api/ota/artifacts/{id}/payload", server.Serve);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address + "/");
        return server;
    }

    public string Put(string artifactId, byte[] payload)
    {
        _payloads[artifactId] = payload;
        return $"api/ota/artifacts/{artifactId}/payload";
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, DefaultRequestHeaders = { Authorization = new("Bearer", ApiKey) } };

    private IResult Serve(HttpContext context, string id)
    {
        Requests.Enqueue((context.Request.Path, context.Request.Headers.Range.ToString() is { Length: > 0 } r ? r : null,
            context.Request.Headers.IfRange.ToString() is { Length: > 0 } i ? i : null));
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
            return Results.Unauthorized();
        if (!_payloads.TryGetValue(id, out var payload))
            return Results.NotFound();
        var tag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(payload)) + "\"");
        Stream body = new MemoryStream(payload);
        if (CutAfter is { } cut)
            body = new CuttingStream(body, cut);
        return Results.Stream(body, "application/octet-stream", entityTag: tag, enableRangeProcessing: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Fails the read after a number of bytes, so the response breaks off mid-body.</summary>
    private sealed class CuttingStream(Stream inner, long cut) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= cut)
                throw new IOException("connection cut");
            var n = inner.Read(buffer, offset, (int)Math.Min(count, cut - _read));
            _read += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_read >= cut)
                throw new IOException("connection cut");
            var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, cut - _read)], cancellationToken);
            _read += n;
            return n;
        }
    }
}
