using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>
/// One line of a <see cref="FaultPlan"/>: which fault, for which unit, how likely per request and how many times.
/// </summary>
public sealed record ModbusFaultRule
{
    /// <summary>Garbage bytes sent before an answer unless a rule says otherwise.</summary>
    public const int DefaultGarbageLength = 4;

    /// <summary>What goes wrong.</summary>
    public required ModbusFaultKind Kind { get; init; }

    /// <summary>The unit whose requests it hits; null hits every unit.</summary>
    public byte? Unit { get; init; }

    /// <summary>The chance, 0..1, that one request of the unit meets this fault.</summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>How many requests it hits at most before it retires; null never retires.</summary>
    public int? Count { get; init; }

    /// <summary>How late a <see cref="ModbusFaultKind.LateAnswer"/> is.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The exception code of a <see cref="ModbusFaultKind.Exception"/>.</summary>
    public ModbusExceptionCode ExceptionCode { get; init; } = ModbusExceptionCode.ServerDeviceBusy;

    /// <summary>How many random bytes a <see cref="ModbusFaultKind.Garbage"/> sends.</summary>
    public int GarbageLength { get; init; } = DefaultGarbageLength;

    /// <summary>Checks the values for range; a plan refuses a rule that fails.</summary>
    /// <exception cref="ArgumentException">A value is out of its range; the message names the field.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentException($"Fault kind: expected one of {string.Join(", ", Enum.GetNames<ModbusFaultKind>())}; found {(int)Kind}.", nameof(Kind));
        if (Probability is < 0 or > 1 || double.IsNaN(Probability))
            throw new ArgumentException($"Fault {Kind}: expected a probability of 0..1; found {Probability}.", nameof(Probability));
        if (Count is < 1)
            throw new ArgumentException($"Fault {Kind}: expected a count of at least 1 (or none for no limit); found {Count}.", nameof(Count));
        if (Delay < TimeSpan.Zero)
            throw new ArgumentException($"Fault {Kind}: expected a delay of zero or more; found {Delay}.", nameof(Delay));
        if (Kind == ModbusFaultKind.Exception && (ExceptionCode == ModbusExceptionCode.None || (byte)ExceptionCode >= ModbusPdu.ExceptionFlag))
            throw new ArgumentException($"Fault {Kind}: expected an exception code of 1..127; found {(byte)ExceptionCode}.", nameof(ExceptionCode));
        if (GarbageLength is < 1 or > ModbusPdu.MaxLength)
            throw new ArgumentException($"Fault {Kind}: expected 1..{ModbusPdu.MaxLength} garbage bytes; found {GarbageLength}.", nameof(GarbageLength));
    }

    public override string ToString()
    {
        var argument = Kind switch
        {
            ModbusFaultKind.LateAnswer => $" {Delay.TotalMilliseconds:0} ms",
            ModbusFaultKind.Exception => $" {ExceptionCode}",
            ModbusFaultKind.Garbage => $" {GarbageLength} bytes",
            _ => "",
        };
        var limit = Count is { } count ? $", {count} times at most" : "";
        var unit = Unit is { } id ? $" on unit {id}" : "";
        return $"{Kind}{argument}{unit} with probability {Probability}{limit}";
    }
}
