using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>The outcome of one master transaction. Failure is normal on a field bus, so it is a value, not an exception.</summary>
/// <param name="Outcome">How the transaction ended.</param>
/// <param name="ExceptionCode">The slave's exception code when <paramref name="Outcome"/> is <see cref="ModbusOutcome.Exception"/>.</param>
/// <param name="Detail">A human-readable explanation for anything but <see cref="ModbusOutcome.Ok"/>.</param>
public readonly record struct ModbusResult(ModbusOutcome Outcome, ModbusExceptionCode ExceptionCode = ModbusExceptionCode.None, string? Detail = null)
{
    public static ModbusResult Ok => new(ModbusOutcome.Ok);

    public bool IsOk => Outcome == ModbusOutcome.Ok;

    public override string ToString() => Outcome switch
    {
        ModbusOutcome.Ok => "ok",
        ModbusOutcome.Exception => $"exception {(byte)ExceptionCode:X2} ({ExceptionCode})",
        _ => Detail is null ? Outcome.ToString() : $"{Outcome}: {Detail}",
    };
}
