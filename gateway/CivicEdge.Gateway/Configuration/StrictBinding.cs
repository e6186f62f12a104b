using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using CivicEdge.Hardware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// Binds the gateway's options classes (flat, or holding lists of flat entries) so that nothing is dropped silently.
/// The stock binder skips an array element it cannot convert (a device with <c>Unit=abc</c> would simply vanish),
/// ignores misspelt keys and knows only <c>00:00:05</c> for durations; here every such problem is a start-up error naming the key, and durations are also
/// accepted as profiles write them (<c>5s</c>, <c>500ms</c>, <c>1m</c>).
/// </summary>
/// <remarks>
/// It reads an options type's public properties by reflection, so every options type reaches it as an annotated type
/// argument (<see cref="DynamicallyAccessedMembersAttribute"/>) and lists of nested options as
/// <see cref="OptionsList{T}"/>: the trimmer and the Native AOT compiler then keep exactly those properties.
/// </remarks>
public static class StrictBinding
{
    /// <summary>The accepted forms of a duration, for error messages.</summary>
    public const string ExpectedDuration = "a duration such as 5s, 500ms, 1m or 00:00:05";

    /// <summary>Binds <paramref name="section"/> onto <paramref name="options"/>.</summary>
    /// <param name="section">The section to bind.</param>
    /// <param name="options">The options object to fill.</param>
    /// <param name="subsections">Child sections bound on their own into other options (e.g. <c>Http</c> and <c>Outbox</c> of <c>Gateway</c>), skipped here.</param>
    /// <exception cref="OptionsValidationException">A key is unknown or a value cannot be converted.</exception>
    public static void Bind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
        IConfigurationSection section, TOptions options, params string[] subsections)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(subsections);
        var failures = new List<string>();
        BindFlat(section, options, failures, subsections);
        if (failures.Count > 0)
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), failures);
    }

    /// <summary>Binds every element of the <c>Devices</c> and <c>Buses</c> arrays, each on its own so that one bad element is named, not skipped.</summary>
    /// <exception cref="OptionsValidationException">An element has an unknown key or a value that cannot be converted.</exception>
    public static void BindDevices(IConfiguration configuration, DevicesOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var element in configuration.GetSection(DevicesOptions.SectionName).GetChildren())
        {
            var device = new DeviceOptions();
            BindFlat(element, device, failures);
            options.Devices.Add(device);
        }

        foreach (var element in configuration.GetSection(DevicesOptions.BusesSectionName).GetChildren())
        {
            var bus = new BusOptions();
            BindFlat(element, bus, failures);
            options.Buses.Add(bus);
        }

        if (failures.Count > 0)
            throw new OptionsValidationException(Options.DefaultName, typeof(DevicesOptions), failures);
    }

    /// <summary>Parses a duration written either as profiles write it (<c>5s</c>) or as a time span (<c>00:00:05</c>).</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration) =>
        DurationText.TryParse(text?.Trim(), out duration)
        || TimeSpan.TryParseExact(text?.Trim(), "c", CultureInfo.InvariantCulture, out duration);

    /// <summary>Binds the keys of <paramref name="section"/> onto the public properties of <typeparamref name="TOptions"/>.</summary>
    internal static void BindFlat<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(
        IConfigurationSection section, TOptions options, List<string> failures, params string[] subsections)
        where TOptions : class
    {
        var properties = typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var child in section.GetChildren())
        {
            if (subsections.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                continue;
            var property = properties.Find(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                failures.Add($"{child.Path} is not a known key; expected one of {string.Join(", ", properties.Select(p => $"{section.Path}:{p.Name}").Concat(subsections.Select(name => $"{section.Path}:{name}")))}.");
                continue;
            }

            if (property.PropertyType.IsAssignableTo(typeof(IOptionsList)))
            {
                BindEntries(child, (IOptionsList)property.GetValue(options)!, failures);
                continue;
            }

            if (property.PropertyType == typeof(List<string>))
            {
                BindTexts(child, (List<string>)property.GetValue(options)!);
                continue;
            }

            if (child.Value is null)
            {
                // A key without a value is absent, unless it holds nested keys where a single value belongs.
                if (child.GetChildren().Any())
                    failures.Add($"{child.Path} has nested keys; expected a single value.");
                continue;
            }

            if (TryConvert(child.Value, property.PropertyType, out var value, out var expected))
                property.SetValue(options, value);
            else
                failures.Add($"{child.Path} is '{child.Value}'; expected {expected}.");
        }
    }

    /// <summary>
    /// Binds a list of nested options (<c>Gpio:Doors:0:Pin</c>), each entry on its own so that a bad one is named
    /// rather than skipped; entries keep the order of their indexes.
    /// </summary>
    private static void BindEntries(IConfigurationSection array, IOptionsList list, List<string> failures)
    {
        if (array.Value is not null)
        {
            failures.Add($"{array.Path} is '{array.Value}'; expected a list of entries ({array.Path}:0:...).");
            return;
        }

        foreach (var entry in array.GetChildren())
        {
            if (!int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                failures.Add($"{entry.Path} is not an entry of the list; expected {array.Path}:0, {array.Path}:1, ...");
                continue;
            }

            list.BindEntry(entry, failures);
        }
    }

    /// <summary>A list of texts, written as entries (<c>Rules:Files:0</c>) or as one value separated by commas or semicolons.</summary>
    private static void BindTexts(IConfigurationSection section, List<string> list)
    {
        var texts = section.Value is { } single
            ? single.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(t => t.Length > 0);
        list.AddRange(texts);
    }

    private static bool TryConvert(string text, Type type, out object? value, out string expected)
    {
        switch (Nullable.GetUnderlyingType(type) ?? type)
        {
            case var t when t == typeof(string):
                (value, expected) = (text, string.Empty);
                return true;
            case var t when t == typeof(int):
                expected = "a whole number";
                var isInt = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number);
                value = number;
                return isInt;
            case var t when t == typeof(double):
                expected = "a number such as 10 or 0.5";
                var isNumber = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real);
                value = real;
                return isNumber;
            case var t when t == typeof(bool):
                expected = "true or false";
                var isBool = bool.TryParse(text, out var flag);
                value = flag;
                return isBool;
            case var t when t == typeof(TimeSpan):
                expected = ExpectedDuration;
                var isDuration = TryParseDuration(text, out var duration);
                value = duration;
                return isDuration;
            default:
                throw new ArgumentException($"Options of type {type} cannot be bound by {nameof(StrictBinding)}.", nameof(type));
        }
    }
}
