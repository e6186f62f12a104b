using System.Globalization;

namespace CivicEdge.Simulators.Load;

/// <summary>What a load's gateways did with the fleet's OTA offers so far.</summary>
/// <param name="Offers">Offers taken up (each campaign, device and attempt once).</param>
/// <param name="Repeats">Offers received again, answered with the latest report.</param>
/// <param name="Reports">Status reports sent, repeats included.</param>
/// <param name="Downloads">Payloads downloaded in full (once per artifact per gateway).</param>
/// <param name="DownloadedBytes">Payload bytes the fleet served to the gateways.</param>
/// <param name="FedBytes">Bytes carried to devices over the modelled local links.</param>
/// <param name="Confirmed">Devices that booted the new version and confirmed it.</param>
/// <param name="RolledBack">Devices whose new image failed its boot health check and that went back to the old one.</param>
/// <param name="Failed">Offers given up before the switch (refused, download or verification failed).</param>
/// <param name="Versions">Devices by the firmware version they run.</param>
public sealed record OtaLoadFigures(
    long Offers,
    long Repeats,
    long Reports,
    long Downloads,
    long DownloadedBytes,
    long FedBytes,
    long Confirmed,
    long RolledBack,
    long Failed,
    IReadOnlyDictionary<string, int> Versions)
{
    /// <summary>One line of <c>key=value</c> pairs, as <c>civicsim load</c> prints it.</summary>
    public string ToLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"offers={Offers} repeats={Repeats} reports={Reports} downloads={Downloads} downloaded_bytes={DownloadedBytes} fed_bytes={FedBytes} confirmed={Confirmed} rolled_back={RolledBack} failed={Failed} versions={string.Join(',', Versions.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}:{v.Value}"))}");
}
