namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>The outcome of a check: valid, or the failure with a message saying what was expected and what was found.</summary>
public sealed record OtaVerification(OtaVerificationFailure? Failure, string? Message)
{
    public static OtaVerification Valid { get; } = new(null, null);

    public bool IsValid => Failure is null;

    public static OtaVerification Refused(OtaVerificationFailure failure, string message) => new(failure, message);

    public override string ToString() => IsValid ? "valid" : $"{Failure}: {Message}";
}
