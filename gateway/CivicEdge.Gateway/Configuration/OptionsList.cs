using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// A list of nested options in a section (<c>Gpio:Doors:0:Pin</c>, <c>Gpio:Doors:1:Pin</c>, ...), which
/// <see cref="StrictBinding"/> fills entry by entry. The entry type is a type argument here rather than something read
/// from the property by reflection, so the trimmer and the Native AOT compiler see which options types are created and
/// keep their properties.
/// </summary>
/// <typeparam name="T">The options of one entry.</typeparam>
public sealed class OptionsList<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T> : Collection<T>, IOptionsList
    where T : class, new()
{
    void IOptionsList.BindEntry(IConfigurationSection entry, List<string> failures)
    {
        var options = new T();
        StrictBinding.BindFlat(entry, options, failures);
        Add(options);
    }
}
