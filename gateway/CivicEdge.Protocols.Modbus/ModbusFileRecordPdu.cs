using System.Buffers.Binary;

namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// Read File Record (function code 20) and Write File Record (function code 21) with one sub-request each (Modbus
/// Application Protocol V1.1b3 §6.14, §6.15): records are 16-bit registers of a file, files 1..65535, records 0..9999.
/// A master carries an update image, a log or a configuration blob this way, up to <see cref="MaxWriteBytes"/> bytes
/// per request.
/// </summary>
public static class ModbusFileRecordPdu
{
    /// <summary>The reference type every sub-request carries (§6.14).</summary>
    public const byte ReferenceType = 6;

    /// <summary>The highest record number of a file (§6.14: 0x0000..0x270F).</summary>
    public const int MaxRecordNumber = 0x270F;

    /// <summary>Most bytes one write carries: a 253-byte PDU less function, data length and the 7-byte sub-request head, in whole records.</summary>
    public const int MaxWriteBytes = 244;

    /// <summary>Most bytes one read returns: a 253-byte PDU less function, data length, and the sub-response's length and reference type.</summary>
    public const int MaxReadBytes = 248;

    /// <summary>The whole read request with one sub-request.</summary>
    public const int ReadRequestLength = 9;

    /// <summary>Encodes a read of <paramref name="records"/> records of <paramref name="file"/> from <paramref name="record"/> on (function code 20).</summary>
    /// <returns>The number of bytes written.</returns>
    public static int EncodeReadRequest(Span<byte> destination, ushort file, ushort record, int records)
    {
        CheckReference(file, record, records, MaxReadBytes / 2);
        EnsureRoom(destination, ReadRequestLength);

        // §6.14: [0] function 0x14  [1] byte count 0x07  [2] reference type 6  [3..4] file number  [5..6] record number
        //        [7..8] record length in registers
        destination[0] = (byte)ModbusFunctionCode.ReadFileRecord;
        destination[1] = 7;
        destination[2] = ReferenceType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], file);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], record);
        BinaryPrimitives.WriteUInt16BigEndian(destination[7..], (ushort)records);
        return ReadRequestLength;
    }

    /// <summary>Encodes a write of <paramref name="data"/> (an even number of bytes, 2..244) into <paramref name="file"/> from <paramref name="record"/> on (function code 21).</summary>
    public static int EncodeWriteRequest(Span<byte> destination, ushort file, ushort record, ReadOnlySpan<byte> data)
    {
        if (data.Length % 2 != 0)
            throw new ArgumentException($"File records are 16-bit registers: the data needs an even number of bytes; found {data.Length}.", nameof(data));
        CheckReference(file, record, data.Length / 2, MaxWriteBytes / 2);
        int length = 9 + data.Length;
        EnsureRoom(destination, length);

        // §6.15: [0] function 0x15  [1] request data length = 7 + 2 x N  [2] reference type 6  [3..4] file number
        //        [5..6] record number  [7..8] record length N  [9..] the records, high byte first
        destination[0] = (byte)ModbusFunctionCode.WriteFileRecord;
        destination[1] = (byte)(7 + data.Length);
        destination[2] = ReferenceType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], file);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], record);
        BinaryPrimitives.WriteUInt16BigEndian(destination[7..], (ushort)(data.Length / 2));
        data.CopyTo(destination[9..]);
        return length;
    }

    /// <summary>Decodes the answer to a read of <c>destination.Length / 2</c> records and copies them into <paramref name="destination"/>.</summary>
    public static ModbusResponse DecodeReadResponse(ReadOnlySpan<byte> pdu, Span<byte> destination)
    {
        if (!TryDecodeHead(pdu, ModbusFunctionCode.ReadFileRecord, out var head))
            return head;

        // §6.14: [0] function 0x14  [1] response data length  [2] file response length = 1 + 2 x N  [3] reference type 6
        //        [4..] the records
        int expected = 2 + destination.Length;
        if (pdu.Length < 2)
            return ModbusResponse.NeedMoreData(2);
        if (pdu[1] != expected)
            return ModbusResponse.Malformed($"expected a response data length of {expected} for {destination.Length / 2} records, found {pdu[1]}", 1);
        if (pdu.Length < 2 + expected)
            return ModbusResponse.NeedMoreData(2 + expected);
        if (pdu[2] != 1 + destination.Length)
            return ModbusResponse.Malformed($"expected a file response length of {1 + destination.Length}, found {pdu[2]}", 2);
        if (pdu[3] != ReferenceType)
            return ModbusResponse.Malformed($"expected reference type 6, found {pdu[3]}", 3);
        pdu.Slice(4, destination.Length).CopyTo(destination);
        return ModbusResponse.Complete(2 + expected);
    }

    /// <summary>Decodes the answer to a write, which echoes the request (§6.15): any difference from <paramref name="request"/> is malformed.</summary>
    public static ModbusResponse DecodeWriteResponse(ReadOnlySpan<byte> pdu, ReadOnlySpan<byte> request)
    {
        if (!TryDecodeHead(pdu, ModbusFunctionCode.WriteFileRecord, out var head))
            return head;
        if (pdu.Length < request.Length)
            return ModbusResponse.NeedMoreData(request.Length);
        for (int i = 1; i < request.Length; i++)
        {
            if (pdu[i] != request[i])
                return ModbusResponse.Malformed($"expected the echo of the request, found 0x{pdu[i]:X2} where it sent 0x{request[i]:X2}", i);
        }

        return ModbusResponse.Complete(request.Length);
    }

    private static bool TryDecodeHead(ReadOnlySpan<byte> pdu, ModbusFunctionCode function, out ModbusResponse result)
    {
        result = default;
        if (pdu.IsEmpty)
        {
            result = ModbusResponse.NeedMoreData(1);
            return false;
        }

        if (pdu[0] == (byte)function)
            return true;
        var exceptionFunction = (byte)((byte)function | ModbusPdu.ExceptionFlag);
        if (pdu[0] != exceptionFunction)
            result = ModbusResponse.Malformed($"expected function code 0x{(byte)function:X2} or its exception 0x{exceptionFunction:X2}, found 0x{pdu[0]:X2}", 0);
        else if (pdu.Length < 2)
            result = ModbusResponse.NeedMoreData(2);
        else if (pdu[1] == 0)
            result = ModbusResponse.Malformed("expected a non-zero exception code, found 0", 1);
        else
            result = ModbusResponse.Exception((ModbusExceptionCode)pdu[1]);
        return false;
    }

    private static void CheckReference(ushort file, ushort record, int records, int maxRecords)
    {
        if (file == 0)
            throw new ArgumentOutOfRangeException(nameof(file), file, "File numbers are 1..65535 (§6.14).");
        if (records < 1 || records > maxRecords)
            throw new ArgumentOutOfRangeException(nameof(records), records, $"One request carries 1..{maxRecords} records.");
        if (record + records - 1 > MaxRecordNumber)
            throw new ArgumentOutOfRangeException(nameof(record), record, $"Records {record}..{record + records - 1} pass the last record number of a file, {MaxRecordNumber} (§6.14).");
    }

    private static void EnsureRoom(Span<byte> destination, int length)
    {
        if (destination.Length < length)
            throw new ArgumentException($"The PDU needs {length} bytes; the buffer has {destination.Length}.", nameof(destination));
    }
}
