using Microsoft.Extensions.Hosting;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>An application lifetime that records a request to stop instead of stopping anything.</summary>
internal sealed class RecordingLifetime : IHostApplicationLifetime
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => _stopping.Token;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public bool StopRequested => _stopping.IsCancellationRequested;

    public void StopApplication() => _stopping.Cancel();
}
