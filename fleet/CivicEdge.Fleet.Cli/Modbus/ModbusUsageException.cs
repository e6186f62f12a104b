namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>An argument of <c>civic modbus</c> has a bad value; the message says what was expected and what was found.</summary>
public sealed class ModbusUsageException : ArgumentException
{
    public ModbusUsageException(string message)
        : base(message)
    {
    }

    public ModbusUsageException()
    {
    }

    public ModbusUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
