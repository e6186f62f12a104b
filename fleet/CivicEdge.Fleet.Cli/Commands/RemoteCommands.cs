using System.CommandLine;
using CivicEdge.Fleet.Cli.Ledger;
using CivicEdge.Fleet.Contracts.Commands;
using CivicEdge.Fleet.Contracts.Ledger;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Commands;

/// <summary>
/// <c>civic command</c>: send a command to one device (<c>civic command slc-0001 dim --arg level=40 --wait 10s</c>), to
/// several (<c>slc-0001,slc-0002</c>) or to the devices of a ledger query (<c>civic command --tag ring-road dim …</c>);
/// <c>list</c>, <c>show</c> and <c>cancel</c> them. Exit code 0 when every command sent with <c>--wait</c> succeeded
/// (or, without it, was accepted), <see cref="NotSucceededExitCode"/> when one ended otherwise,
/// <see cref="PendingExitCode"/> when one was still open when the wait ended.
/// </summary>
public static class RemoteCommands
{
    /// <summary>A command ended failed, rejected, expired, timed out or cancelled.</summary>
    public const int NotSucceededExitCode = 4;

    /// <summary>A command was still queued or sent when <c>--wait</c> ended.</summary>
    public const int PendingExitCode = 5;

    public static Command Build(IAnsiConsole console, Option<bool> json, Func<ParseResult, CommandApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(run);

        var words = new Argument<string[]>("device-and-name")
        {
            Description = "The target device (or several, comma-separated) and the command: write, read, switch, dim; with --tag/--district/--kind/--tenant only the command",
            Arity = new ArgumentArity(0, 2),
        };
        var arg = new Option<string[]>("--arg") { Description = "An argument key=value, repeatable: --arg point=dimming_level --arg value=40", AllowMultipleArgumentsPerToken = false };
        var wait = new Option<string?>("--wait") { Description = "Wait up to this long for the results (10s, 1m); without it the command is queued and its id printed" };
        var expires = new Option<string?>("--expires") { Description = "How long the command may wait for an offline gateway and its result (default: the fleet's, 10m)" };
        var tag = new Option<string[]>("--tag") { Description = "Target every device with this tag (repeatable: all must hold)" };
        var district = new Option<string?>("--district") { Description = "Target every device in this district" };
        var kind = new Option<string?>("--kind") { Description = "Target every device of this kind (lamp, poleController, gateway, …)" };
        var tenant = new Option<string?>("--tenant") { Description = "Target every device of this tenant" };

        var command = new Command("command", "Send a command to devices through their gateways, and follow it")
        {
            words, arg, wait, expires, tag, district, kind, tenant,
        };
        command.Validators.Add(result =>
        {
            var query = result.GetValue(tag) is { Length: > 0 } || result.GetValue(district) is not null || result.GetValue(kind) is not null || result.GetValue(tenant) is not null;
            var given = result.GetValue(words) ?? [];
            if (query && given.Length != 1)
                result.AddError($"With --tag, --district, --kind or --tenant: expected only the command name, found {given.Length} words.");
            if (!query && given.Length != 2)
                result.AddError($"Expected a device and a command name (civic command slc-0001 dim --arg level=40), found {given.Length} words.");
            if (result.GetValue(kind) is { } k && !TryParseKind(k, out _))
                result.AddError($"--kind: expected one of {string.Join(", ", Enum.GetNames<DeviceKind>().Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName))}, found '{k}'.");
            foreach (var (option, text) in new[] { ("--wait", result.GetValue(wait)), ("--expires", result.GetValue(expires)) })
            {
                if (text is not null && (!CliDuration.TryParse(text, out var period) || period <= TimeSpan.Zero))
                    result.AddError($"{option}: expected a duration such as 10s, 5m or 2h, found '{text}'.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var exit = 0;
            var code = await run(async () =>
            {
                var arguments = CommandArgumentsParser.Parse(parse.GetValue(arg) ?? [], out var problem)
                    ?? throw new FleetApiException(problem!);
                var given = parse.GetValue(words)!;
                var query = given.Length == 1
                    ? new CommandTargetQuery(
                        parse.GetValue(tenant),
                        parse.GetValue(district),
                        parse.GetValue(kind) is { } k && TryParseKind(k, out var parsedKind) ? parsedKind : null,
                        parse.GetValue(tag) is { Length: > 0 } tags ? tags : null)
                    : null;
                var targets = query is null ? given[0].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
                var submission = new CommandSubmission(
                    targets.Length == 1 ? targets[0] : null,
                    targets.Length > 1 ? targets : null,
                    query,
                    given[^1],
                    arguments,
                    parse.GetValue(expires) is { } e && CliDuration.TryParse(e, out var expiry) ? (int)Math.Ceiling(expiry.TotalSeconds) : null);
                TimeSpan? waitFor = parse.GetValue(wait) is { } w && CliDuration.TryParse(w, out var period) ? period : null;

                var batch = await client(parse).SendAsync(submission, waitFor, ct);
                if (parse.GetValue(json))
                    OutputFormat.WriteJson(console, batch, CommandsJson.Default.CommandBatch);
                else
                    CommandOutput.WriteList(console, batch.Commands);
                if (waitFor is not null)
                {
                    exit = batch.Commands.Any(c => c.IsFinal && c.State != CommandState.Succeeded) ? NotSucceededExitCode
                        : batch.Commands.Any(c => !c.IsFinal) ? PendingExitCode
                        : 0;
                }
            });
            return code != 0 ? code : exit;
        });

        var device = new Option<string?>("--device") { Description = "Only commands to this device" };
        var state = new Option<string?>("--state") { Description = "Only commands in these states, comma-separated: queued, sent, succeeded, failed, rejected, timedOut, expired, cancelled" };
        var limit = new Option<int?>("--limit") { Description = "At most this many, the newest (default 100)" };
        var list = new Command("list", "Commands, oldest first") { device, state, limit };
        list.SetAction((parse, ct) => run(async () =>
        {
            var commands = await client(parse).ListAsync(parse.GetValue(device), parse.GetValue(state), parse.GetValue(limit), ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, commands, CommandsJson.Default.IReadOnlyListCommandRecord);
            else
                CommandOutput.WriteList(console, commands);
        }));
        command.Subcommands.Add(list);

        var id = new Argument<string>("id") { Description = "The command's id" };
        var show = new Command("show", "One command: what was asked, by whom, where it stands, the device's result") { id };
        show.SetAction((parse, ct) => run(async () =>
        {
            var found = await client(parse).ShowAsync(parse.GetValue(id)!, ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, found, CommandsJson.Default.CommandRecord);
            else
                CommandOutput.WriteOne(console, found);
        }));
        command.Subcommands.Add(show);

        var cancelId = new Argument<string>("id") { Description = "The command's id" };
        var cancel = new Command("cancel", "Cancel a command still queued for its gateway") { cancelId };
        cancel.SetAction((parse, ct) => run(async () =>
        {
            var cancelled = await client(parse).CancelAsync(parse.GetValue(cancelId)!, ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, cancelled, CommandsJson.Default.CommandRecord);
            else
                CommandOutput.WriteOne(console, cancelled);
        }));
        command.Subcommands.Add(cancel);
        return command;
    }

    private static bool TryParseKind(string text, out DeviceKind kind) =>
        Enum.TryParse(text.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out kind) && Enum.IsDefined(kind) && !text.Any(char.IsDigit);
}
