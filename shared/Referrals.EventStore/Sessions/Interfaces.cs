namespace Referrals.EventStore;

/// <summary>Read-only access to events (Marten's <c>IQueryEventStore</c>).</summary>
public interface IQueryEventOperations
{
    /// <summary>The stream's events in version order, optionally up to <paramref name="version"/> or after <paramref name="fromVersion"/>.</summary>
    Task<IReadOnlyList<IEvent>> FetchStreamAsync(Guid streamId, long version = 0, long fromVersion = 0, CancellationToken ct = default);

    Task<StreamState?> FetchStreamStateAsync(Guid streamId, CancellationToken ct = default);

    /// <summary>Live left-fold of the stream by the aggregate's Create/Apply conventions, optionally up to a version.</summary>
    Task<T?> AggregateStreamAsync<T>(Guid streamId, long version = 0, CancellationToken ct = default) where T : class;

    /// <summary>Live left-fold with an explicit fold function.</summary>
    Task<TState> AggregateStreamAsync<TState>(Guid streamId, TState initial, Func<TState, IEvent, TState> fold, CancellationToken ct = default);

    /// <summary>Events of every stream in global order, after a sequence number (for tooling and tests).</summary>
    Task<IReadOnlyList<IEvent>> FetchAllAsync(long afterSequence, int limit, CancellationToken ct = default);
}

/// <summary>Appends and command-handler helpers (Marten's <c>IEventStore</c>).</summary>
public interface IEventOperations : IQueryEventOperations
{
    /// <summary>Queues a new stream; SaveChanges fails with <see cref="ExistingStreamIdCollisionException"/> if the id is taken.</summary>
    Guid StartStream<TAggregate>(Guid streamId, params object[] events) where TAggregate : class;

    Guid StartStream(Guid streamId, params object[] events);

    /// <summary>Queues a new stream with a fresh version-7 id.</summary>
    Guid StartStream<TAggregate>(params object[] events) where TAggregate : class;

    /// <summary>Appends; the stream is created if missing.</summary>
    void Append(Guid streamId, params object[] events);

    /// <summary>
    /// Appends with optimistic concurrency. As in Marten, <paramref name="expectedVersion"/> is the stream's version
    /// <b>after</b> this append: appending 2 events to a stream at version 3 expects 5.
    /// </summary>
    void Append(Guid streamId, long expectedVersion, params object[] events);

    /// <summary>Reads and folds the stream, remembering its version; SaveChanges asserts it is unchanged.</summary>
    Task<IEventStream<T>> FetchForWriting<T>(Guid streamId, CancellationToken ct = default) where T : class;

    /// <summary>As <see cref="FetchForWriting{T}(Guid, CancellationToken)"/>, and fails at once unless the stream is at <paramref name="expectedVersion"/>.</summary>
    Task<IEventStream<T>> FetchForWriting<T>(Guid streamId, long expectedVersion, CancellationToken ct = default) where T : class;

    /// <summary>Locks the stream row (<c>SELECT … FOR UPDATE</c>) until SaveChanges commits, so writers queue instead of conflicting.</summary>
    Task<IEventStream<T>> FetchForExclusiveWriting<T>(Guid streamId, CancellationToken ct = default) where T : class;

    /// <summary>Marks the stream archived: readable, but closed to appends.</summary>
    void ArchiveStream(Guid streamId);
}

/// <summary>A stream fetched for writing: its current aggregate and the version it was read at.</summary>
public interface IEventStream<out T> where T : class
{
    Guid Id { get; }

    T? Aggregate { get; }

    /// <summary>The version read; 0 for a new stream.</summary>
    long StartingVersion { get; }

    /// <summary>The version after the events appended so far in this session.</summary>
    long CurrentVersion { get; }

    void AppendOne(object @event);

    void AppendMany(IEnumerable<object> events);
}

/// <summary>Integration messages written in the same transaction as the events, delivered later by the relay.</summary>
public interface IOutboxOperations
{
    /// <summary>
    /// Queues a message for publishing. <paramref name="sourceStreamId"/> names the stream whose events caused it; the
    /// stored row records that stream's version at commit, so per-stream order holds and consumers can see duplicates.
    /// Returns the MessageId, which every re-send keeps.
    /// </summary>
    Guid Publish(object message, Guid? sourceStreamId, Guid? messageId = null);

