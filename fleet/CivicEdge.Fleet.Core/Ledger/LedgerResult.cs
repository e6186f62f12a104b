using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Fleet.Core.Ledger;

/// <summary>What the ledger did: a value, or why it refused.</summary>
public sealed class LedgerResult<T>
    where T : class
{
    private LedgerResult(T? value, LedgerFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public LedgerFailure? Failure { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public static LedgerResult<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static LedgerResult<T> Fail(LedgerFailure failure) => new(null, failure ?? throw new ArgumentNullException(nameof(failure)));

    public static implicit operator LedgerResult<T>(LedgerFailure failure) => Fail(failure);
}
