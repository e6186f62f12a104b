using System.CommandLine;
using System.Text.Json.Nodes;
using CivicEdge.Fleet.Contracts.Ledger;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Ledger;

/// <summary>
/// <c>civic devices …</c>: the device ledger over the fleet's API — list, show, register, update, lifecycle steps,
/// decommissioning, claim tokens and claims on site, and per-device credentials.
/// </summary>
public sealed class DeviceCommands
{
    private readonly IAnsiConsole _console;
    private readonly Option<bool> _json;
    private readonly Func<ParseResult, LedgerApiClient> _client;
    private readonly Func<Func<Task>, Task<int>> _run;

    private DeviceCommands(IAnsiConsole console, Option<bool> json, Func<ParseResult, LedgerApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        _console = console;
        _json = json;
        _client = client;
        _run = run;
    }

    /// <summary>The <c>devices</c> command; <paramref name="run"/> turns the fleet's refusals into messages and exit codes.</summary>
    public static Command Build(IAnsiConsole console, Option<bool> json, Func<ParseResult, LedgerApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(run);
        var commands = new DeviceCommands(console, json, client, run);
        var devices = new Command("devices", "The device ledger: every gateway and field device, its owner, place and life");
        devices.Subcommands.Add(commands.BuildList());
        devices.Subcommands.Add(commands.BuildShow());
        devices.Subcommands.Add(commands.BuildRegister());
        devices.Subcommands.Add(commands.BuildUpdate());
        devices.Subcommands.Add(commands.BuildLifecycle());
        devices.Subcommands.Add(commands.BuildDecommission());
        devices.Subcommands.Add(commands.BuildClaimToken());
        devices.Subcommands.Add(commands.BuildClaim());
        devices.Subcommands.Add(commands.BuildCredentials());
        return devices;
    }

    private static Argument<string> CodeArgument() => new("code") { Description = "The device's unified device code" };

    private static Option<string> ByOption() => new("--by")
    {
        Description = "Who does this, for the ledger's record (default: your user name)",
        DefaultValueFactory = _ => Environment.UserName,
    };

    private Command BuildList()
    {
        var kind = EnumOption<DeviceKind>("--kind", "Only devices of this kind");
        var state = new Option<string?>("--state") { Description = $"Only devices in this lifecycle state ({AllNames<LifecycleState>()}) or unregistered" };
        var tenant = new Option<string?>("--tenant") { Description = "Only devices of this owner" };
        var district = new Option<string?>("--district") { Description = "Only devices in this district" };
        var tag = new Option<string[]>("--tag") { Description = "Only devices with this tag (repeat: every one)", AllowMultipleArgumentsPerToken = false };
        var gateway = new Option<string?>("--gateway") { Description = "Only devices behind this gateway" };
        var model = new Option<string?>("--model") { Description = "Only devices of this hardware profile model" };
        var firmware = new Option<string?>("--firmware") { Description = "Only devices running this firmware version" };
        var capability = new Option<string?>("--capability") { Description = "Only devices sensing this" };
        var batch = new Option<string?>("--batch") { Description = "Only devices of this delivery batch" };
        var list = new Command("list", "List devices: registered ones, and those reporting without being registered")
        {
            kind, state, tenant, district, tag, gateway, model, firmware, capability, batch,
        };
        list.SetAction((parse, ct) => _run(async () =>
        {
            var filters = new List<KeyValuePair<string, string>>();
            void Add(string name, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                    filters.Add(new(name, value));
            }

            Add("kind", parse.GetValue(kind) is { } k ? JsonName(k) : null);
            Add("state", parse.GetValue(state));
            Add("tenant", parse.GetValue(tenant));
            Add("district", parse.GetValue(district));
            foreach (var t in parse.GetValue(tag) ?? [])
                Add("tag", t);
            Add("gateway", parse.GetValue(gateway));
            Add("model", parse.GetValue(model));
            Add("firmware", parse.GetValue(firmware));
            Add("capability", parse.GetValue(capability));
            Add("batch", parse.GetValue(batch));
            var devices = await _client(parse).ListAsync(filters, ct);
            if (parse.GetValue(_json))
                OutputFormat.WriteJson(_console, devices, LedgerJson.Default.IReadOnlyListDeviceListItem);
            else
                LedgerOutput.WriteDevices(_console, devices);
        }));
        return list;
    }

