namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>What durable OTA status reports cost on one store engine.</summary>
/// <param name="Store">The engine: <c>litedb</c> or <c>postgresql</c>.</param>
/// <param name="Sources">Gateways whose reports were appended at the same time, each gateway's one after another.</param>
/// <param name="Reports">Reports taken in and applied.</param>
/// <param name="AppendsPerSecond">Reports made durable per second, with <paramref name="Sources"/> gateways at a time as the MQTT ingest's lanes do.</param>
/// <param name="AppendP99Milliseconds">The 99th percentile of one append.</param>
/// <param name="Steps">Campaign steps that applied them.</param>
/// <param name="AppliedPerSecond">Reports the leader read, applied, wrote the campaign for and deleted, per second.</param>
internal sealed record OtaStatusFigures(string Store, int Sources, int Reports, double AppendsPerSecond, double AppendP99Milliseconds, int Steps, double AppliedPerSecond);
