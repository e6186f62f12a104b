using System.CommandLine;
using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Contracts.Ota;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Ota;

/// <summary>
/// <c>civic ota campaign</c>: create a campaign over a ledger query, follow it wave by wave (<c>status --watch</c>),
/// pause, resume, cancel it or retry its failed devices.
/// </summary>
public static class OtaCampaignCommands
{
    private static readonly string[] FinalStates = ["halted", "cancelled", "completed"];

    public static Command Build(
        IAnsiConsole console, Option<bool> json, Func<ParseResult, OtaApiClient> client, Func<Func<Task>, Task<int>> run, TimeProvider timeProvider)
    {
        var campaign = new Command("campaign", "Roll an uploaded artifact out in waves over the devices a ledger query finds, halting by itself on a wave's failures");
        campaign.Subcommands.Add(Create(console, json, client, run));
        campaign.Subcommands.Add(Status(console, json, client, run, timeProvider));
        campaign.Subcommands.Add(Change("pause", "Pause a running campaign: no new offers; updates under way finish", withReason: true, console, json, client, run));
        campaign.Subcommands.Add(Change("resume", "Resume a paused campaign", withReason: false, console, json, client, run));
        campaign.Subcommands.Add(Change("cancel", "Cancel a campaign for good", withReason: true, console, json, client, run));
        campaign.Subcommands.Add(Change("retry", "Offer the update again to the failed devices; a halted campaign runs again", withReason: false, console, json, client, run));
        return campaign;
    }

    private static Command Create(IAnsiConsole console, Option<bool> json, Func<ParseResult, OtaApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        var id = new Argument<string>("id") { Description = "The campaign's id, e.g. slc-2.4.0-north" };
        var artifact = new Option<string>("--artifact") { Description = "The uploaded artifact, e.g. pole-controller@2.4.0", Required = true };
        var waves = new Option<string[]>("--wave") { Description = "A cumulative wave, 1% or a number of devices; repeat, the last 100% (default 1%, 10%, 50%, 100%)", AllowMultipleArgumentsPerToken = false };
        var soak = new Option<TimeSpan?>("--soak") { Description = "How long a passed wave waits before the next (default 00:30:00)" };
        var threshold = new Option<double?>("--threshold") { Description = "The share of a wave that may fail before the campaign halts, 0.05 for 5 % (default)" };
        var confirm = new Option<TimeSpan?>("--confirm-timeout") { Description = "How long a device has from the offer to confirming (default 01:00:00)" };
        var window = new Option<TimeSpan?>("--health-window") { Description = "How long a device must stay healthy on the new version (default 00:10:00)" };
        var maxDownloads = new Option<int?>("--max-downloads") { Description = "The most devices downloading at once (default 50)" };
        var maxPerGateway = new Option<int?>("--max-per-gateway") { Description = "The most devices behind one gateway downloading at once (default 4)" };
        var windows = new Option<string[]>("--window") { Description = "A maintenance window in local time, 22:00-04:00, or daylight[+30m] (sunrise + 30 min to sunset - 30 min at each pole's place); repeat for several, a device is offered only while every kind is open (default: any time)", AllowMultipleArgumentsPerToken = false };
        var location = new Option<string?>("--location") { Description = "For --window daylight: where devices the ledger has no latitude and longitude for are, e.g. 22.54,114.06 (default: such devices are held)" };
        var offset = new Option<TimeSpan?>("--utc-offset") { Description = "The city's offset from UTC the windows are read in, e.g. 01:00" };
        var kind = new Option<string?>("--kind") { Description = "Devices of this kind, e.g. poleController or gateway" };
        var model = new Option<string?>("--model") { Description = "Devices of this hardware model" };
        var tenant = new Option<string?>("--tenant") { Description = "One tenant's devices" };
        var district = new Option<string?>("--district") { Description = "Devices in this district" };
        var tags = new Option<string[]>("--tag") { Description = "Devices with this tag; repeat for several", AllowMultipleArgumentsPerToken = false };
        var from = new Option<string?>("--from-version") { Description = "Devices the ledger says run this version" };
        var command = new Command("create", "Create a campaign; the fleet plans its waves and starts offering the first")
        {
            id, artifact, waves, soak, threshold, confirm, window, maxDownloads, maxPerGateway, windows, offset, location, kind, model, tenant, district, tags, from,
        };
        command.SetAction(async (parse, ct) =>
        {
            DeviceKind? deviceKind = null;
            if (parse.GetValue(kind) is { } kindText)
            {
                if (!Enum.TryParse<DeviceKind>(kindText, ignoreCase: true, out var parsed) || int.TryParse(kindText, out _))
                {
                    console.MarkupLineInterpolated($"[red]--kind: expected one of {string.Join(", ", Enum.GetNames<DeviceKind>())}, found '{kindText}'[/]");
                    return CivicCommandLine.UsageExitCode;
                }
                deviceKind = parsed;
            }
            var request = new OtaCampaignRequest(
                parse.GetValue(id)!,
                parse.GetValue(artifact)!,
                parse.GetValue(waves) is { Length: > 0 } w ? w : null,
                parse.GetValue(soak),
                parse.GetValue(threshold),
                parse.GetValue(confirm),
                parse.GetValue(window),
                parse.GetValue(maxDownloads),
                parse.GetValue(maxPerGateway),
                parse.GetValue(windows) is { Length: > 0 } mw ? mw : null,
                parse.GetValue(offset),
                deviceKind,
                parse.GetValue(model),
                parse.GetValue(tenant),
                parse.GetValue(district),
                parse.GetValue(tags) is { Length: > 0 } t ? t : null,
                parse.GetValue(from),
                parse.GetValue(location));
            return await run(async () =>
            {
                var created = await client(parse).CreateCampaignAsync(request, ct);
                if (parse.GetValue(json))
                    OutputFormat.WriteJson(console, created, OtaJson.Default.OtaCampaign);
                else
                    OtaOutput.WriteCampaign(console, created);
            });
        });
        return command;
    }

