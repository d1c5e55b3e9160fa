using System.Collections.Concurrent;
using System.Text;

namespace Referrals.EventStore;

/// <summary>
/// Maps event types to their stored alias (snake_case of the type name, as Marten does) and back.
/// Types are registered up front or on first append; the stored .NET type name is the fallback on read.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly ConcurrentDictionary<Type, string> _aliases = new();
    private readonly ConcurrentDictionary<string, Type> _types = new(StringComparer.Ordinal);

    public EventTypeRegistry Add<T>() => Add(typeof(T));

    public EventTypeRegistry Add(Type type)
    {
        var alias = ToAlias(type);
        _aliases[type] = alias;
        if (_types.TryGetValue(alias, out var existing) && existing != type)
        {
            throw new EventStoreException($"Event types {existing.FullName} and {type.FullName} share the alias '{alias}'.");
        }

        _types[alias] = type;
        return this;
    }

    /// <summary>Registers every concrete record/class in the assembly whose namespace starts with the given prefix.</summary>
    public EventTypeRegistry AddFromNamespaceOf<TMarker>(Func<Type, bool>? filter = null)
    {
        var ns = typeof(TMarker).Namespace!;
        foreach (var type in typeof(TMarker).Assembly.GetTypes())
        {
            if (type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false, IsNested: false } &&
                !type.Name.Contains('<', StringComparison.Ordinal) &&
                !type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false) &&
                type.Namespace?.StartsWith(ns, StringComparison.Ordinal) == true &&
                (filter?.Invoke(type) ?? true))
            {
                Add(type);
            }
        }

        return this;
    }

    public string AliasFor(Type type) => _aliases.TryGetValue(type, out var alias) ? alias : Add(type)._aliases[type];

    public Type? Resolve(string alias, string? dotNetType)
    {
        if (_types.TryGetValue(alias, out var type))
        {
            return type;
        }

        if (dotNetType is null)
        {
            return null;
        }

        var resolved = Type.GetType(dotNetType, throwOnError: false);
        if (resolved is not null)
        {
            Add(resolved);
        }

        return resolved;
    }

    public static string DotNetTypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    public static string ToAlias(Type type)
    {
        var name = type.Name;
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
