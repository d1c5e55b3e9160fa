namespace Referrals.EventStore;

public enum ProjectionLifecycle
{
    /// <summary>Updated in the same transaction as the append.</summary>
    Inline,

    /// <summary>Updated by the async daemon, which follows the global sequence up to the high-water mark.</summary>
    Async,
}

/// <summary>Document reads and writes available to a projection inside its transaction.</summary>
public interface IProjectionContext
{
    string TenantId { get; }

    /// <summary>
    /// True when the events are applied in the transaction that appended them. That transaction holds each appended
    /// stream's row lock until it ends, so documents keyed by one stream have no other writer meanwhile.
    /// </summary>
    bool Inline { get; }

    /// <summary>Loads documents for update (locked until the transaction ends, including ids with no document yet).</summary>
    Task<IReadOnlyDictionary<string, T>> LoadManyForUpdateAsync<T>(IReadOnlyCollection<string> ids, CancellationToken ct) where T : class;

    /// <summary>Loads documents without locking them: only for documents the transaction already guards.</summary>
    Task<IReadOnlyDictionary<string, T>> LoadManyAsync<T>(IReadOnlyCollection<string> ids, CancellationToken ct) where T : class;

    void Store<T>(T document) where T : class;

    void Delete<T>(string id) where T : class;
}

/// <summary>A projection turns events into documents. Events arrive in global sequence order.</summary>
public interface IProjection
{
    string Name { get; }

    IReadOnlyCollection<Type> DocumentTypes { get; }

    bool Handles(Type eventType);

    Task ApplyAsync(IProjectionContext context, IReadOnlyList<IEvent> events, CancellationToken ct);
}

/// <summary>One document per stream, keyed by the stream id (Marten's SingleStreamProjection).</summary>
public class SingleStreamProjection<TDoc> : IProjection where TDoc : class
{
    private readonly Aggregator<TDoc> _aggregator;

    public SingleStreamProjection(string? name = null)
    {
        _aggregator = new Aggregator<TDoc>(GetType() == typeof(SingleStreamProjection<TDoc>) ? null : this);
        Name = name ?? typeof(TDoc).Name;
    }

    public string Name { get; }

    public IReadOnlyCollection<Type> DocumentTypes => [typeof(TDoc)];

    public bool Handles(Type eventType) => _aggregator.Handles(eventType);

    public async Task ApplyAsync(IProjectionContext context, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var relevant = events.Where(e => _aggregator.Handles(e.EventType)).ToList();
        if (relevant.Count == 0)
        {
            return;
        }

        IReadOnlyDictionary<string, TDoc> existing;
        if (context.Inline)
        {
            // The appending transaction holds these streams' row locks, so no document lock is needed; and a stream
            // that starts in these events (its first version is among them) has no document to read.
            var started = events.Where(e => e.Version == 1).Select(e => e.StreamId).ToHashSet();
            var toRead = relevant.Select(e => e.StreamId).Where(id => !started.Contains(id)).Distinct().Select(id => DocumentMapping.FormatId(id)).ToList();
            existing = toRead.Count == 0 ? new Dictionary<string, TDoc>() : await context.LoadManyAsync<TDoc>(toRead, ct);
        }
        else
        {
            existing = await context.LoadManyForUpdateAsync<TDoc>(relevant.Select(e => DocumentMapping.FormatId(e.StreamId)).Distinct().ToList(), ct);
        }

        foreach (var group in relevant.GroupBy(e => e.StreamId))
        {
            var id = DocumentMapping.FormatId(group.Key);
            var doc = existing.GetValueOrDefault(id);
            var hadDocument = doc is not null;
            foreach (var e in group)
            {
                doc = _aggregator.Apply(doc, e);
                if (doc is not null)
                {
                    doc = VersionStamp.Set(doc, e.Version);
                }
            }

            if (doc is not null)
            {
                if (DocumentMapping.FormatId(doc.GetType().GetProperty("Id")?.GetValue(doc) ?? string.Empty) != id)
                {
                    throw new EventStoreException($"{typeof(TDoc).Name}.Id must be the stream id ({id}).");
                }

                context.Store(doc);
            }
            else if (hadDocument)
            {
                context.Delete<TDoc>(id);
            }
        }
    }
}

