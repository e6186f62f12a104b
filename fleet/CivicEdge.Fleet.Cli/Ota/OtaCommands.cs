using System.CommandLine;
using CivicEdge.Fleet.Contracts.Ota;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Ota;

/// <summary>
/// <c>civic ota</c>: make a release signing key (<c>keygen</c>), sign a payload into a package (<c>sign</c>), check a
/// package against trusted public keys (<c>verify</c>), send it to the fleet (<c>upload</c>) and list what the fleet
/// holds (<c>list</c>), and roll it out (<c>campaign</c>). Signing happens where the private key lives, never at the fleet.
/// </summary>
public static class OtaCommands
{
    /// <summary>The package was checked and refused.</summary>
    public const int RefusedExitCode = 4;

    /// <param name="console">Where output goes.</param>
    /// <param name="json">The <c>--json</c> option.</param>
    /// <param name="client">The fleet's OTA API for a parsed command line.</param>
    /// <param name="run">Runs an action, turning fleet failures into a message and an exit code.</param>
    /// <param name="timeProvider">The clock that dates a signed manifest.</param>
    public static Command Build(
        IAnsiConsole console, Option<bool> json, Func<ParseResult, OtaApiClient> client, Func<Func<Task>, Task<int>> run, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var ota = new Command("ota", "Signed over-the-air updates: keys, packages, upload, campaigns");
        ota.Subcommands.Add(Keygen(console));
        ota.Subcommands.Add(Sign(console, timeProvider));
        ota.Subcommands.Add(Verify(console, json));
        ota.Subcommands.Add(Upload(console, json, client, run));
        ota.Subcommands.Add(List(console, json, client, run));
        ota.Subcommands.Add(OtaCampaignCommands.Build(console, json, client, run, timeProvider));
        return ota;
    }

