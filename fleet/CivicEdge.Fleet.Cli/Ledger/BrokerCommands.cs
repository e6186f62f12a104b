using System.CommandLine;
using CivicEdge.Fleet.Contracts.Ledger;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Ledger;

/// <summary>
/// <c>civic broker status|export-acl</c>: what the embedded broker's security refused, and the ledger written as an
/// external Mosquitto's password and ACL files.
/// </summary>
public static class BrokerCommands
{
    public static Command Build(IAnsiConsole console, Option<bool> json, Func<ParseResult, LedgerApiClient> client, Func<Func<Task>, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(run);
        var broker = new Command("broker", "The MQTT broker's security: refusals, and files for an external Mosquitto");

        var status = new Command("status", "Connections, messages and subscriptions refused, sessions open and cut");
        status.SetAction((parse, ct) => run(async () =>
        {
            var answer = await client(parse).BrokerStatusAsync(ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, answer, LedgerJson.Default.BrokerStatus);
            else
                LedgerOutput.WriteBrokerStatus(console, answer);
        }));
        broker.Subcommands.Add(status);

        var passwordFile = new Option<FileInfo>("--password-file") { Description = "Where to write Mosquitto's password_file (mode 600)", Required = true };
        var aclFile = new Option<FileInfo>("--acl-file") { Description = "Where to write Mosquitto's acl_file", Required = true };
        var export = new Command("export-acl", "Write the ledger's credentials and topic ACL as Mosquitto's password_file and acl_file") { passwordFile, aclFile };
        export.SetAction((parse, ct) => run(async () =>
        {
            var files = await client(parse).MosquittoFilesAsync(ct);
            var passwords = parse.GetValue(passwordFile)!;
            var acl = parse.GetValue(aclFile)!;
            await DeviceCommands.WritePrivateAsync(passwords.FullName, files.PasswordFile, ct);
            await File.WriteAllTextAsync(acl.FullName, files.AclFile, ct);
            if (parse.GetValue(json))
                OutputFormat.WriteJson(console, files with { PasswordFile = passwords.FullName, AclFile = acl.FullName }, LedgerJson.Default.MosquittoFiles);
            else
                console.MarkupLineInterpolated($"Wrote {files.Users} users to {passwords.FullName} and their topics to {acl.FullName}; make Mosquitto read them again (kill -HUP its process).");
        }));
        broker.Subcommands.Add(export);
        return broker;
    }
}
