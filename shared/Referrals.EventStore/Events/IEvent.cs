namespace Referrals.EventStore;

/// <summary>An event as stored, with its metadata (Marten's <c>IEvent</c>).</summary>
public interface IEvent
{
    Guid Id { get; }
    Guid StreamId { get; }

    /// <summary>Position within the stream, counted from 1.</summary>
    long Version { get; }

    /// <summary>Global position across all streams (<c>seq_id</c>).</summary>
    long Sequence { get; }

    DateTimeOffset Timestamp { get; }
    string TenantId { get; }
    string EventTypeName { get; }
    string? DotNetTypeName { get; }
    string? CorrelationId { get; }
    string? CausationId { get; }
    IReadOnlyDictionary<string, string>? Headers { get; }
    Type EventType { get; }
    object Data { get; }
}

public interface IEvent<out T> : IEvent where T : notnull
{
    new T Data { get; }
}

internal sealed record StoredEvent<T>(
    Guid Id,
    Guid StreamId,
    long Version,
    long Sequence,
    DateTimeOffset Timestamp,
    string TenantId,
    string EventTypeName,
    string? DotNetTypeName,
    string? CorrelationId,
    string? CausationId,
    IReadOnlyDictionary<string, string>? Headers,
    T Data) : IEvent<T> where T : notnull
{
    public Type EventType => typeof(T);
    object IEvent.Data => Data;
}

internal static class StoredEvent
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Func<EventRow, object, IEvent>> Factories = new();

    public static IEvent Create(EventRow row, object data) =>
        Factories.GetOrAdd(data.GetType(), BuildFactory)(row, data);

    private static Func<EventRow, object, IEvent> BuildFactory(Type type)
    {
        var method = typeof(StoredEvent).GetMethod(nameof(CreateTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type);
        return method.CreateDelegate<Func<EventRow, object, IEvent>>();
    }

    private static IEvent CreateTyped<T>(EventRow row, object data) where T : notnull =>
        new StoredEvent<T>(row.Id, row.StreamId, row.Version, row.Sequence, row.Timestamp, row.TenantId, row.TypeName,
            row.DotNetType, row.CorrelationId, row.CausationId, row.Headers, (T)data);
}

/// <summary>The raw columns of one <c>mt_events</c> row.</summary>
internal sealed record EventRow(
    long Sequence,
    Guid Id,
    Guid StreamId,
    long Version,
    string Data,
    string TypeName,
    string? DotNetType,
    DateTimeOffset Timestamp,
    string TenantId,
    string? CorrelationId,
    string? CausationId,
    IReadOnlyDictionary<string, string>? Headers);

/// <summary>Current state of a stream (Marten's <c>StreamState</c>).</summary>
public sealed record StreamState(Guid Id, long Version, string? AggregateType, DateTimeOffset LastTimestamp, DateTimeOffset Created, bool IsArchived, string TenantId);
