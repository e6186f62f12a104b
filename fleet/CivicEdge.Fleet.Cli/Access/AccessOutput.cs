using System.Globalization;
using CivicEdge.Fleet.Contracts.Access;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Access;

/// <summary>Tables for people: who I am, the API keys, the audit log.</summary>
public static class AccessOutput
{
    public static void WriteMe(IAnsiConsole console, CallerInfo me)
    {
        console.MarkupLineInterpolated($"[bold]{me.Name}[/]  role {AccessNames.Of(me.Role)}, tenants {Tenants(me.AllTenants, me.Tenants)}, by {me.Method}");
        console.MarkupLineInterpolated($"may: {string.Join(", ", me.Permissions.Select(AccessNames.Of))}");
    }

    public static void WriteKeys(IAnsiConsole console, IReadOnlyList<ApiKeyInfo> keys)
    {
        if (keys.Count == 0)
        {
            console.MarkupLine("[grey]No API keys within your tenants.[/]");
            return;
        }

        var table = new Table().AddColumns("Id", "Name", "Role", "Tenants", "Created (UTC)", "By", "Expires (UTC)", "Last used (UTC)", "State");
        foreach (var key in keys)
        {
            var state = key.RevokedAt is { } revoked ? $"[red]revoked {Time(revoked)}[/]"
                : key.ExpiresAt is { } expires && expires <= DateTimeOffset.UtcNow ? "[yellow]expired[/]"
                : "[green]active[/]";
            table.AddRow(
                Markup.Escape(key.Id),
                Markup.Escape(key.Name),
                AccessNames.Of(key.Role),
                Markup.Escape(Tenants(key.AllTenants, key.Tenants)),
                Time(key.CreatedAt),
                Markup.Escape(key.CreatedBy),
                key.ExpiresAt is { } at ? Time(at) : "never",
                key.LastUsedAt is { } used ? Time(used) : "never",
                state);
        }

        console.Write(table);
    }

    public static void WriteIssued(IAnsiConsole console, IssuedApiKey issued)
    {
        var info = issued.Info;
        console.MarkupLineInterpolated(
            $"API key [bold]{info.Id}[/] for '{info.Name}': {AccessNames.Of(info.Role)} of {Tenants(info.AllTenants, info.Tenants)}, {(info.ExpiresAt is { } at ? $"expires {Time(at)} UTC" : "no expiry")}.");
        console.MarkupLine("[yellow]It is shown this once; the fleet keeps only its hash. Hand it over now:[/]");
        console.Profile.Out.Writer.WriteLine(issued.Key);
    }

    public static void WriteAudit(IAnsiConsole console, IReadOnlyList<AuditEntry> entries)
    {
        if (entries.Count == 0)
        {
            console.MarkupLine("[grey]No audit entries match.[/]");
            return;
        }

        var table = new Table().AddColumns("#", "At (UTC)", "Actor", "Role", "Action", "Target", "Tenant", "Outcome", "From", "Detail");
        table.Columns[0].RightAligned();
        foreach (var entry in entries)
        {
            table.AddRow(
                entry.Sequence.ToString(CultureInfo.InvariantCulture),
                Time(entry.Time),
                Markup.Escape(entry.Actor),
                entry.Role is { } role ? AccessNames.Of(role) : "-",
                Markup.Escape(entry.Action),
                Markup.Escape(entry.Target ?? "-"),
                Markup.Escape(entry.Tenant ?? "-"),
                entry.Outcome switch
                {
                    AuditOutcome.Succeeded => "[green]succeeded[/]",
                    AuditOutcome.Failed => "[yellow]failed[/]",
                    _ => "[red]denied[/]",
                },
                Markup.Escape(entry.SourceIp ?? "-"),
                Markup.Escape(entry.Detail ?? ""));
        }

        console.Write(table);
    }

    private static string Tenants(bool all, IReadOnlyList<string> tenants) => all ? "the whole city" : string.Join(", ", tenants);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
