using System.Globalization;
using CivicEdge.Fleet.Contracts.Ledger;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Ledger;

/// <summary>How the CLI shows the ledger to people: tables and short summaries.</summary>
public static class LedgerOutput
{
    public static void WriteDevices(IAnsiConsole console, IReadOnlyList<DeviceListItem> devices)
    {
        if (devices.Count == 0)
        {
            console.MarkupLine("[grey]No device matches.[/]");
            return;
        }

        var table = new Table().AddColumns("Device", "Kind", "Tenant", "District", "State", "Gateway", "Model", "Firmware", "Last seen (UTC)", "Readings");
        table.Columns[9].RightAligned();
        foreach (var device in devices)
        {
            table.AddRow(
                Markup.Escape(device.Id),
                device.Kind is { } kind ? Name(kind.ToString()) : "-",
                Markup.Escape(device.Tenant ?? "-"),
                Markup.Escape(device.District ?? "-"),
                device.Registered ? State(device.State) : "[yellow]unregistered[/]",
                Markup.Escape(device.Gateway ?? "-"),
                Markup.Escape(device.Model ?? "-"),
                Markup.Escape(device.Firmware ?? "-"),
                Time(device.LastSeen),
                device.Readings.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        var unregistered = devices.Count(device => !device.Registered);
        if (unregistered > 0)
            console.MarkupLineInterpolated($"[yellow]{unregistered} reporting but not registered:[/] register them with `civic devices register`.");
    }

    public static void WriteDetails(IAnsiConsole console, DeviceDetails details)
    {
        if (details.Ledger is not { } device)
        {
            console.MarkupLineInterpolated($"[bold]{details.Id}[/]  [yellow]not in the ledger[/]: the fleet knows it from telemetry only");
            console.MarkupLineInterpolated($"model        {details.Model ?? "-"}");
            console.MarkupLineInterpolated($"gateway      {details.Gateway ?? "-"}");
            WriteTelemetryLine(console, details);
            return;
        }

        console.MarkupLine($"[bold]{Markup.Escape(device.Code)}[/]  {Name(device.Kind.ToString())} of {Markup.Escape(device.Tenant)}, {State(device.State)} (revision {device.Revision})");
        console.MarkupLineInterpolated($"model        {device.Model ?? "-"}");
        console.MarkupLineInterpolated($"location     {Location(device.Location)}");
        console.MarkupLineInterpolated($"gateway      {device.Gateway ?? "-"}");
        console.MarkupLineInterpolated($"firmware     {device.Firmware ?? "-"}");
        console.MarkupLineInterpolated($"tags         {Join(device.Tags)}");
        console.MarkupLineInterpolated($"capabilities {Join(device.Capabilities)}");
        console.MarkupLineInterpolated($"batch        {device.Batch ?? "-"}");
        console.MarkupLineInterpolated($"installed    {(device.InstalledAt is { } at ? $"{Time(at)} by {device.Installer ?? "?"}" : "-")}");
        WriteTelemetryLine(console, details);

        var history = new Table().Title("Lifecycle").AddColumns("At (UTC)", "From", "To", "By", "Reason");
        foreach (var step in device.History)
            history.AddRow(Time(step.At), step.From is { } from ? Name(from.ToString()) : "-", Name(step.To.ToString()), Markup.Escape(step.By), Markup.Escape(step.Reason));
        console.Write(history);
        WriteCredentials(console, details.Credentials);
    }

    public static void WriteCredentials(IAnsiConsole console, IReadOnlyList<CredentialSummary> credentials)
    {
        if (credentials.Count == 0)
        {
            console.MarkupLine("[grey]No credentials: the device cannot connect (civic devices credentials issue).[/]");
            return;
        }

        var table = new Table().Title("Credentials").AddColumns("Id", "Kind", "Issued (UTC)", "By", "Valid until (UTC)", "Status");
        foreach (var credential in credentials)
        {
            var status = credential.Active ? "[green]active[/]"
                : credential.RevokedAt is { } revoked ? $"[red]revoked[/] {Time(revoked)} by {Markup.Escape(credential.RevokedBy ?? "?")}: {Markup.Escape(credential.RevocationReason ?? string.Empty)}"
                : "[grey]expired[/]";
            table.AddRow(Markup.Escape(credential.Id), Name(credential.Kind.ToString()), Time(credential.IssuedAt), Markup.Escape(credential.IssuedBy), Time(credential.ValidUntil), status);
        }

        console.Write(table);
    }

    public static void WriteWarnings(IAnsiConsole console, IReadOnlyList<DuplicateWarning> warnings)
    {
        foreach (var warning in warnings)
            console.MarkupLineInterpolated($"[yellow]warning:[/] {warning.Message}");
    }

    public static void WriteBrokerStatus(IAnsiConsole console, BrokerStatus status)
    {
        var mode = status.Embedded ? "embedded" : "external";
        var authentication = status.Authentication ? "[green]devices authenticate against the ledger[/]" : "[red]open to anyone (lab)[/]";
        console.MarkupLine($"broker       {mode}, {(status.Tls ? "TLS" : "plain TCP")}, {authentication}");
        console.MarkupLineInterpolated($"sessions     {status.Sessions} device sessions open; {status.ConnectionsAccepted} connections accepted since start");
        console.MarkupLineInterpolated($"payloads     at most {status.MaxPayloadBytes} bytes");
        var table = new Table().AddColumns("Refused", "Reason", "Count");
        table.Columns[2].RightAligned();
        foreach (var (reason, count) in status.ConnectionsRefused)
            table.AddRow("connection", Markup.Escape(reason), count.ToString(CultureInfo.InvariantCulture));
        foreach (var (reason, count) in status.PublishesRefused)
            table.AddRow("message", Markup.Escape(reason), count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("subscription", "acl", status.SubscriptionsRefused.ToString(CultureInfo.InvariantCulture));
        table.AddRow("delivery", "acl", status.DeliveriesRefused.ToString(CultureInfo.InvariantCulture));
        table.AddRow("session cut", "revoked, decommissioned or expired", status.SessionsClosed.ToString(CultureInfo.InvariantCulture));
        foreach (var (reason, count) in status.HttpPasswordsRefused ?? new Dictionary<string, long>())
            table.AddRow("http device", Markup.Escape(reason), count.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        console.MarkupLineInterpolated($"http         device passwords: {status.HttpPasswordHashes} hashed, {status.HttpPasswordCacheHits} from the cache");
    }

    private static void WriteTelemetryLine(IAnsiConsole console, DeviceDetails details) =>
        console.MarkupLineInterpolated($"telemetry    {(details.FirstSeen is { } first ? $"first {Time(first)}, last {Time(details.LastSeen)}, {details.Readings} readings" : "none yet")}");

    private static string Location(DeviceLocation? location)
    {
        if (location is null)
            return "-";
        var parts = new List<string>();
        if (location is { Latitude: { } latitude, Longitude: { } longitude })
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{latitude:0.######}, {longitude:0.######}"));
        if (location.Address is { } address)
            parts.Add(address);
        if (location.PoleNumber is { } pole)
            parts.Add($"pole {pole}");
        if (location.District is { } district)
            parts.Add(district);
        return parts.Count == 0 ? "-" : string.Join(" — ", parts);
    }

    private static string State(LifecycleState? state) => state switch
    {
        null => "-",
        LifecycleState.InService => "[green]inService[/]",
        LifecycleState.Maintenance => "[yellow]maintenance[/]",
        LifecycleState.Decommissioned => "[grey]decommissioned[/]",
        _ => Name(state.Value.ToString()),
    };

    private static string Name(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal[1..];

    private static string Join(IReadOnlyList<string>? values) => values is { Count: > 0 } ? string.Join(", ", values) : "-";

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
}
