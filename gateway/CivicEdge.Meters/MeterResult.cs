using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Meters;

/// <summary>What a master got from a meter: the answer, or why there is none.</summary>
public readonly struct MeterResult<T>
{
    private MeterResult(bool succeeded, T? value, string? reason)
    {
        Succeeded = succeeded;
        Value = value;
        Reason = reason;
    }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool Succeeded { get; }

    public T? Value { get; }

    /// <summary>Why there is no answer: no answer at all, or what was wrong with it.</summary>
    public string? Reason { get; }

    public static MeterResult<T> Success(T value) => new(true, value, null);

    public static MeterResult<T> Failure(string reason) => new(false, default, reason);

    public override string ToString() => Succeeded ? $"{Value}" : $"failed: {Reason}";
}
