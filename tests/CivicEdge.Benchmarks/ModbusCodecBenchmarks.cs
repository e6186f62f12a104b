using BenchmarkDotNet.Attributes;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Benchmarks;

/// <summary>The pure codec path of one Modbus TCP poll: encode the request ADU, frame and decode the response.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ModbusCodecBenchmarks
{
    private readonly byte[] _request = new byte[MbapHeader.MaxAduLength];
    private readonly byte[] _response = BuildResponse();
    private readonly ushort[] _registers = new ushort[10];

    [Benchmark(Description = "encode FC3 request ADU (10 registers)")]
    public int EncodeRequest()
    {
        var pduLength = ModbusRequestPdu.EncodeReadRegisters(_request.AsSpan(MbapHeader.Size), ModbusFunctionCode.ReadHoldingRegisters, 100, 10);
        return ModbusTcpFramer.WriteHeader(_request, 1, 1, pduLength);
    }

    [Benchmark(Description = "frame + decode FC3 response (10 registers)")]
    public ModbusDecodeStatus DecodeResponse()
    {
        var frame = ModbusTcpFramer.Frame(_response);
        return ModbusResponsePdu.DecodeReadRegisters(frame.Pdu(_response), ModbusFunctionCode.ReadHoldingRegisters, _registers).Status;
    }

    [Benchmark(Description = "decode float32 CDAB")]
    public double DecodeFloat() => RegisterValueCodec.Decode(_registers, RegisterDataType.Float32, RegisterOrder.CDAB);

    private static byte[] BuildResponse()
    {
        var adu = new byte[MbapHeader.Size + 2 + 20];
        ushort[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var pduLength = ModbusResponsePdu.EncodeReadRegisters(adu.AsSpan(MbapHeader.Size), ModbusFunctionCode.ReadHoldingRegisters, values);
        ModbusTcpFramer.WriteHeader(adu, 1, 1, pduLength);
        return adu;
    }
}
