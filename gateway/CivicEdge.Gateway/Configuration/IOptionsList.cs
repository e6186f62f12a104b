using Microsoft.Extensions.Configuration;

namespace CivicEdge.Gateway.Configuration;

/// <summary>What <see cref="StrictBinding"/> needs of an <see cref="OptionsList{T}"/> without knowing its entry type.</summary>
internal interface IOptionsList
{
    /// <summary>Binds <paramref name="entry"/> onto a new entry appended to the list; problems go to <paramref name="failures"/>.</summary>
    void BindEntry(IConfigurationSection entry, List<string> failures);
}
