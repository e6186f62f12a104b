using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus.Interop.Tests.Peers;

/// <summary>
/// The unit our slave serves to the independent masters: holding registers 0..9 hold 1000..1009, input registers
/// 0..9 hold 2000..2009, and any range reaching address 100 or beyond is refused with exception 02.
/// </summary>
internal static class ServedUnit
{
    public const byte Unit = 7;
    public const byte AbsentUnit = 9;
    public const ushort FirstRefusedAddress = 100;

    public static ushort[] Holding { get; } = [.. Enumerable.Range(1000, 10).Select(v => (ushort)v)];

    public static ushort[] Input { get; } = [.. Enumerable.Range(2000, 10).Select(v => (ushort)v)];

    public static RegisterBank CreateBank()
    {
        var bank = new RegisterBank();
        bank.Write(RegisterTable.HoldingRegisters, 0, Holding);
        bank.Write(RegisterTable.InputRegisters, 0, Input);
        bank.ReadGuard = Refuse;
        bank.WriteGuard = Refuse;
        return bank;
    }

    private static ModbusExceptionCode Refuse(RegisterTable table, ushort address, int count) =>
        address + count > FirstRefusedAddress ? ModbusExceptionCode.IllegalDataAddress : ModbusExceptionCode.None;
}