/// <summary>Documents fed by events from many streams, grouped by an identity taken from each event.</summary>
public abstract class MultiStreamProjection<TDoc, TId> : IProjection where TDoc : class where TId : notnull
{
    private readonly Dictionary<Type, Func<object, IEnumerable<TId>>> _identities = [];
    private Aggregator<TDoc>? _aggregator;

    protected MultiStreamProjection(string? name = null) => Name = name ?? typeof(TDoc).Name;

    public string Name { get; }

    public IReadOnlyCollection<Type> DocumentTypes => [typeof(TDoc)];

    private Aggregator<TDoc> Aggregator => _aggregator ??= new Aggregator<TDoc>(this);

    protected void Identity<TEvent>(Func<TEvent, TId> identity) => _identities[typeof(TEvent)] = e => [identity((TEvent)e)];

    protected void Identities<TEvent>(Func<TEvent, IEnumerable<TId>> identities) => _identities[typeof(TEvent)] = e => identities((TEvent)e);

    public bool Handles(Type eventType) => _identities.ContainsKey(eventType) && Aggregator.Handles(eventType);

    public async Task ApplyAsync(IProjectionContext context, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var routed = new List<(string Id, IEvent Event)>();
        foreach (var e in events)
        {
            if (_identities.TryGetValue(e.EventType, out var identity) && Aggregator.Handles(e.EventType))
            {
                routed.AddRange(identity(e.Data).Select(id => (DocumentMapping.FormatId(id), e)));
            }
        }

        if (routed.Count == 0)
        {
            return;
        }

        var existing = await context.LoadManyForUpdateAsync<TDoc>(routed.Select(r => r.Id).Distinct().ToList(), ct);
        foreach (var group in routed.GroupBy(r => r.Id))
        {
            var doc = existing.GetValueOrDefault(group.Key);
            var hadDocument = doc is not null;
            foreach (var (_, e) in group)
            {
                doc = Aggregator.Apply(doc, e);
            }

            if (doc is not null)
            {
                context.Store(doc);
            }
            else if (hadDocument)
            {
                context.Delete<TDoc>(group.Key);
            }
        }
    }
}

internal static class VersionStamp
{
    public static T Set<T>(T document, long version) where T : class
    {
        var property = typeof(T).GetProperty("Version");
        if (property is null || property.PropertyType != typeof(long) || !property.CanWrite)
        {
            return document;
        }

        property.SetValue(document, version);
        return document;
    }
}

internal sealed record ProjectionRegistration(IProjection Projection, ProjectionLifecycle Lifecycle);

/// <summary>The store's projections (Marten's <c>opts.Projections</c>).</summary>
public sealed class ProjectionRegistry
{
    private readonly List<ProjectionRegistration> _registrations = [];

    /// <summary>A self-aggregating document: its own Create/Apply methods build it, one per stream.</summary>
    public ProjectionRegistry Snapshot<TDoc>(ProjectionLifecycle lifecycle, string? name = null) where TDoc : class =>
        Add(new SingleStreamProjection<TDoc>(name), lifecycle);

    public ProjectionRegistry Add(IProjection projection, ProjectionLifecycle lifecycle)
    {
        if (_registrations.Any(r => r.Projection.Name == projection.Name))
        {
            throw new EventStoreException($"A projection named '{projection.Name}' is already registered.");
        }

        _registrations.Add(new ProjectionRegistration(projection, lifecycle));
        return this;
    }

    internal IReadOnlyList<ProjectionRegistration> All => _registrations;

    internal IEnumerable<IProjection> Inline => _registrations.Where(r => r.Lifecycle == ProjectionLifecycle.Inline).Select(r => r.Projection);

    internal IEnumerable<IProjection> Async => _registrations.Where(r => r.Lifecycle == ProjectionLifecycle.Async).Select(r => r.Projection);
}
