using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>How a failed transaction is told to the person at the terminal and to the calling script.</summary>
public static class ModbusFailure
{
    /// <summary>The exit code for a transaction that did not succeed.</summary>
    public static int ExitCode(ModbusResult result) => result.Outcome switch
    {
        ModbusOutcome.Ok => 0,
        ModbusOutcome.Exception => ModbusExitCodes.ExceptionResponse,
        ModbusOutcome.Timeout => ModbusExitCodes.Timeout,
        _ => ModbusExitCodes.LinkFailure,
    };

    /// <summary>The spec's name of an exception code (§7), or <c>unknown</c> for a code the spec does not define.</summary>
    public static string ExceptionName(ModbusExceptionCode code) =>
        Enum.IsDefined(code) && code != ModbusExceptionCode.None ? code.ToString() : "unknown";

    /// <summary>One line: what happened, with the exception code and its name when the device refused.</summary>
    public static string Describe(ModbusResult result, ModbusLink link, byte unit, string what) => result.Outcome switch
    {
        ModbusOutcome.Exception =>
            $"unit {unit} at {link} refused {what}: exception 0x{(byte)result.ExceptionCode:X2} {ExceptionName(result.ExceptionCode)}",
        ModbusOutcome.Timeout =>
            $"unit {unit} at {link} did not answer {what} within {link.Timeout.TotalMilliseconds:0} ms ({link.Retries} retries)",
        _ => $"{what} on unit {unit} at {link} failed: {result}",
    };
}