    private Command BuildShow()
    {
        var code = CodeArgument();
        var show = new Command("show", "One device: its ledger entry, lifecycle history, credentials and telemetry") { code };
        show.SetAction((parse, ct) => _run(async () =>
        {
            var details = await _client(parse).ShowAsync(parse.GetValue(code)!, ct);
            if (parse.GetValue(_json))
                OutputFormat.WriteJson(_console, details, LedgerJson.Default.DeviceDetails);
            else
                LedgerOutput.WriteDetails(_console, details);
        }));
        return show;
    }

    private Command BuildRegister()
    {
        var code = CodeArgument();
        var kind = EnumOption<DeviceKind>("--kind", "What the device is", required: true);
        var tenant = new Option<string>("--tenant") { Description = "Its owner: a bureau, a utility, a county", Required = true };
        var model = new Option<string?>("--model") { Description = "Its hardware profile model, e.g. eastron-sdm630" };
        var gateway = new Option<string?>("--gateway") { Description = "The gateway it sits behind" };
        var firmware = new Option<string?>("--firmware") { Description = "The firmware version it runs" };
        var tag = new Option<string[]>("--tag") { Description = "A tag (repeat for more)" };
        var capability = new Option<string[]>("--capability") { Description = "What it senses, e.g. pm2.5 (repeat for more); checked for duplicates nearby" };
        var batch = new Option<string?>("--batch") { Description = "The delivery batch it came in" };
        var location = new LocationOptions();
        var by = ByOption();
        var register = new Command("register", "Register a device in the ledger") { code, kind, tenant, model, gateway, firmware, tag, capability, batch, by };
        location.AddTo(register);
        register.SetAction((parse, ct) => _run(async () =>
        {
            var answer = await _client(parse).RegisterAsync(new DeviceRegistration
            {
                Code = parse.GetValue(code),
                Kind = parse.GetValue(kind),
                Tenant = parse.GetValue(tenant),
                Model = parse.GetValue(model),
                Gateway = parse.GetValue(gateway),
                Firmware = parse.GetValue(firmware),
                Tags = parse.GetValue(tag),
                Capabilities = parse.GetValue(capability),
                Batch = parse.GetValue(batch),
                Location = location.Read(parse),
                By = parse.GetValue(by),
            }, ct);
            if (parse.GetValue(_json))
            {
                OutputFormat.WriteJson(_console, answer, LedgerJson.Default.DeviceAnswer);
                return;
            }

            _console.MarkupLineInterpolated($"Registered [bold]{answer.Device.Code}[/] ({JsonName(answer.Device.Kind)} of {answer.Device.Tenant}).");
            LedgerOutput.WriteWarnings(_console, answer.Warnings);
        }));
        return register;
    }

