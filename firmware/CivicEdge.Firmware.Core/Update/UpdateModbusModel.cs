using System;
using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.Core.Update;

/// <summary>
/// Serves an <see cref="UpdateReceiver"/> on the device's Modbus slave, in front of the application's own data model:
/// a block of holding registers for the manifest, the commands and the status, and the staged image as file records
/// for functions 20 and 21. Every other address goes to the application. The map is in firmware/README.md and
/// hardware/ota/modbus-update.md.
/// </summary>
/// <remarks>
/// Offsets within the block (holding registers, 32-bit values high word first, text ASCII padded with NUL):
/// 0 command (write: 1 start, 2 install, 3 abort; reads 0); 1 state; 2 last error; 3–4 next offset needed;
/// 5–6 image size; 7–22 SHA-256; 23–30 target version; 31–38 running version; 39 records per file; 40 longest chunk.
/// Image byte <c>offset</c> is record <c>(offset mod 20000) / 2</c> of file <c>1 + offset / 20000</c>.
/// </remarks>
public sealed class UpdateModbusModel : IModbusDataModel, IModbusFileRecords
{
    /// <summary>Where the block starts unless configured otherwise: high in the map, clear of every profile's registers.</summary>
    public const int DefaultBaseAddress = 0xFF00;

    /// <summary>Registers in the block.</summary>
    public const int BlockLength = 41;

    /// <summary>Records (registers) per file: the most a record number reaches (§6.14, 0x270F) plus one.</summary>
    public const int RecordsPerFile = 10000;

    /// <summary>Image bytes per file.</summary>
    public const int BytesPerFile = 2 * RecordsPerFile;

    /// <summary>The longest chunk one function 21 request carries: 253-byte PDU less the function, length and sub-request header.</summary>
    public const int MaxChunkBytes = 240;

    /// <summary>Command: open the update the manifest registers describe.</summary>
    public const int StartCommand = 1;

    /// <summary>Command: boot the verified image.</summary>
    public const int InstallCommand = 2;

    /// <summary>Command: drop the update in progress.</summary>
    public const int AbortCommand = 3;

    private const int Command = 0;
    private const int StateRegister = 1;
    private const int ErrorRegister = 2;
    private const int NextOffsetRegister = 3;
    private const int SizeRegister = 5;
    private const int HashRegister = 7;
    private const int TargetVersionRegister = 23;
    private const int RunningVersionRegister = 31;
    private const int RecordsPerFileRegister = 39;
    private const int MaxChunkRegister = 40;
    private const int VersionRegisters = 8;

    private readonly UpdateReceiver _receiver;
    private readonly IModbusDataModel _application;
    private readonly int _base;
    private readonly ushort[] _manifest = new ushort[TargetVersionRegister + VersionRegisters];
    private readonly byte[] _hash = new byte[Sha256.DigestLength];
    private readonly byte[] _versionBytes = new byte[2 * VersionRegisters];

    /// <param name="receiver">The update receiver served.</param>
    /// <param name="application">The application's own registers, served at every other address.</param>
    /// <param name="baseAddress">The first register of the block.</param>
    public UpdateModbusModel(UpdateReceiver receiver, IModbusDataModel application, int baseAddress)
    {
        if (receiver == null)
        {
            throw new ArgumentNullException(nameof(receiver));
        }

        if (application == null)
        {
            throw new ArgumentNullException(nameof(application));
        }

        if (baseAddress < 0 || baseAddress + BlockLength > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(baseAddress), "The update block needs " + BlockLength + " registers below 65536; found a base of " + baseAddress + ".");
        }

