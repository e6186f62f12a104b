using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Meters;

/// <summary>What a master got from a meter: the answer, or why there is none.</summary>
public readonly struct MeterResult<T>
{
    private MeterResult(bool succeeded, T? value, string? reason, MeterFailure failure)
    {
        Succeeded = succeeded;
        Value = value;
        Reason = reason;
        Failure = failure;
    }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool Succeeded { get; }

    public T? Value { get; }

    /// <summary>Why there is no answer: no answer at all, or what was wrong with it.</summary>
    public string? Reason { get; }

    /// <summary>Why there is no answer, as a kind the gateway counts; <see cref="MeterFailure.None"/> on success.</summary>
    public MeterFailure Failure { get; }

    public static MeterResult<T> Success(T value) => new(true, value, null, MeterFailure.None);

    public static MeterResult<T> Failed(MeterFailure failure, string reason)
    {
        if (failure == MeterFailure.None)
            throw new ArgumentOutOfRangeException(nameof(failure), failure, "A failed result needs the kind of failure.");
        return new(false, default, reason, failure);
    }

    public override string ToString() => Succeeded ? $"{Value}" : $"failed: {Reason}";
}