    private Command BuildUpdate()
    {
        var code = CodeArgument();
        var model = new Option<string?>("--model") { Description = "New hardware profile model" };
        var tenant = new Option<string?>("--tenant") { Description = "New owner" };
        var gateway = new Option<string?>("--gateway") { Description = "The gateway it now sits behind ('' for none)" };
        var firmware = new Option<string?>("--firmware") { Description = "The firmware version it now runs" };
        var tags = new Option<string?>("--tags") { Description = "Its tags, comma-separated, replacing the old ones ('' for none)" };
        var capabilities = new Option<string?>("--capabilities") { Description = "What it senses, comma-separated, replacing the old ones" };
        var location = new LocationOptions();
        var update = new Command("update", "Change a device's owner, place, gateway, firmware, tags or capabilities") { code, model, tenant, gateway, firmware, tags, capabilities };
        location.AddTo(update);
        update.SetAction((parse, ct) => _run(async () =>
        {
            var patch = new JsonObject();
            void Text(string name, string? value)
            {
                if (value is not null)
                    patch[name] = value.Length == 0 ? null : value;
            }

            void List(string name, string? value)
            {
                if (value is not null)
                    patch[name] = new JsonArray(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(item => (JsonNode?)item).ToArray());
            }

            Text("model", parse.GetValue(model));
            Text("tenant", parse.GetValue(tenant));
            Text("gateway", parse.GetValue(gateway));
            Text("firmware", parse.GetValue(firmware));
            List("tags", parse.GetValue(tags));
            List("capabilities", parse.GetValue(capabilities));
            if (location.ReadPatch(parse) is { } place)
                patch["location"] = place;

            var answer = await _client(parse).UpdateAsync(parse.GetValue(code)!, patch.ToJsonString(), ct);
            if (parse.GetValue(_json))
            {
                OutputFormat.WriteJson(_console, answer, LedgerJson.Default.DeviceAnswer);
                return;
            }

            _console.MarkupLineInterpolated($"Updated [bold]{answer.Device.Code}[/] (revision {answer.Device.Revision}).");
            LedgerOutput.WriteWarnings(_console, answer.Warnings);
        }));
        return update;
    }

    private Command BuildLifecycle()
    {
        var code = CodeArgument();
        var state = new Argument<string>("state")
        {
            Description = $"The state to move to: {AllNames<LifecycleState>()}",
        };
        state.Validators.Add(result =>
        {
            if (!TryParseEnum<LifecycleState>(result.GetValueOrDefault<string>(), out _))
                result.AddError($"state: expected one of {AllNames<LifecycleState>()}, found '{result.GetValueOrDefault<string>()}'.");
        });
        var reason = new Option<string>("--reason") { Description = "Why, for the ledger's record", Required = true };
        var by = ByOption();
        var lifecycle = new Command("lifecycle", "Move a device to another lifecycle state (installed, commissioned, inService, maintenance, …)") { code, state, reason, by };
        lifecycle.SetAction((parse, ct) => _run(async () =>
        {
            TryParseEnum<LifecycleState>(parse.GetValue(state), out var to);
            var device = await _client(parse).ChangeStateAsync(
                parse.GetValue(code)!, new LifecycleRequest { State = to, By = parse.GetValue(by), Reason = parse.GetValue(reason) }, ct);
            WriteMoved(parse, device);
        }));
        return lifecycle;
    }

    private Command BuildDecommission()
    {
        var code = CodeArgument();
        var reason = new Option<string>("--reason") { Description = "Why, for the ledger's record", Required = true };
        var by = ByOption();
        var decommission = new Command("decommission", "Take a device out of the city for good: its credentials are revoked and its broker session cut") { code, reason, by };
        decommission.SetAction((parse, ct) => _run(async () =>
        {
            var device = await _client(parse).DecommissionAsync(
                parse.GetValue(code)!, new LifecycleRequest { By = parse.GetValue(by), Reason = parse.GetValue(reason) }, ct);
            WriteMoved(parse, device);
        }));
        return decommission;
    }