        _receiver = receiver;
        _application = application;
        _base = baseAddress;
    }

    public ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into) => _application.ReadBits(coils, address, count, into);

    public ModbusExceptionCode WriteCoil(int address, bool value) => _application.WriteCoil(address, value);

    public ModbusExceptionCode ReadRegisters(bool holding, int address, int count, ushort[] into)
    {
        if (!holding || !Overlaps(address, count))
        {
            return _application.ReadRegisters(holding, address, count, into);
        }

        if (address < _base || address + count > _base + BlockLength)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        for (int i = 0; i < count; i++)
        {
            into[i] = Register(address - _base + i);
        }

        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteRegister(int address, ushort value)
    {
        if (address < _base || address >= _base + BlockLength)
        {
            return _application.WriteRegister(address, value);
        }

        int offset = address - _base;
        if (offset == Command)
        {
            return RunCommand(value);
        }

        if (offset >= SizeRegister && offset < TargetVersionRegister + VersionRegisters)
        {
            _manifest[offset] = value;
            return ModbusExceptionCode.None;
        }

        // Status registers are the device's to say.
        return ModbusExceptionCode.IllegalDataAddress;
    }

    public ModbusExceptionCode ReadRecords(int file, int record, int records, byte[] into, int index)
    {
        UpdateError error = _receiver.ReadChunk(ImageOffset(file, record), into, index, 2 * records);
        return error == UpdateError.None ? ModbusExceptionCode.None : ModbusExceptionCode.IllegalDataAddress;
    }

    public ModbusExceptionCode WriteRecords(int file, int record, int records, byte[] data, int index)
    {
        UpdateError error = _receiver.WriteChunk(ImageOffset(file, record), data, index, 2 * records);
        if (error == UpdateError.None)
        {
            return ModbusExceptionCode.None;
        }

        // §7: an address the device cannot take now is 02; a transfer it is not in is 04, and the error register says why.
        return error == UpdateError.OffsetOutOfRange ? ModbusExceptionCode.IllegalDataAddress : ModbusExceptionCode.ServerDeviceFailure;
    }

    private static int ImageOffset(int file, int record) => ((file - 1) * BytesPerFile) + (2 * record);

    private bool Overlaps(int address, int count) => address < _base + BlockLength && address + count > _base;

    private ModbusExceptionCode RunCommand(int command)
    {
        UpdateError error;
        switch (command)
        {
            case StartCommand:
                for (int i = 0; i < 16; i++)
                {
                    _hash[2 * i] = (byte)(_manifest[HashRegister + i] >> 8);
                    _hash[(2 * i) + 1] = (byte)_manifest[HashRegister + i];
                }

                int size = (_manifest[SizeRegister] << 16) | _manifest[SizeRegister + 1];
                error = _receiver.Start(ManifestVersion(), size, _hash);
                break;
            case InstallCommand:
                error = _receiver.Install();
                break;
            case AbortCommand:
                error = _receiver.Abort();
                break;
            default:
                return ModbusExceptionCode.IllegalDataValue;
        }

        // The command was taken; whether it succeeded is in the state and error registers, which the sender reads.
        return error == UpdateError.None || error == UpdateError.WrongState || error == UpdateError.BadVersion || error == UpdateError.ImageTooLarge
            ? ModbusExceptionCode.None
            : ModbusExceptionCode.ServerDeviceFailure;
    }

    private string ManifestVersion()
    {
        int length = 0;
        for (int i = 0; i < VersionRegisters; i++)
        {
            _versionBytes[2 * i] = (byte)(_manifest[TargetVersionRegister + i] >> 8);
            _versionBytes[(2 * i) + 1] = (byte)_manifest[TargetVersionRegister + i];
        }

        while (length < _versionBytes.Length && _versionBytes[length] != 0)
        {
            length++;
        }

        char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)_versionBytes[i];
        }

        return new string(chars);
    }

    private ushort Register(int offset)
    {
        switch (offset)
        {
            case Command: return 0;
            case StateRegister: return (ushort)_receiver.State;
            case ErrorRegister: return (ushort)_receiver.LastError;
            case NextOffsetRegister: return (ushort)(_receiver.NextOffset >> 16);
            case NextOffsetRegister + 1: return (ushort)_receiver.NextOffset;
            case RecordsPerFileRegister: return RecordsPerFile;
            case MaxChunkRegister: return MaxChunkBytes;
        }

        if (offset >= RunningVersionRegister)
        {
            return TextRegister(_receiver.RunningVersion, offset - RunningVersionRegister);
        }

        if (offset >= TargetVersionRegister && _receiver.State != UpdateState.Idle)
        {
            return TextRegister(_receiver.TargetVersion, offset - TargetVersionRegister);
        }

        return _manifest[offset];
    }

    private static ushort TextRegister(string text, int index)
    {
        int high = 2 * index < text.Length ? text[2 * index] : 0;
        int low = (2 * index) + 1 < text.Length ? text[(2 * index) + 1] : 0;
        return (ushort)((high << 8) | low);
    }
}
