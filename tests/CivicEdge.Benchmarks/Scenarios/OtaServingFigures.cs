namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>How fast the fleet serves OTA payloads.</summary>
/// <param name="UploadMegabytes">The size of the uploaded package's payload.</param>
/// <param name="UploadSeconds">From the first byte of the upload to the 201 (signature, hash and storage included).</param>
/// <param name="WholeDownloads">Whole-payload downloads of that artifact.</param>
/// <param name="WholeMegabytesPerSecond">What they moved together.</param>
/// <param name="RangeRequests">64 KiB range requests at random offsets.</param>
/// <param name="RangeRequestsPerSecond">How many were answered per second.</param>
/// <param name="RangeMegabytesPerSecond">What they moved together.</param>
/// <param name="RolloutDevices">Downloaders fetching a 1 MB payload in 64 KiB ranges, as installers behind gateways do.</param>
/// <param name="RolloutConcurrency">How many of them at once (one per gateway).</param>
/// <param name="RolloutSeconds">Until the last had every byte.</param>
/// <param name="RolloutMegabytes">Bytes served for it.</param>
/// <param name="DeviceFirstRequestMilliseconds">A gateway's first 64 KiB range with its own credential: its password's PBKDF2 included.</param>
/// <param name="DeviceRangeRequestsPerSecond">Its further 64 KiB ranges, answered per second (cached password, campaign check).</param>
internal sealed record OtaServingFigures(
    double UploadMegabytes,
    double UploadSeconds,
    int WholeDownloads,
    double WholeMegabytesPerSecond,
    int RangeRequests,
    double RangeRequestsPerSecond,
    double RangeMegabytesPerSecond,
    int RolloutDevices,
    int RolloutConcurrency,
    double RolloutSeconds,
    double RolloutMegabytes,
    double DeviceFirstRequestMilliseconds,
    double DeviceRangeRequestsPerSecond);