    private Command BuildClaimToken()
    {
        var device = new Option<string?>("--device") { Description = "The device the token may claim" };
        var batch = new Option<string?>("--batch") { Description = "The batch whose devices the token may claim, each once" };
        var lifetime = DurationOption("--lifetime", "How long the token is valid, e.g. 8h (default: the fleet's)");
        var by = ByOption();
        var token = new Command("claim-token", "Issue a short-lived token an installer claims a device (or devices of a batch) with on site") { device, batch, lifetime, by };
        token.SetAction((parse, ct) => _run(async () =>
        {
            var issued = await _client(parse).IssueClaimTokenAsync(new ClaimTokenRequest
            {
                Device = parse.GetValue(device),
                Batch = parse.GetValue(batch),
                Lifetime = parse.GetValue(lifetime),
                By = parse.GetValue(by),
            }, ct);
            if (parse.GetValue(_json))
            {
                OutputFormat.WriteJson(_console, issued, LedgerJson.Default.ClaimTokenIssued);
                return;
            }

            var scope = issued.Device is { } one ? one : $"the devices of batch {issued.Batch}";
            _console.MarkupLineInterpolated($"Claim token for {scope}, valid until {issued.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC (shown once):");
            _console.MarkupLineInterpolated($"  [bold]{issued.Token}[/]");
        }));
        return token;
    }

    private Command BuildClaim()
    {
        var code = CodeArgument();
        var token = new Option<string>("--token") { Description = "The claim token from the office", Required = true };
        var installer = new Option<string>("--installer")
        {
            Description = "Who installed it (default: your user name)",
            DefaultValueFactory = _ => Environment.UserName,
        };
        var issue = new Option<bool>("--issue-credential") { Description = "Issue the device's first password credential now" };
        var secretFile = new Option<FileInfo?>("--secret-file") { Description = "With --issue-credential: write the secret to this file (mode 600) instead of showing it" };
        var location = new LocationOptions();
        var claim = new Command("claim", "Claim a flashed device on site: it becomes installed, with you as its installer and where you are") { code, token, installer, issue, secretFile };
        location.AddTo(claim);
        claim.SetAction((parse, ct) => _run(async () =>
        {
            var answer = await _client(parse).ClaimAsync(parse.GetValue(code)!, new ClaimRequest
            {
                Token = parse.GetValue(token),
                Installer = parse.GetValue(installer),
                Location = location.Read(parse),
                IssueCredential = parse.GetValue(issue),
            }, ct);
            if (answer.Credential is { } credential && parse.GetValue(secretFile) is { } file)
                await WriteSecretAsync(file, credential.Secret!, ct);
            if (parse.GetValue(_json))
            {
                var shown = parse.GetValue(secretFile) is not null && answer.Credential is { } written ? answer with { Credential = written with { Secret = null } } : answer;
                OutputFormat.WriteJson(_console, shown, LedgerJson.Default.ClaimAnswer);
                return;
            }

            _console.MarkupLineInterpolated($"Claimed [bold]{answer.Device.Code}[/]: installed by {answer.Device.Installer} at {answer.Device.InstalledAt?.UtcDateTime:yyyy-MM-dd HH:mm} UTC.");
            LedgerOutput.WriteWarnings(_console, answer.Warnings);
            if (answer.Credential is { } issued)
                WriteIssued(issued, parse.GetValue(secretFile));
        }));
        return claim;
    }

    private Command BuildCredentials()
    {
        var credentials = new Command("credentials", "A device's credentials: issue, rotate, revoke, list");

        var listCode = CodeArgument();
        var list = new Command("list", "The device's credentials (never a secret)") { listCode };
        list.SetAction((parse, ct) => _run(async () =>
        {
            var summaries = await _client(parse).ListCredentialsAsync(parse.GetValue(listCode)!, ct);
            if (parse.GetValue(_json))
                OutputFormat.WriteJson(_console, summaries, LedgerJson.Default.IReadOnlyListCredentialSummary);
            else
                LedgerOutput.WriteCredentials(_console, summaries);
        }));
        credentials.Subcommands.Add(list);
        credentials.Subcommands.Add(BuildIssue(rotate: false));
        credentials.Subcommands.Add(BuildIssue(rotate: true));

        var revokeCode = CodeArgument();
        var id = new Option<string?>("--id") { Description = "The credential to revoke (default: every credential of the device)" };
        var reason = new Option<string>("--reason") { Description = "Why, for the ledger's record", Required = true };
        var by = ByOption();
        var revoke = new Command("revoke", "Revoke a credential (or all) and cut the device's broker sessions at once") { revokeCode, id, reason, by };
        revoke.SetAction((parse, ct) => _run(async () =>
        {
            var answer = await _client(parse).RevokeCredentialsAsync(
                parse.GetValue(revokeCode)!, new RevocationRequest { Credential = parse.GetValue(id), By = parse.GetValue(by), Reason = parse.GetValue(reason) }, ct);
            if (parse.GetValue(_json))
                OutputFormat.WriteJson(_console, answer, LedgerJson.Default.RevocationAnswer);
            else
                _console.MarkupLineInterpolated($"Revoked {answer.Revoked.Count} credentials of {parse.GetValue(revokeCode)}; {answer.SessionsClosed} broker sessions cut.");
        }));
        credentials.Subcommands.Add(revoke);
        return credentials;
    }

