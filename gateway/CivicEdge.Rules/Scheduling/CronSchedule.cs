using System.Globalization;

namespace CivicEdge.Rules.Scheduling;

/// <summary>
/// A five-field cron expression (minute hour day-of-month month day-of-week, as in crontab(5)) evaluated in a time zone.
/// Fields take <c>*</c>, numbers, ranges <c>1-5</c>, lists <c>1,15</c>, steps <c>*/15</c> or <c>8-18/2</c>, and month and
/// weekday names (<c>jan</c>, <c>mon</c>); 0 and 7 are both Sunday. As in crontab(5), when both day fields are
/// restricted a day matches if either does.
/// </summary>
public sealed class CronSchedule
{
    /// <summary>The accepted form, for error messages.</summary>
    public const string Expected = "five fields: minute hour day-of-month month day-of-week, e.g. \"30 1 * * *\" or \"*/15 6-22 * * mon-fri\"";

    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    private const int SearchDays = 366 * 8;

    private readonly bool[] _minutes = new bool[60];
    private readonly bool[] _hours = new bool[24];
    private readonly bool[] _days = new bool[32];
    private readonly bool[] _months = new bool[13];
    private readonly bool[] _weekdays = new bool[7];
    private readonly bool _anyDay;
    private readonly bool _anyWeekday;

    private CronSchedule(string text, TimeZoneInfo timeZone, string[] fields)
    {
        Text = text;
        TimeZone = timeZone;
        Field(fields[0], "minute", 0, 59, null, _minutes);
        Field(fields[1], "hour", 0, 23, null, _hours);
        _anyDay = Field(fields[2], "day of month", 1, 31, null, _days);
        Field(fields[3], "month", 1, 12, MonthNames, _months);
        var weekdays = new bool[8];
        _anyWeekday = Field(fields[4], "day of week", 0, 7, DayNames, weekdays);
        for (var d = 0; d < 7; d++)
            _weekdays[d] = weekdays[d] || (d == 0 && weekdays[7]);
    }

    public string Text { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The text is not a cron expression; the message names the field.</exception>
    public static CronSchedule Parse(string text, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(timeZone);
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
            throw new FormatException($"expected {Expected}; found {fields.Length} field(s) in \"{text}\"");
        return new CronSchedule(text, timeZone, fields);
    }

    /// <summary>
    /// The first time after <paramref name="after"/> that matches, or null if none in eight years (e.g. 30 February).
    /// A local time skipped by a daylight-saving change does not happen that day; a repeated one happens once, the first
    /// time.
    /// </summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var local = TimeZoneInfo.ConvertTime(after, TimeZone).DateTime;
        var start = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var day = start.Date;
        for (var i = 0; i < SearchDays; i++, day = day.AddDays(1))
        {
            if (!_months[day.Month] || !DayMatches(day))
                continue;
            for (var hour = day == start.Date ? start.Hour : 0; hour < 24; hour++)
            {
                if (!_hours[hour])
                    continue;
                var firstMinute = day == start.Date && hour == start.Hour ? start.Minute : 0;
                for (var minute = firstMinute; minute < 60; minute++)
                {
                    if (!_minutes[minute])
                        continue;
                    var candidate = day.AddHours(hour).AddMinutes(minute);
                    if (TimeZone.IsInvalidTime(candidate))
                        continue;
                    var offset = TimeZone.IsAmbiguousTime(candidate)
                        ? TimeZone.GetAmbiguousTimeOffsets(candidate).Max()
                        : TimeZone.GetUtcOffset(candidate);
                    var at = new DateTimeOffset(candidate, offset);
                    if (at > after)
                        return at;
                }
            }
        }
        return null;
    }

    public override string ToString() => Text;

    private bool DayMatches(DateTime day)
    {
        var byDate = _days[day.Day];
        var byWeekday = _weekdays[(int)day.DayOfWeek];
        if (_anyDay)
            return byWeekday;
        if (_anyWeekday)
            return byDate;
        return byDate || byWeekday;
    }

    /// <summary>Fills <paramref name="set"/> from one field; true when the field is <c>*</c> (unrestricted).</summary>
    private static bool Field(string text, string name, int min, int max, string[]? names, bool[] set)
    {
        foreach (var part in text.Split(','))
        {
            var step = 1;
            var range = part;
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!int.TryParse(part.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
                    throw new FormatException($"{name} field '{text}': expected a step of at least 1 after '/'; found '{part[(slash + 1)..]}'");
                range = part[..slash];
            }

            int low, high;
            if (range == "*")
            {
                (low, high) = (min, max);
            }
            else
            {
                var dash = range.IndexOf('-', StringComparison.Ordinal);
                low = Value(dash >= 0 ? range[..dash] : range, text, name, min, max, names);
                high = dash >= 0 ? Value(range[(dash + 1)..], text, name, min, max, names) : (slash >= 0 ? max : low);
                if (high < low)
                    throw new FormatException($"{name} field '{text}': expected a range from low to high; found '{range}'");
            }
            for (var v = low; v <= high; v += step)
                set[v] = true;
        }
        return text == "*";
    }

    private static int Value(string text, string field, string name, int min, int max, string[]? names)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        var index = names is null ? -1 : Array.IndexOf(names, text.ToLowerInvariant());
        if (index >= 0)
            return index + (names == MonthNames ? 1 : 0);
        var allowed = names is null ? $"{min}-{max}" : $"{min}-{max} or {names[0]}-{names[^1]}";
        throw new FormatException($"{name} field '{field}': expected {allowed}; found '{text}'");
    }
}