    /// <summary>Queues a message sent to one queue (<c>queue:name</c>) rather than published.</summary>
    Guid Send(object message, string destinationQueue, Guid? sourceStreamId, Guid? messageId = null);
}

/// <summary>Idempotent inbox: a message id is applied at most once per consumer, in the session's transaction.</summary>
public interface IInboxOperations
{
    /// <summary>Claims the message for the consumer. False means it was already applied: skip it.</summary>
    Task<bool> TryClaimAsync(string consumer, Guid messageId, CancellationToken ct = default);
}

/// <summary>Durable timers: the stand-in for a delayed-message broker plugin.</summary>
public interface ITimerOperations
{
    /// <summary>
    /// Schedules <paramref name="message"/> to be published at <paramref name="dueAt"/>. The key makes it idempotent:
    /// scheduling an existing key (even one that already fired) does nothing.
    /// </summary>
    void Schedule(string key, DateTimeOffset dueAt, object message, Guid? sourceStreamId = null);

    /// <summary>Cancels a timer that has not fired yet. Cancelling twice, or after it fired, does nothing.</summary>
    void Cancel(string key);
}

public interface IQuerySession : IAsyncDisposable
{
    string TenantId { get; }

    IQueryEventOperations Events { get; }

    Task<T?> LoadAsync<T>(object id, CancellationToken ct = default) where T : class;

    Task<IReadOnlyList<T>> LoadManyAsync<T>(IEnumerable<object> ids, CancellationToken ct = default) where T : class;

    /// <summary>
    /// Documents of this tenant matching a SQL condition over the <c>data</c> jsonb column, with <c>?</c> placeholders
    /// (<c>??</c> for a literal question mark, as in a jsonpath filter),
    /// e.g. <c>QueryAsync&lt;Referral&gt;("data->>'status' = ? order by data->>'submittedAt'", "Submitted")</c>.
    /// </summary>
    Task<IReadOnlyList<T>> QueryAsync<T>(string condition, params object?[] parameters) where T : class;

    Task<IReadOnlyList<T>> QueryAsync<T>(string condition, object?[] parameters, CancellationToken ct) where T : class;

    /// <summary>
    /// Several scalar queries over the matching documents of this tenant, in one statement and one round trip, each as text.
    /// Each query reads <c>document</c>: the matching rows' <c>id</c> and <c>data</c>, and the fields (name → expression
    /// over <c>data</c>), e.g. <c>select count(*) from document where escalated</c>. Each query is planned on its own, so
    /// it can use a computed index on the fields' expressions (<see cref="DocumentRegistry.Index{T}"/>) instead of reading
    /// every document. Placeholders take the parameters in the order fields, condition, queries. Only for documents that
    /// hold no personal data: the values are not decrypted.
    /// </summary>
    Task<IReadOnlyList<string?>> ScalarsAsync<T>(IReadOnlyDictionary<string, string> fields, IReadOnlyList<string> queries, string condition,
        object?[] parameters, CancellationToken ct) where T : class;
}

/// <summary>A unit of work: appends to several streams, document changes, outbox rows, timers and inbox claims commit atomically.</summary>
public interface IDocumentSession : IQuerySession
{
    new IEventOperations Events { get; }

    IOutboxOperations Outbox { get; }

    IInboxOperations Inbox { get; }

    ITimerOperations Timers { get; }

    void Store<T>(T document) where T : class;

    void Delete<T>(object id) where T : class;

    /// <summary>Extra headers stored with this session's events and outbox rows.</summary>
    void SetHeader(string name, string value);

    /// <summary>
    /// Reads (or creates) these people's personal-data keys now, in the session's transaction, so that saving does not
    /// have to: a handler about to take a lock calls it first, to keep that round trip out of the lock's hold.
    /// </summary>
    Task ReadyPersonalDataKeysAsync(IEnumerable<Guid> people, CancellationToken ct = default);

    Task SaveChangesAsync(CancellationToken ct = default);
}