    private Command BuildIssue(bool rotate)
    {
        var code = CodeArgument();
        var certificate = new Option<bool>("--certificate") { Description = "A TLS client certificate of the fleet CA instead of a password" };
        var csr = new Option<FileInfo?>("--csr") { Description = "With --certificate: the device's PKCS#10 signing request (PEM); without it the fleet generates a key" };
        var secretFile = new Option<FileInfo?>("--secret-file") { Description = "Write the password to this file (mode 600) instead of showing it" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "With --certificate: where to write <code>.crt.pem, <code>.key.pem and fleet-ca.crt.pem (default: here)" };
        var grace = DurationOption("--grace", "How long the old credentials stay valid, e.g. 1h (default: the fleet's)");
        var revokeOld = new Option<bool>("--revoke-old") { Description = "End the old credentials at once and cut their sessions" };
        var by = ByOption();
        var command = rotate
            ? new Command("rotate", "Issue a new credential and retire the old ones after a grace period (or at once)") { code, certificate, csr, secretFile, output, grace, revokeOld, by }
            : new Command("issue", "Issue a credential: a random password shown once, or a certificate") { code, certificate, csr, secretFile, output, by };
        command.SetAction(async (parse, ct) =>
        {
            string? request = null;
            if (parse.GetValue(csr) is { } csrFile)
            {
                try
                {
                    request = await File.ReadAllTextAsync(csrFile.FullName, ct);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    _console.MarkupLineInterpolated($"[red]error:[/] --csr: cannot read {csrFile.FullName}: {exception.Message}");
                    return CivicCommandLine.UsageExitCode;
                }
            }

            return await _run(async () =>
            {
                var body = new CredentialRequest
                {
                    Kind = parse.GetValue(certificate) ? CredentialKind.Certificate : CredentialKind.Password,
                    Csr = request,
                    Grace = rotate ? parse.GetValue(grace) : null,
                    RevokeOld = rotate && parse.GetValue(revokeOld) ? true : null,
                    By = parse.GetValue(by),
                };
                var client = _client(parse);
                var issued = rotate
                    ? await client.RotateCredentialAsync(parse.GetValue(code)!, body, ct)
                    : await client.IssueCredentialAsync(parse.GetValue(code)!, body, ct);
                if (issued.Secret is { } secret && parse.GetValue(secretFile) is { } file)
                    await WriteSecretAsync(file, secret, ct);
                if (issued.Kind == CredentialKind.Certificate)
                    await WriteCertificateAsync(parse.GetValue(output) ?? new DirectoryInfo(Directory.GetCurrentDirectory()), issued, ct);

                if (parse.GetValue(_json))
                    OutputFormat.WriteJson(_console, parse.GetValue(secretFile) is null ? issued : issued with { Secret = null }, LedgerJson.Default.IssuedCredential);
                else
                    WriteIssued(issued, parse.GetValue(secretFile), parse.GetValue(output));
            });
        });
        return command;
    }

