namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>One build of civicedge-gateway that the load scenario measures.</summary>
/// <param name="Name">How the summary names it.</param>
/// <param name="Executable">Its executable, or its <c>.dll</c> for the framework-dependent build (run through <c>dotnet</c>).</param>
internal sealed record GatewayBuild(string Name, string Executable);
