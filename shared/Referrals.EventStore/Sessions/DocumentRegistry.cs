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

    /// <summary>Computed indexes over <c>data</c>, created by the migration (Marten's <c>Index(x => ...)</c>).</summary>
    public IReadOnlyList<DocumentIndex> Indexes => _indexes;

    private readonly List<DocumentIndex> _indexes = [];

    internal void AddIndex(string name, string expressions, string? where)
    {
        var index = new DocumentIndex(name, expressions, where, DocumentIndex.PhysicalNameOf(TableName, name, expressions, where));
        if (index.PhysicalName.Length > 63)
        {
            throw new EventStoreException($"Index {name} on {TableName} would be named {index.PhysicalName}, longer than PostgreSQL's 63 characters.");
        }

        if (_indexes.Find(i => i.Name == index.Name) is { } existing && existing != index)
        {
            throw new EventStoreException($"{DocumentType.Name} already has a different index named {index.Name}.");
        }

        if (!_indexes.Contains(index))
        {
            _indexes.Add(index);
        }
    }

    public string IdOf(object document) => _id(document);

    public static string FormatId(object id) =>
        Convert.ToString(id, System.Globalization.CultureInfo.InvariantCulture) ?? throw new ArgumentNullException(nameof(id));
}

/// <summary>The document types a store knows; their tables are created by the migration.</summary>
public sealed partial class DocumentRegistry
{
    private readonly ConcurrentDictionary<Type, DocumentMapping> _mappings = new();

    public DocumentRegistry Add<T>() => Add(typeof(T));

    public DocumentRegistry Add(Type type)
    {
        _mappings.GetOrAdd(type, t => new DocumentMapping(t));
        return this;
    }

    /// <summary>
    /// A computed index on the documents of type T: <c>tenant_id</c>, then each of <paramref name="expressions"/> (SQL
    /// over <c>data</c>; none for an index that only narrows to its predicate), only over the rows matching
    /// <paramref name="where"/> if given. Queries use it when their conditions repeat the expressions exactly. The
    /// migration creates it, replaces it when its definition changes, and drops the computed indexes no longer declared.
    /// </summary>
    public DocumentRegistry Index<T>(string name, IReadOnlyList<string> expressions, string? where = null)
    {
        if (!IndexName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a safe index name.", nameof(name));
        }

        _mappings.GetOrAdd(typeof(T), t => new DocumentMapping(t)).AddIndex(name, string.Concat(expressions.Select(e => $", ({e})")), where);
        return this;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][a-z0-9_]{0,30}$")]
    private static partial System.Text.RegularExpressions.Regex IndexName();

    public DocumentMapping For(Type type) => _mappings.TryGetValue(type, out var mapping)
        ? mapping
        : throw new EventStoreException($"Document type {type.Name} is not registered with the store.");

    public DocumentMapping For<T>() => For(typeof(T));

    internal IEnumerable<DocumentMapping> All => _mappings.Values;
}

/// <summary>
/// A computed index on a document table: its declared name, its expressions after <c>tenant_id</c> (as SQL, each after a
/// comma), an optional predicate, and its name in the database, which carries a hash of the definition so that a changed
/// definition is a new index rather than one silently kept.
/// </summary>
public sealed record DocumentIndex(string Name, string Expressions, string? Where, string PhysicalName)
{
    /// <summary>Every computed index on a table is named with this prefix, so the migration can find those no longer declared.</summary>
    public static string PrefixFor(string tableName) => $"cx_{tableName}_";

    internal static string PhysicalNameOf(string tableName, string name, string expressions, string? where)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(expressions + "\n" + where));
        return $"{PrefixFor(tableName)}{name}_{Convert.ToHexStringLower(hash)[..8]}";
    }
}
