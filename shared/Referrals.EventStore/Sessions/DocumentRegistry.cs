using System.Collections.Concurrent;
using System.Reflection;

namespace Referrals.EventStore;

/// <summary>How one document type is stored: its table and identity (the <c>Id</c> property, Guid or string).</summary>
public sealed class DocumentMapping
{
    private readonly Func<object, string> _id;

    internal DocumentMapping(Type type)
    {
        DocumentType = type;
        TableName = "mt_doc_" + EventTypeRegistry.ToAlias(type);
        var idProperty = type.GetProperty("Id", BindingFlags.Public | BindingFlags.Instance)
            ?? throw new EventStoreException($"Document type {type.Name} needs a public Id property.");
        _id = doc => Convert.ToString(idProperty.GetValue(doc), System.Globalization.CultureInfo.InvariantCulture)
            ?? throw new EventStoreException($"Document {type.Name} has no Id.");
        VersionProperty = type.GetProperty("Version", BindingFlags.Public | BindingFlags.Instance) is { } version &&
                          version.PropertyType == typeof(long) && version.CanWrite
            ? version
            : null;
    }

    public Type DocumentType { get; }
    public string TableName { get; }
    internal PropertyInfo? VersionProperty { get; }

    public string IdOf(object document) => _id(document);

    public static string FormatId(object id) =>
        Convert.ToString(id, System.Globalization.CultureInfo.InvariantCulture) ?? throw new ArgumentNullException(nameof(id));
}

/// <summary>The document types a store knows; their tables are created by the migration.</summary>
public sealed class DocumentRegistry
{
    private readonly ConcurrentDictionary<Type, DocumentMapping> _mappings = new();

    public DocumentRegistry Add<T>() => Add(typeof(T));

    public DocumentRegistry Add(Type type)
    {
        _mappings.GetOrAdd(type, t => new DocumentMapping(t));
        return this;
    }

    public DocumentMapping For(Type type) => _mappings.TryGetValue(type, out var mapping)
        ? mapping
        : throw new EventStoreException($"Document type {type.Name} is not registered with the store.");

    public DocumentMapping For<T>() => For(typeof(T));

    internal IEnumerable<DocumentMapping> All => _mappings.Values;
}
