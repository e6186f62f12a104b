using System.Globalization;
using CivicEdge.Fleet.Contracts.Commands;
using Spectre.Console;

namespace CivicEdge.Fleet.Cli.Commands;

/// <summary>Commands as tables for people.</summary>
public static class CommandOutput
{
    public static void WriteList(IAnsiConsole console, IReadOnlyList<CommandRecord> commands)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0)
        {
            console.MarkupLine("No commands.");
            return;
        }

        var table = new Table().AddColumns("Command", "Target", "Via", "Name", "State", "Created (UTC)", "Result or reason");
        foreach (var command in commands)
        {
            table.AddRow(
                Markup.Escape(command.Id),
                Markup.Escape(command.Target),
                Markup.Escape(command.Addressee == command.Target ? "-" : command.Addressee),
                Markup.Escape(command.Name),
                State(command.State),
                command.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(Outcome(command)));
        }

        console.Write(table);
    }

    public static void WriteOne(IAnsiConsole console, CommandRecord command)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(command);
        console.MarkupLine($"[bold]{Markup.Escape(command.Id)}[/]  {Markup.Escape(command.Name)} {Markup.Escape(command.Arguments.GetRawText())} for {Markup.Escape(command.Target)}: {State(command.State)}");
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("via", Markup.Escape(command.Addressee));
        grid.AddRow("sent by", Markup.Escape(command.SentBy));
        grid.AddRow("created", Time(command.CreatedAt));
        grid.AddRow("expires", Time(command.ExpiresAt));
        grid.AddRow("sent", command.SentAt is { } sent ? Time(sent) : "-");
        grid.AddRow("completed", command.CompletedAt is { } completed ? Time(completed) : "-");
        grid.AddRow("result", Markup.Escape(command.Result?.GetRawText() ?? "-"));
        grid.AddRow("reason", Markup.Escape(command.Reason ?? "-"));
        console.Write(grid);
    }

    private static string Outcome(CommandRecord command) =>
        command.Reason ?? command.Result?.GetRawText() ?? (command.IsFinal ? string.Empty : $"expires {command.ExpiresAt.UtcDateTime:HH:mm:ss}");

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture);

    private static string State(CommandState state)
    {
        var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(state.ToString());
        return state switch
        {
            CommandState.Succeeded => $"[green]{name}[/]",
            CommandState.Queued or CommandState.Sent => $"[yellow]{name}[/]",
            CommandState.Cancelled => name,
            _ => $"[red]{name}[/]",
        };
    }
}
