using System.CommandLine;
using CivicEdge.Fleet.Contracts.Access;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Access;

/// <summary><c>civic whoami</c>, <c>civic keys list|create|revoke</c> and <c>civic audit</c>.</summary>
public static class AccessCommands
{
    /// <param name="console">Where output goes.</param>
    /// <param name="json">The <c>--json</c> option.</param>
    /// <param name="client">The fleet's API for a parsed command line.</param>
    /// <param name="run">Runs an action, turning fleet failures into a message and an exit code.</param>
    /// <param name="timeProvider">The clock <c>--days</c> counts from.</param>
    public static IEnumerable<Command> Build(
        IAnsiConsole console,
        Option<bool> json,
        Func<ParseResult, FleetApiClient> client,
        Func<Func<Task>, Task<int>> run,
        TimeProvider timeProvider)
    {
        var whoami = new Command("whoami", "Who the fleet takes you for: name, role, tenants and what you may do");
        whoami.SetAction((parse, ct) => run(async () =>
        {
            var me = await client(parse).GetMeAsync(ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, me, AccessJson.Default.CallerInfo);
            else
                AccessOutput.WriteMe(console, me);
        }));
        yield return whoami;
        yield return Keys(console, json, client, run, timeProvider);
        yield return Audit(console, json, client, run);
    }

    private static Command Keys(
        IAnsiConsole console, Option<bool> json, Func<ParseResult, FleetApiClient> client, Func<Func<Task>, Task<int>> run, TimeProvider timeProvider)
    {
        var keys = new Command("keys", "People's API keys (admins)");

        var list = new Command("list", "Every key within your tenants, revoked ones included; never a secret");
        list.SetAction((parse, ct) => run(async () =>
        {
            var items = await client(parse).ListKeysAsync(ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, items, AccessJson.Default.IReadOnlyListApiKeyInfo);
            else
                AccessOutput.WriteKeys(console, items);
        }));

        var name = new Argument<string>("name") { Description = "Who or what will hold the key, e.g. 'water dispatch'" };
        var role = new Option<FleetRole>("--role") { Description = "admin, operator, installer or regulator", Required = true };
        var tenant = new Option<string[]>("--tenant") { Description = "A tenant the key acts for; repeat for several", AllowMultipleArgumentsPerToken = false };
        var allTenants = new Option<bool>("--all-tenants") { Description = "The whole city (only a city-wide admin may give it)" };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When the key stops working (ISO 8601)" };
        var days = new Option<int?>("--days") { Description = "Days until the key stops working" };
        var create = new Command("create", "Make a key; it is printed this once") { name, role, tenant, allTenants, expires, days };
        create.Validators.Add(result =>
        {
            var tenants = result.GetValue(tenant) ?? [];
            if (result.GetValue(allTenants) == (tenants.Length > 0))
                result.AddError("keys create: expected either --tenant (one or more) or --all-tenants.");
            if (result.GetValue(expires) is not null && result.GetValue(days) is not null)
                result.AddError("keys create: expected --expires or --days, not both.");
            if (result.GetValue(days) is <= 0)
                result.AddError("--days: expected a positive number of days.");
        });
        create.SetAction((parse, ct) => run(async () =>
        {
            var expiry = parse.GetValue(expires) ?? (parse.GetValue(days) is { } n ? timeProvider.GetUtcNow().AddDays(n) : null);
            var request = new NewApiKey(parse.GetValue(name)!, parse.GetValue(role), parse.GetValue(tenant) ?? [], parse.GetValue(allTenants), expiry);
            var issued = await client(parse).CreateKeyAsync(request, ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, issued, AccessJson.Default.IssuedApiKey);
            else
                AccessOutput.WriteIssued(console, issued);
        }));

        var id = new Argument<string>("id") { Description = "The key's id: the part after 'ce_' and before the next '_'" };
        var revoke = new Command("revoke", "Revoke a key for good") { id };
        revoke.SetAction((parse, ct) => run(async () =>
        {
            var info = await client(parse).RevokeKeyAsync(parse.GetValue(id)!, ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, info, AccessJson.Default.ApiKeyInfo);
            else
                console.MarkupLineInterpolated($"API key {info.Id} ('{info.Name}') revoked at {info.RevokedAt:yyyy-MM-dd HH:mm:ss} UTC.");
        }));

        keys.Subcommands.Add(list);
        keys.Subcommands.Add(create);
        keys.Subcommands.Add(revoke);
        return keys;
    }

    private static Command Audit(IAnsiConsole console, Option<bool> json, Func<ParseResult, FleetApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        var actor = new Option<string?>("--actor") { Description = "Entries whose actor contains this, e.g. a key id or a person" };
        var target = new Option<string?>("--target") { Description = "Entries about this device, key or path" };
        var action = new Option<string?>("--action") { Description = "An action such as twin.set, or a family such as 'twin.'" };
        var outcome = new Option<AuditOutcome?>("--outcome") { Description = "succeeded, failed or denied" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start of the window (ISO 8601; default: a week before --to)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End of the window (ISO 8601; default: now)" };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries, the newest (default 500)" };
        var audit = new Command("audit", "The audit log: commands, twin changes, keys and credentials, refused requests (admins)")
        {
            actor, target, action, outcome, from, to, limit,
        };
        audit.SetAction((parse, ct) => run(async () =>
        {
            var entries = await client(parse).GetAuditAsync(
                parse.GetValue(actor), parse.GetValue(target), parse.GetValue(action), parse.GetValue(outcome),
                parse.GetValue(from), parse.GetValue(to), parse.GetValue(limit), ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, entries, AccessJson.Default.IReadOnlyListAuditEntry);
            else
                AccessOutput.WriteAudit(console, entries);
        }));
        return audit;
    }
}
