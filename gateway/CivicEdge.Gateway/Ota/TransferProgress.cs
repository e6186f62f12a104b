namespace CivicEdge.Gateway.Ota;

/// <summary>When the bytes a device has acknowledged are worth reporting again: a share of the image or a time later.</summary>
internal sealed class TransferProgress(long imageBytes, FieldUpdateOptions options, TimeProvider time)
{
    private readonly long _stepBytes = Math.Max(1, (long)Math.Ceiling(imageBytes * options.ProgressStep));
    private long _lastBytes = -1;
    private long _lastTimestamp;

    public bool IsDue(long acknowledged) =>
        _lastBytes < 0
        || acknowledged - _lastBytes >= _stepBytes
        || (acknowledged != _lastBytes && time.GetElapsedTime(_lastTimestamp) >= options.ProgressInterval);

    public void Reported(long acknowledged)
    {
        _lastBytes = acknowledged;
        _lastTimestamp = time.GetTimestamp();
    }
}
