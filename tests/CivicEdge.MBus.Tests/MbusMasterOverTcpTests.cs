using System.Net;
using System.Net.Sockets;
using CivicEdge.Protocols.MBus;

namespace CivicEdge.MBus.Tests;

/// <summary>
/// The master through a real TCP connection to a transparent M-Bus converter on an OS-chosen port, with an Engelmann
/// WaterStar (a telegram from a real meter, primary address 11) behind it. The converter passes the answer on in
/// pieces, as one on a 2400 Bd line does.
/// </summary>
[Category("Integration")]
public sealed class MbusMasterOverTcpTests
{
    private static readonly byte[] WaterStar = Convert.FromHexString(
        "6851516808" + "0B72540299" + "04C5140006" + "0C27000004" + "782E254C00" + "046D0A0CCD" + "1304134C01" + "000044134B" +
        "0100008401" + "134C010000" + "426CBF1C02" + "6CDF1C043B" + "0000000014" + "3B16080000" + "0223A70401" + "FD17000490" +
        "2808000000" + "3F16");

    [Test]
    public async Task A_meter_behind_a_tcp_converter_is_reset_and_read()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var converter = ServeAsync(listener, stop.Token);
        var options = new MbusMasterOptions { ResponseTimeout = TimeSpan.FromSeconds(5), Retries = 0 };

        try
        {
            await using var master = MbusMaster.OverTcp("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, options);
            Assert.That(await master.SendNkeAsync(11, stop.Token), Is.EqualTo(MbusOutcome.Ok));
            var result = await master.ReadAsync(11, stop.Token);

            Assert.That(result.Outcome, Is.EqualTo(MbusOutcome.Ok), result.Error);
            var telegram = result.Telegrams.Single();
            Assert.That(telegram.Header!.Identification, Is.EqualTo(4990254));
            Assert.That(telegram.Header.Manufacturer, Is.EqualTo("EFE"));
            var volume = telegram.Records.First(r => r.Quantity == "Volume");
            Assert.That(volume.Value, Is.EqualTo(0.332).Within(1e-12));
            Assert.That(volume.Unit, Is.EqualTo("m^3"));
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await converter;
        }
    }

    private static async Task ServeAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            using var client = await listener.AcceptTcpClientAsync(cancellationToken);
            var stream = client.GetStream();
            var buffer = new byte[MbusFramer.MaxFrameLength];
            int count = 0;
            while (true)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(count), cancellationToken);
                if (read == 0)
                    return;
                count += read;
                var frame = MbusFramer.Decode(buffer.AsSpan(0, count));
                if (frame.Status == MbusDecodeStatus.NeedMoreData)
                    continue;
                count = 0;
                if (frame.Status != MbusDecodeStatus.Complete || frame.Address != 11)
                    continue;
                if (frame.Control == MbusFramer.SendNke)
                {
                    await stream.WriteAsync(new byte[] { MbusFramer.Acknowledge }, cancellationToken);
                }
                else if ((frame.Control & 0xDF) == MbusFramer.RequestUserData2)
                {
                    await stream.WriteAsync(WaterStar.AsMemory(0, 30), cancellationToken);
                    await Task.Delay(20, cancellationToken);
                    await stream.WriteAsync(WaterStar.AsMemory(30), cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }
}
