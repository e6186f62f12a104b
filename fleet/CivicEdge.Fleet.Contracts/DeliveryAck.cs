namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// The fleet's answer to a <see cref="TelemetryBatch"/>, published on <see cref="Topics.Ack"/> after the outcome is
/// durable. A broker PUBACK only says the broker has the message; this says the fleet has the records.
/// </summary>
/// <param name="Stream">The stream of the batch.</param>
/// <param name="FirstSeq">The first sequence number of the batch.</param>
/// <param name="LastSeq">The last sequence number of the batch.</param>
/// <param name="Status">Persisted or rejected.</param>
/// <param name="Stored">How many records were stored now.</param>
/// <param name="Duplicates">How many records were already stored and were skipped.</param>
/// <param name="Reason">Why a batch was rejected; null when persisted.</param>
public sealed record DeliveryAck(
    string Stream,
    long FirstSeq,
    long LastSeq,
    AckStatus Status,
    int Stored,
    int Duplicates,
    string? Reason = null);
