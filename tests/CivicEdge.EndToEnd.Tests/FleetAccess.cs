using System.Net.Http.Headers;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>The admin key the tests' fleets start with (as an operator gives one through configuration), and how a client sends it.</summary>
internal static class FleetAccess
{
    public const string AdminKey = "ce_e2eadmin01_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    /// <summary>The fleet's command-line switch that makes <see cref="AdminKey"/> its bootstrap admin key.</summary>
    public const string BootstrapKeySwitch = $"--Fleet:Access:BootstrapKey={AdminKey}";

    public static HttpClient Authorized(HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }
}