    private static Command Status(IAnsiConsole console, Option<bool> json, Func<ParseResult, OtaApiClient> client, Func<Func<Task>, Task<int>> run, TimeProvider timeProvider)
    {
        var id = new Argument<string?>("id") { Description = "One campaign, with its waves and failed devices; none for the list", Arity = ArgumentArity.ZeroOrOne };
        var watch = new Option<bool>("--watch") { Description = "Print it again every --interval until it halts, is cancelled or completes" };
        var interval = new Option<TimeSpan>("--interval") { Description = "How often --watch asks (default 00:00:02)", DefaultValueFactory = _ => TimeSpan.FromSeconds(2) };
        var command = new Command("status", "Where campaigns stand: per wave, and why one halted") { id, watch, interval };
        command.SetAction((parse, ct) => run(async () =>
        {
            var api = client(parse);
            if (parse.GetValue(id) is not { } campaignId)
            {
                var campaigns = await api.ListCampaignsAsync(ct);
                if (parse.GetValue(json))
                    OutputFormat.WriteJson(console, campaigns, OtaJson.Default.IReadOnlyListOtaCampaign);
                else
                    OtaOutput.WriteCampaigns(console, campaigns);
                return;
            }
            while (true)
            {
                var campaign = await api.GetCampaignAsync(campaignId, ct);
                if (parse.GetValue(json))
                    OutputFormat.WriteJson(console, campaign, OtaJson.Default.OtaCampaign);
                else
                    OtaOutput.WriteCampaign(console, campaign);
                if (!parse.GetValue(watch) || FinalStates.Contains(campaign.State))
                    return;
                await Task.Delay(parse.GetValue(interval), timeProvider, ct);
                console.WriteLine();
            }
        }));
        return command;
    }

    private static Command Change(
        string action, string description, bool withReason, IAnsiConsole console, Option<bool> json, Func<ParseResult, OtaApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        var id = new Argument<string>("id") { Description = "The campaign" };
        var reason = new Option<string?>("--reason") { Description = "Why, kept with the campaign and in the audit log" };
        var command = new Command(action, description) { id };
        if (withReason)
            command.Options.Add(reason);
        command.SetAction((parse, ct) => run(async () =>
        {
            var changed = await client(parse).ChangeCampaignAsync(parse.GetValue(id)!, action, withReason ? parse.GetValue(reason) : null, ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, changed, OtaJson.Default.OtaCampaign);
            else
                OtaOutput.WriteCampaign(console, changed);
        }));
        return command;
    }
}
