using System.Reflection;
using System.Runtime.CompilerServices;

namespace CivicEdge.Firmware.Core.Tests.Subset;

/// <summary>
/// What the banned-API analyzer cannot see, because it is a compiler feature rather than a symbol, found in a compiled
/// assembly: generic type and method definitions, records, init-only setters, async methods and multidimensional
/// arrays. nanoFramework's metadata processor or runtime refuses each of them.
/// </summary>
internal static class SubsetViolations
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>One line per violation, naming the type or member and what is wrong with it.</summary>
    public static List<string> In(IEnumerable<Type> types)
    {
        var found = new List<string>();
        foreach (var type in types)
            Check(type, found);
        return found;
    }

    private static void Check(Type type, List<string> found)
    {
        if (type.IsGenericTypeDefinition)
            found.Add($"{type.FullName}: generic type definition");

        foreach (var field in type.GetFields(Declared))
            CheckArrays(field.FieldType, $"{type.FullName}.{field.Name} (field)", found);

        foreach (var property in type.GetProperties(Declared))
        {
            CheckArrays(property.PropertyType, $"{type.FullName}.{property.Name} (property)", found);
            if (property.SetMethod?.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == typeof(IsExternalInit).FullName) == true)
                found.Add($"{type.FullName}.{property.Name}: init-only setter");
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            var name = $"{type.FullName}.{method.Name}";
            if (method.IsGenericMethodDefinition)
                found.Add($"{name}: generic method definition");
            if (method.Name == "<Clone>$")
                found.Add($"{type.FullName}: record (it has the compiler's <Clone>$ method)");
            if (method.IsDefined(typeof(AsyncStateMachineAttribute), inherit: false) || method.IsDefined(typeof(AsyncIteratorStateMachineAttribute), inherit: false))
                found.Add($"{name}: async method");
            if (method is MethodInfo info)
                CheckArrays(info.ReturnType, $"{name} (return)", found);
            foreach (var parameter in method.GetParameters())
                CheckArrays(parameter.ParameterType, $"{name} (parameter {parameter.Name})", found);
        }
    }

    private static void CheckArrays(Type type, string where, List<string> found)
    {
        for (var current = type; current is not null; current = current.HasElementType ? current.GetElementType() : null)
        {
            if (current.IsArray && (current.GetArrayRank() > 1 || current.IsVariableBoundArray))
            {
                found.Add($"{where}: multidimensional array {type.Name} (use a jagged array)");
                return;
            }
        }
    }
}