    private static Command Keygen(IAnsiConsole console)
    {
        var name = new Argument<string>("name") { Description = "The key pair's file name stem: writes NAME.key.pem (private, mode 0600) and NAME.pub.pem" };
        var directory = new Option<DirectoryInfo?>("--dir") { Description = "Where to write the two files (default: the current directory)" };
        var command = new Command("keygen", "Make an ECDSA P-256 release signing key pair; give NAME.pub.pem to the fleet and to installers") { name, directory };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(directory)?.FullName ?? Directory.GetCurrentDirectory();
            var privatePath = Path.Combine(folder, parse.GetValue(name) + ".key.pem");
            var publicPath = Path.Combine(folder, parse.GetValue(name) + ".pub.pem");
            if (File.Exists(privatePath) || File.Exists(publicPath))
            {
                console.MarkupLineInterpolated($"[red]error:[/] {(File.Exists(privatePath) ? privatePath : publicPath)} already exists: a signing key is never overwritten. Choose another name or move it away.");
                return CivicCommandLine.UsageExitCode;
            }

            using var key = OtaSigningKey.Generate();
            try
            {
                Directory.CreateDirectory(folder);
                // The private key is created 0600 from its first byte: writing it first and chmod-ing after would leave a window in which others may read it.
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                await using (var writer = new StreamWriter(privatePath, System.Text.Encoding.ASCII, options))
                    await writer.WriteAsync(key.ExportPrivateKeyPem().AsMemory(), ct);
                await File.WriteAllTextAsync(publicPath, key.PublicKey.Pem + "\n", ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] cannot write the key pair in {folder}: {ex.Message}");
                return CivicCommandLine.UsageExitCode;
            }

            console.MarkupLineInterpolated($"private key  {privatePath} (mode 0600; keep it off the fleet)");
            console.MarkupLineInterpolated($"public key   {publicPath}");
            console.MarkupLineInterpolated($"key id       [bold]{key.PublicKey.KeyId}[/]");
            return 0;
        });
        return command;
    }

    private static Command Sign(IAnsiConsole console, TimeProvider timeProvider)
    {
        var payload = new Argument<FileInfo>("payload") { Description = "The firmware image or gateway bundle to sign" };
        var keyFile = new Option<FileInfo>("--key") { Description = "The private key PEM (from civic ota keygen)", Required = true };
        var product = new Option<string>("--product") { Description = "What the payload is, e.g. pole-controller", Required = true };
        var kind = new Option<string>("--kind") { Description = "firmware (a field device) or gateway (the gateway itself)", Required = true };
        var model = new Option<string[]>("--model") { Description = "A hardware model it runs on; repeat for several", Required = true, AllowMultipleArgumentsPerToken = false };
        var version = new Option<string>("--version") { Description = "Its semantic version, e.g. 2.4.0", Required = true };
        var minimum = new Option<string?>("--min-version") { Description = "The oldest version it may be installed over" };
        var notes = new Option<string?>("--notes") { Description = "Release notes for people" };
        var output = new Option<FileInfo?>("--out") { Description = "The package to write (default: PRODUCT-VERSION.cota beside the payload)" };
        var command = new Command("sign", "Sign a payload into a package: manifest, signature and payload in one .cota file")
        {
            payload, keyFile, product, kind, model, version, minimum, notes, output,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(kind) is { } k && !TryParseKind(k, out _))
                result.AddError($"--kind: expected firmware or gateway, found '{k}'.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var source = parse.GetValue(payload)!;
            OtaSigningKey key;
            try
            {
                key = OtaSigningKey.FromPem(await File.ReadAllTextAsync(parse.GetValue(keyFile)!.FullName, ct));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] --key {parse.GetValue(keyFile)!.FullName}: {ex.Message}");
                return CivicCommandLine.UsageExitCode;
            }

            using (key)
            {
                try
                {
                    await using var input = File.OpenRead(source.FullName);
                    using var digest = new OtaPayloadDigest();
                    var buffer = new byte[64 * 1024];
                    int read;
                    while ((read = await input.ReadAsync(buffer, ct)) > 0)
                        digest.Append(buffer.AsSpan(0, read));

                    TryParseKind(parse.GetValue(kind)!, out var artifactKind);
                    var manifest = new OtaManifest(
                        parse.GetValue(product)!, artifactKind, parse.GetValue(model)!, parse.GetValue(version)!, parse.GetValue(minimum),
                        digest.Length, digest.Sha256(), parse.GetValue(notes), timeProvider.GetUtcNow());
                    var check = OtaVerifier.CheckManifest(manifest);
                    if (!check.IsValid)
                    {
                        console.MarkupLineInterpolated($"[red]error:[/] not signed: {check.Message}");
                        return CivicCommandLine.UsageExitCode;
                    }

                    var manifestBytes = OtaPackageFormat.ManifestBytes(manifest);
                    var header = OtaPackageFormat.WriteHeader(manifestBytes, key.Sign(manifestBytes));
                    var target = parse.GetValue(output)?.FullName
                        ?? Path.Combine(source.DirectoryName ?? ".", $"{manifest.Product}-{manifest.Version}{OtaPackageFormat.FileExtension}");
                    // Written beside its final name and moved into place, so that a crash never leaves a half package under that name.
                    var partial = target + ".partial";
                    await using (var package = new FileStream(partial, FileMode.Create, FileAccess.Write))
                    {
                        await package.WriteAsync(header, ct);
                        input.Position = 0;
                        await input.CopyToAsync(package, ct);
                    }
                    File.Move(partial, target, overwrite: true);

                    OtaOutput.WriteManifest(console, manifest, key.PublicKey.KeyId);
                    console.MarkupLineInterpolated($"package      [bold]{target}[/] ({header.Length + manifest.Size} bytes)");
                    return 0;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    console.MarkupLineInterpolated($"[red]error:[/] cannot sign {source.FullName}: {ex.Message}");
                    return CivicCommandLine.UsageExitCode;
                }
            }
        });
        return command;
    }

    private static Command Verify(IAnsiConsole console, Option<bool> json)
    {
        var package = new Argument<FileInfo>("package") { Description = "The .cota package to check" };
        var publicKeys = new Option<FileInfo[]>("--public-key") { Description = "A trusted public key PEM; repeat for several", Required = true, AllowMultipleArgumentsPerToken = false };
        var model = new Option<string?>("--model") { Description = "Also check it fits this hardware model (with --running)" };
        var running = new Option<string?>("--running") { Description = "Also check it installs over this running version (with --model)" };
        var command = new Command("verify", "Check a package: trusted signature, well-formed manifest, payload size and SHA-256; exit 4 when refused")
        {
            package, publicKeys, model, running,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(model) is null) != (result.GetValue(running) is null))
                result.AddError("--model and --running: give both to check the fit, or neither.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var keys = new List<OtaPublicKey>();
            try
            {
                foreach (var file in parse.GetValue(publicKeys)!)
                {
                    try
                    {
                        keys.Add(OtaPublicKey.FromPem(await File.ReadAllTextAsync(file.FullName, ct)));
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
                    {
                        console.MarkupLineInterpolated($"[red]error:[/] --public-key {file.FullName}: {ex.Message}");
                        return CivicCommandLine.UsageExitCode;
                    }
                }

                var path = parse.GetValue(package)!.FullName;
                OtaVerification verdict;
                OtaManifest? manifest = null;
                OtaSignature? signature = null;
                try
                {
                    await using var input = File.OpenRead(path);
                    var opening = await OtaPackageReader.ReadHeaderAsync(input, ct);
                    if (opening.Header is not { } header)
                    {
                        verdict = OtaVerification.Refused(OtaVerificationFailure.MalformedManifest, $"{opening.Read.Reason} (at byte {opening.Read.Offset})");
                    }
                    else
                    {
                        (manifest, signature) = (header.Manifest, header.Signature);
                        verdict = new OtaVerifier(keys).VerifyHeader(header);
                        if (verdict.IsValid)
                            verdict = await OtaPackageReader.CopyPayloadAsync(opening, input, Stream.Null, null, ct);
                        if (verdict.IsValid && parse.GetValue(model) is { } m)
                            verdict = OtaVerifier.CheckFit(header.Manifest, header.Manifest.Kind, m, parse.GetValue(running)!);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    console.MarkupLineInterpolated($"[red]error:[/] cannot read {path}: {ex.Message}");
                    return CivicCommandLine.UsageExitCode;
                }

                if (parse.GetValue(json))
                {
                    console.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(
                        new System.Text.Json.Nodes.JsonObject
                        {
                            ["valid"] = verdict.IsValid,
                            ["failure"] = verdict.Failure?.ToString(),
                            ["message"] = verdict.Message,
                            ["artifactId"] = manifest?.ArtifactId,
                            ["keyId"] = signature?.KeyId,
                        }));
                }
                else
                {
                    if (manifest is not null)
                        OtaOutput.WriteManifest(console, manifest, signature!.KeyId);
                    if (verdict.IsValid)
                        console.MarkupLine("[green]valid[/]: signed by a trusted key; the payload matches the manifest");
                    else
                        console.MarkupLineInterpolated($"[red]refused[/] ({verdict.Failure}): {verdict.Message}");
                }
                return verdict.IsValid ? 0 : RefusedExitCode;
            }
            finally
            {
                foreach (var key in keys)
                    key.Dispose();
            }
        });
        return command;
    }

    private static Command Upload(IAnsiConsole console, Option<bool> json, Func<ParseResult, OtaApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        var package = new Argument<FileInfo>("package") { Description = "The signed .cota package" };
        var command = new Command("upload", "Send a package to the fleet, which checks it against its trusted keys before storing it") { package };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(package)!.FullName;
            FileStream input;
            OtaManifest manifest;
            try
            {
                input = File.OpenRead(path);
                var opening = await OtaPackageReader.ReadHeaderAsync(input, ct);
                if (opening.Header is null)
                {
                    await input.DisposeAsync();
                    console.MarkupLineInterpolated($"[red]error:[/] {path} is not a package: {opening.Read.Reason} (at byte {opening.Read.Offset})");
                    return CivicCommandLine.UsageExitCode;
                }
                manifest = opening.Header.Manifest;
                input.Position = 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] cannot read {path}: {ex.Message}");
                return CivicCommandLine.UsageExitCode;
            }

            await using (input)
            {
                return await run(async () =>
                {
                    OtaArtifact artifact;
                    if (console.Profile.Capabilities.Interactive && !parse.GetValue(json))
                    {
                        artifact = await console.Progress()
                            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                            .StartAsync(async context =>
                            {
                                var task = context.AddTask(Markup.Escape(manifest.ArtifactId), maxValue: input.Length);
                                return await client(parse).UploadAsync(input, input.Length, new Progress<long>(sent => task.Value = sent), ct);
                            });
                    }
                    else
                    {
                        artifact = await client(parse).UploadAsync(input, input.Length, null, ct);
                    }

                    if (parse.GetValue(json))
                    {
                        OutputFormat.WriteJson(console, artifact, OtaJson.Default.OtaArtifact);
                    }
                    else
                    {
                        OtaOutput.WriteManifest(console, artifact.Manifest, artifact.Signature.KeyId);
                        console.MarkupLineInterpolated($"stored       [bold]{artifact.Id}[/] at {artifact.UploadedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; payload at {artifact.PayloadPath}");
                    }
                });
            }
        });
        return command;
    }

    private static Command List(IAnsiConsole console, Option<bool> json, Func<ParseResult, OtaApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        var command = new Command("list", "The artifacts the fleet holds, newest first");
        command.SetAction((parse, ct) => run(async () =>
        {
            var artifacts = await client(parse).ListAsync(ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, artifacts, OtaJson.Default.IReadOnlyListOtaArtifact);
            else
                OtaOutput.WriteArtifacts(console, artifacts);
        }));
        return command;
    }

    private static bool TryParseKind(string text, out ArtifactKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);
}