    private void WriteMoved(ParseResult parse, LedgerDevice device)
    {
        if (parse.GetValue(_json))
        {
            OutputFormat.WriteJson(_console, device, LedgerJson.Default.LedgerDevice);
            return;
        }

        var step = device.History[^1];
        _console.MarkupLineInterpolated($"[bold]{device.Code}[/] is now {JsonName(device.State)} ({step.By}: {step.Reason}).");
    }

    private void WriteIssued(IssuedCredential issued, FileInfo? secretFile, DirectoryInfo? output = null)
    {
        if (issued.Kind == CredentialKind.Certificate)
        {
            var folder = (output ?? new DirectoryInfo(Directory.GetCurrentDirectory())).FullName;
            _console.MarkupLineInterpolated($"Certificate credential [bold]{issued.Id}[/] issued to {issued.Device}, valid until {issued.ExpiresAt?.UtcDateTime:yyyy-MM-dd} UTC; written to {folder}.");
            _console.MarkupLineInterpolated($"Configure the device with Uplink:Tls=true, Uplink:CertificateFile, Uplink:KeyFile and Uplink:CaFile={Path.Combine(folder, "fleet-ca.crt.pem")}.");
            return;
        }

        _console.MarkupLineInterpolated($"Password credential [bold]{issued.Id}[/] issued to {issued.Device}. The fleet keeps only its hash.");
        if (secretFile is not null)
        {
            _console.MarkupLineInterpolated($"The secret is in {secretFile.FullName}: configure the device with Uplink:Username={issued.Device} and Uplink:PasswordFile={secretFile.FullName}.");
            return;
        }

        _console.MarkupLine("The secret, shown this once:");
        _console.MarkupLineInterpolated($"  [bold]{issued.Secret}[/]");
        _console.MarkupLineInterpolated($"Configure the device with Uplink:Username={issued.Device} and the secret in Uplink:PasswordFile.");
    }

    private static async Task WriteSecretAsync(FileInfo file, string secret, CancellationToken cancellationToken)
    {
        await WritePrivateAsync(file.FullName, secret + "\n", cancellationToken);
    }

    private static async Task WriteCertificateAsync(DirectoryInfo folder, IssuedCredential issued, CancellationToken cancellationToken)
    {
        folder.Create();
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, issued.Device + ".crt.pem"), issued.CertificatePem, cancellationToken);
        if (issued.CaCertificatePem is { } ca)
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "fleet-ca.crt.pem"), ca, cancellationToken);
        if (issued.PrivateKeyPem is { } key)
            await WritePrivateAsync(Path.Combine(folder.FullName, issued.Device + ".key.pem"), key, cancellationToken);
    }

    /// <summary>A secret or key, readable by its owner only.</summary>
    internal static async Task WritePrivateAsync(string path, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var writer = new StreamWriter(path, options);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }

    private static Option<TEnum?> EnumOption<TEnum>(string name, string description, bool required = false)
        where TEnum : struct, Enum =>
        new(name)
        {
            Description = $"{description} ({AllNames<TEnum>()})",
            Required = required,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (TryParseEnum<TEnum>(text, out var value))
                    return value;
                result.AddError($"{name}: expected one of {AllNames<TEnum>()}, found '{text}'.");
                return null;
            },
        };

    private static Option<TimeSpan?> DurationOption(string name, string description) =>
        new(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (CliDuration.TryParse(text, out var duration))
                    return duration;
                result.AddError($"{name}: expected a duration such as 90s, 15m, 8h or 2d, found '{text}'.");
                return null;
            },
        };

    internal static bool TryParseEnum<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var squeezed = text.Trim().Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        return !squeezed.Any(char.IsDigit) && Enum.TryParse(squeezed, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    private static string AllNames<TEnum>()
        where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetValues<TEnum>().Select(value => JsonName(value)));

    private static string JsonName<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
