using BenchmarkDotNet.Attributes;
using CivicEdge.Protocols.MBus;

namespace CivicEdge.Benchmarks;

/// <summary>
/// The pure M-Bus codec path of one readout: frame a long RSP_UD telegram and decode its application layer. The
/// telegram is a real heat meter's (Elster F2, from the sample set in tests/CivicEdge.Protocols.MBus.Tests/testdata/mbus: 14 records of
/// energy, volume, power, temperatures, dates and manufacturer data).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class MbusCodecBenchmarks
{
    private readonly byte[] _telegram = Convert.FromHexString(
        "6890906808017257268000CD4E08044600000004069814000004146BD6010084401479660100025B1C00025F22000262" +
        "00000422B1A100000426B1A10000043B00000000042C00000000046D0C0CBD1684406E000000008480406E000000001F" +
        "C409010112000101010757268000CD4E080407A3FF035726800004040D02FF0F053CFF62E762960A890A020015401701" +
        "00006342DE16");

    [Benchmark(Description = "frame + decode RSP_UD (heat meter, 14 records)")]
    public int FrameAndDecode()
    {
        var frame = MbusFramer.Decode(_telegram);
        return MbusApplicationDecoder.Decode(frame.ApplicationData(_telegram)).Records.Count;
    }
}
