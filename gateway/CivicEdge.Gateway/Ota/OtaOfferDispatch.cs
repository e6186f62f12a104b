using System.Buffers;
using System.Text.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.SelfUpdate;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Gateway.Ota;

/// <summary>
/// The gateway's one subscription to its OTA topic (<see cref="Topics.Ota"/>): an offer for the gateway itself goes to
/// <see cref="SelfUpdateService"/>, an offer for any other target to the relay for the devices behind it. A broker
/// holds one handler per topic filter for a session, so two subscribers to the same topic would lose each other's
/// offers; hence this single router.
/// </summary>
public sealed partial class OtaOfferDispatch(
    string gatewayId,
    SelfUpdateService? selfUpdate,
    FieldUpdateRelay? fieldDevices,
    UplinkState uplink,
    ILogger<OtaOfferDispatch> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (selfUpdate is not null || fieldDevices is not null)
            uplink.OnConnected((session, ct) => session.SubscribeAsync(Topics.Ota(gatewayId), payload => OnOfferAsync(session, payload), ct));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task OnOfferAsync(IUplinkSession session, ReadOnlySequence<byte> payload)
    {
        OtaOffer? offer;
        try
        {
            var reader = new Utf8JsonReader(payload);
            offer = JsonSerializer.Deserialize(ref reader, OtaJson.Default.OtaOffer);
        }
        catch (JsonException ex)
        {
            LogMalformed(logger, Topics.Ota(gatewayId), ex.Message);
            return;
        }

        if (offer is null || string.IsNullOrEmpty(offer.Target))
        {
            LogMalformed(logger, Topics.Ota(gatewayId), "expected an offer naming its target, found none");
            return;
        }

        if (string.Equals(offer.Target, gatewayId, StringComparison.Ordinal))
        {
            if (selfUpdate is null)
                LogNotTaken(logger, offer.ArtifactId, offer.Target, "SelfUpdate:Enabled");
            else
                await selfUpdate.TakeOfferAsync(session, offer).ConfigureAwait(false);
            return;
        }

        if (fieldDevices is null)
        {
            LogNotTaken(logger, offer.ArtifactId, offer.Target, "DeviceUpdate:Enabled");
            return;
        }

        await fieldDevices.OfferAsync(offer, session.Closed).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An OTA offer on {Topic} was dropped: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OTA {ArtifactId} for '{Target}' not taken: {Switch} is false")]
    private static partial void LogNotTaken(ILogger logger, string artifactId, string target, string @switch);
}
