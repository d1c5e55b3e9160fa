using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Referrals.EventStore.PersonalData;
using Referrals.EventStore.Telemetry;

namespace Referrals.EventStore;

internal sealed partial class DocumentSession(DocumentStore store, string tenantId)
    : IDocumentSession, IEventOperations, IOutboxOperations, IInboxOperations, ITimerOperations
{
    private readonly List<StreamAction> _streams = [];
    private readonly List<DocumentOperation> _documents = [];
    private readonly List<OutgoingMessage> _outbox = [];
    private readonly List<TimerOperation> _timers = [];
    private readonly HashSet<Guid> _archive = [];
    private readonly Dictionary<string, string> _headers = [];
    private readonly KeyRing _keys = new(store.Protector);
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;

    private string Schema => store.Options.Schema;

    public string TenantId { get; } = tenantId;

    IQueryEventOperations IQuerySession.Events => this;
    public IEventOperations Events => this;
    public IOutboxOperations Outbox => this;
    public IInboxOperations Inbox => this;
    public ITimerOperations Timers => this;

    public void SetHeader(string name, string value) => _headers[name] = value;

    public async Task ReadyPersonalDataKeysAsync(IEnumerable<Guid> people, CancellationToken ct = default)
    {
        var transaction = await TransactionAsync(ct);
        await _keys.GetOrCreateAsync(_connection!, transaction, people, ct);
    }

    // ---------------------------------------------------------------- connection

    private async Task<NpgsqlConnection> ConnectionAsync(CancellationToken ct)
    {
        _connection ??= await store.DataSource.OpenConnectionAsync(ct);
        return _connection;
    }

    private async Task<NpgsqlTransaction> TransactionAsync(CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct);
        _transaction ??= await connection.BeginTransactionAsync(ct);
        return _transaction;
    }

    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct);
        return new NpgsqlCommand(sql, connection, _transaction);
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    // ---------------------------------------------------------------- appends

    private sealed class StreamAction(Guid id)
    {
        public Guid Id { get; } = id;
        public string? AggregateType { get; set; }
        public long? ExpectedBefore { get; set; }
        public bool MustStart { get; set; }
        public List<object> Events { get; } = [];
    }

    private StreamAction ActionFor(Guid id)
    {
        var action = _streams.Find(s => s.Id == id);
        if (action is null)
        {
            action = new StreamAction(id);
            _streams.Add(action);
        }

        return action;
    }

    public Guid StartStream<TAggregate>(Guid streamId, params object[] events) where TAggregate : class
    {
        var action = StartStream(streamId, events);
        ActionFor(action).AggregateType = typeof(TAggregate).Name;
        return streamId;
    }

    public Guid StartStream<TAggregate>(params object[] events) where TAggregate : class =>
        StartStream<TAggregate>(Guid.CreateVersion7(), events);

    public Guid StartStream(Guid streamId, params object[] events)
    {
        if (events.Length == 0)
        {
            throw new ArgumentException("A stream starts with at least one event.", nameof(events));
        }

        var action = ActionFor(streamId);
        action.MustStart = true;
        action.ExpectedBefore = 0;
        action.Events.AddRange(events);
        return streamId;
    }

    public void Append(Guid streamId, params object[] events) => ActionFor(streamId).Events.AddRange(events);

    public void Append(Guid streamId, long expectedVersion, params object[] events)
    {
        var action = ActionFor(streamId);
        var before = expectedVersion - action.Events.Count - events.Length;
        if (action.ExpectedBefore is { } known && known != before)
        {
            throw new ConcurrencyException(streamId, before, known);
        }

        action.ExpectedBefore = before;
        action.Events.AddRange(events);
    }

    public void ArchiveStream(Guid streamId) => _archive.Add(streamId);

    private sealed class EventStream<T>(DocumentSession session, Guid id, T? aggregate, long version) : IEventStream<T> where T : class
    {
        public Guid Id { get; } = id;
        public T? Aggregate { get; } = aggregate;
        public long StartingVersion { get; } = version;
        public long CurrentVersion => StartingVersion + session.ActionFor(Id).Events.Count;
        public void AppendOne(object @event) => session.ActionFor(Id).Events.Add(@event);
        public void AppendMany(IEnumerable<object> events) => session.ActionFor(Id).Events.AddRange(events);
    }

    public Task<IEventStream<T>> FetchForWriting<T>(Guid streamId, CancellationToken ct = default) where T : class =>
        FetchForWritingCore<T>(streamId, null, exclusive: false, ct);

    public Task<IEventStream<T>> FetchForWriting<T>(Guid streamId, long expectedVersion, CancellationToken ct = default) where T : class =>
        FetchForWritingCore<T>(streamId, expectedVersion, exclusive: false, ct);

    public Task<IEventStream<T>> FetchForExclusiveWriting<T>(Guid streamId, CancellationToken ct = default) where T : class =>
        FetchForWritingCore<T>(streamId, null, exclusive: true, ct);

    private async Task<IEventStream<T>> FetchForWritingCore<T>(Guid streamId, long? expectedVersion, bool exclusive, CancellationToken ct)
        where T : class
    {
        var events = exclusive ? await LockAndFetchStreamAsync(streamId, ct) : await FetchStreamAsync(streamId, ct: ct);
        var version = events.Count == 0 ? 0 : events[^1].Version;
        if (expectedVersion is { } expected && expected != version)
        {
            EventStoreTelemetry.Conflicts.Add(1);
            throw new ConcurrencyException(streamId, expected, version);
        }

        var aggregate = Aggregator<T>.Self.Fold(null, events);
        var action = ActionFor(streamId);
        action.ExpectedBefore = version;
        action.AggregateType ??= typeof(T).Name;
        return new EventStream<T>(this, streamId, aggregate, version);
    }

    /// <summary>
    /// Locks the stream's row until the transaction ends, then reads its events, in one round trip. The read is a statement
    /// of its own, so its snapshot is taken once the lock is held and it sees whatever the previous holder committed.
    /// </summary>
    private async Task<IReadOnlyList<IEvent>> LockAndFetchStreamAsync(Guid streamId, CancellationToken ct)
    {
        var transaction = await TransactionAsync(ct);
        await using var batch = new NpgsqlBatch(_connection, transaction)
        {
            BatchCommands =
            {
                StreamCommand($"select version from {Schema}.mt_streams where tenant_id = $1 and id = $2 for update", streamId),
                StreamCommand($"select {EventColumns} from {Schema}.mt_events where tenant_id = $1 and stream_id = $2 order by version", streamId),
            },
        };
        List<EventRow> rows;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            await reader.NextResultAsync(ct);
            rows = await EventReader.ReadRowsAsync(reader, ct);
        }

        return await EventReader.MaterializeAsync(store, rows, _connection!, transaction, ct, _keys);
    }

    // ---------------------------------------------------------------- reads

    private const string EventColumns =
        "seq_id, id, stream_id, version, data::text, type, mt_dotnet_type, timestamp, tenant_id, correlation_id, causation_id, headers::text";

    public async Task<IReadOnlyList<IEvent>> FetchStreamAsync(Guid streamId, long version = 0, long fromVersion = 0, CancellationToken ct = default)
    {
        await using var command = await CommandAsync($"""
            select {EventColumns} from {Schema}.mt_events
             where tenant_id = $1 and stream_id = $2 and version > $3 and ($4 = 0 or version <= $4)
             order by version
            """, ct);
        command.Parameters.AddWithValue(TenantId);
        command.Parameters.AddWithValue(streamId);
        command.Parameters.AddWithValue(fromVersion);
        command.Parameters.AddWithValue(version);
        return await EventReader.ReadAsync(store, command, _connection!, _transaction, ct, _keys);
    }

    public async Task<IReadOnlyList<IEvent>> FetchAllAsync(long afterSequence, int limit, CancellationToken ct = default)
    {
        await using var command = await CommandAsync(
            $"select {EventColumns} from {Schema}.mt_events where seq_id > $1 order by seq_id limit $2", ct);
        command.Parameters.AddWithValue(afterSequence);
        command.Parameters.AddWithValue(limit);
        return await EventReader.ReadAsync(store, command, _connection!, _transaction, ct, _keys);
    }

    public async Task<StreamState?> FetchStreamStateAsync(Guid streamId, CancellationToken ct = default)
    {
        await using var command = await CommandAsync(
            $"select id, version, type, timestamp, created, is_archived, tenant_id from {Schema}.mt_streams where tenant_id = $1 and id = $2", ct);
        command.Parameters.AddWithValue(TenantId);
        command.Parameters.AddWithValue(streamId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new StreamState(reader.GetGuid(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetBoolean(5), reader.GetString(6));
    }

    public async Task<T?> AggregateStreamAsync<T>(Guid streamId, long version = 0, CancellationToken ct = default) where T : class
    {
        var events = await FetchStreamAsync(streamId, version, ct: ct);
        return events.Count == 0 ? null : VersionStamp.Set(Aggregator<T>.Self.Fold(null, events)!, events[^1].Version);
    }

    public async Task<TState> AggregateStreamAsync<TState>(Guid streamId, TState initial, Func<TState, IEvent, TState> fold,
        CancellationToken ct = default)
    {
        var events = await FetchStreamAsync(streamId, ct: ct);
        return events.Aggregate(initial, fold);
    }

    public async Task<T?> LoadAsync<T>(object id, CancellationToken ct = default) where T : class =>
        (await LoadManyAsync<T>([id], ct)).FirstOrDefault();

    public async Task<IReadOnlyList<T>> LoadManyAsync<T>(IEnumerable<object> ids, CancellationToken ct = default) where T : class
    {
        var mapping = store.Options.Documents.For<T>();
        await using var command = await CommandAsync(
            $"select data::text, person_id from {Schema}.{mapping.TableName} where tenant_id = $1 and id = any($2)", ct);
        command.Parameters.AddWithValue(TenantId);
        command.Parameters.AddWithValue(ids.Select(DocumentMapping.FormatId).ToArray());
        return await DocumentReader.ReadAsync<T>(store, command, _connection!, _transaction, ct, _keys);
    }

    public Task<IReadOnlyList<T>> QueryAsync<T>(string condition, params object?[] parameters) where T : class =>
        QueryAsync<T>(condition, parameters, CancellationToken.None);

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string condition, object?[] parameters, CancellationToken ct) where T : class
    {
        await using var command = await ConditionCommandAsync<T>("data::text, person_id", condition, parameters, ct);
        return await DocumentReader.ReadAsync<T>(store, command, _connection!, _transaction, ct, _keys);
    }

    public async Task<IReadOnlyList<string?>> ScalarsAsync<T>(IReadOnlyDictionary<string, string> fields, IReadOnlyList<string> queries,
        string condition, object?[] parameters, CancellationToken ct) where T : class
    {
        RefusePersonalData<T>(nameof(ScalarsAsync));
        // "not materialized": each query gets the matching rows inlined, so its own conditions on the fields reach the indexes.
        var columns = string.Concat(fields.Select(f => $", {f.Value} as {f.Key}"));
        var sql = $"""
            with document as not materialized (
                select id, data{columns} from {Schema}.{store.Options.Documents.For<T>().TableName} where tenant_id = $1 and {condition})
            select {string.Join(", ", queries.Select(q => $"({q})::text"))}
            """;
        await using var command = await PlaceholderCommandAsync(sql, parameters, ct);
        return await ReadTextRowAsync(command, queries.Count, ct);
    }

    private void RefusePersonalData<T>(string method)
    {
        if (store.Protector.ShapeOf(typeof(T)).HasPersonalData)
        {
            throw new EventStoreException($"{typeof(T).Name} holds personal data, which {method} would return undecrypted.");
        }
    }

    private static async Task<IReadOnlyList<string?>> ReadTextRowAsync(NpgsqlCommand command, int columns, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return [.. Enumerable.Range(0, columns).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))];
    }

    /// <summary>
    /// <c>select {columns}</c> from the documents of type T in this tenant matching a condition; <c>?</c> placeholders in
    /// the columns, then in the condition, take the parameters in order.
    /// </summary>
    private async Task<NpgsqlCommand> ConditionCommandAsync<T>(string columns, string condition, object?[] parameters, CancellationToken ct)
        where T : class
    {
        var mapping = store.Options.Documents.For<T>();
        return await PlaceholderCommandAsync($"select {columns} from {Schema}.{mapping.TableName} where tenant_id = $1 and {condition}", parameters, ct);
    }

    /// <summary>A command whose <c>$1</c> is the tenant and whose <c>?</c> placeholders take the parameters in the order they appear.</summary>
    private async Task<NpgsqlCommand> PlaceholderCommandAsync(string sqlWithPlaceholders, object?[] parameters, CancellationToken ct)
    {
        var index = 1;
        var sql = QuestionMark().Replace(StoreFunctions.Qualify(sqlWithPlaceholders, Schema), m => m.Length == 2 ? "?" : "$" + ++index);
        var command = await CommandAsync(sql, ct);
        command.Parameters.AddWithValue(TenantId);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        return command;
    }

    // "??" is a literal question mark (as in a jsonpath filter); each single one is the next parameter.
    [System.Text.RegularExpressions.GeneratedRegex(@"\?\??")]
    private static partial System.Text.RegularExpressions.Regex QuestionMark();

    // ---------------------------------------------------------------- documents, outbox, inbox, timers

    internal sealed record DocumentOperation(DocumentMapping Mapping, string Id, object? Document);

    public void Store<T>(T document) where T : class
    {
        var mapping = store.Options.Documents.For(document.GetType());
        _documents.Add(new DocumentOperation(mapping, mapping.IdOf(document), document));
    }

    public void Delete<T>(object id) where T : class =>
        _documents.Add(new DocumentOperation(store.Options.Documents.For<T>(), DocumentMapping.FormatId(id), null));

    internal sealed record OutgoingMessage(Guid MessageId, object Message, Guid? StreamId, string? Destination);

    public Guid Publish(object message, Guid? sourceStreamId, Guid? messageId = null)
    {
        var id = messageId ?? Guid.CreateVersion7();
        _outbox.Add(new OutgoingMessage(id, message, sourceStreamId, null));
        return id;
    }

    public Guid Send(object message, string destinationQueue, Guid? sourceStreamId, Guid? messageId = null)
    {
        var id = messageId ?? Guid.CreateVersion7();
        _outbox.Add(new OutgoingMessage(id, message, sourceStreamId, destinationQueue));
        return id;
    }

    public async Task<bool> TryClaimAsync(string consumer, Guid messageId, CancellationToken ct = default)
    {
        await TransactionAsync(ct);
        await using var command = await CommandAsync(
            $"insert into {Schema}.mt_inbox (consumer, message_id) values ($1, $2) on conflict do nothing", ct);
        command.Parameters.AddWithValue(consumer);
        command.Parameters.AddWithValue(messageId);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private sealed record TimerOperation(string Key, DateTimeOffset? DueAt, object? Message, Guid? StreamId);

    public void Schedule(string key, DateTimeOffset dueAt, object message, Guid? sourceStreamId = null) =>
        _timers.Add(new TimerOperation(key, dueAt, message, sourceStreamId));

    public void Cancel(string key) => _timers.Add(new TimerOperation(key, null, null, null));

    // ---------------------------------------------------------------- commit

    private bool HasWork => _streams.Any(s => s.Events.Count > 0) || _documents.Count > 0 || _outbox.Count > 0 ||
                            _timers.Count > 0 || _archive.Count > 0;

    public async Task SaveChangesAsync(CancellationToken ct = default)
    {
        if (!HasWork)
        {
            if (_transaction is not null)
            {
                await _transaction.CommitAsync(ct);
                await _transaction.DisposeAsync();
                _transaction = null;
            }

            return;
        }

        using var activity = EventStoreTelemetry.Source.StartActivity("event_store.save_changes");
        var streams = _streams.Where(s => s.Events.Count > 0).ToList();
        var inline = store.Options.Projections.Inline.ToList();
        var needsInline = inline.Count > 0 && streams.Any(s => s.Events.Any(e => inline.Any(p => p.Handles(e.GetType()))));
        var connection = await ConnectionAsync(ct);
        if (needsInline)
        {
            await TransactionAsync(ct);
        }

        try
        {
            var keys = await KeysForAsync(connection, ct);
            var trace = DocumentStore.CurrentTrace();
            var headers = HeadersJson(trace.TraceParent, trace.TraceState);

            await using var batch = new NpgsqlBatch(connection, _transaction);
            var appends = new List<(StreamAction Action, NpgsqlBatchCommand Command, List<(Guid Id, string Json)> Events)>();
            foreach (var action in streams)
            {
                var events = action.Events.Select(e => (Guid.CreateVersion7(), store.Protector.Serialize(e, keys))).ToList();
                var command = AppendCommand(action, events, trace.TraceId, trace.SpanId, headers);
                batch.BatchCommands.Add(command);
                appends.Add((action, command, events));
            }

            if (!needsInline)
            {
                AddWrites(batch, _documents, keys, headers);
            }

            var committed = new List<IEvent>();
            try
            {
                await using var reader = await batch.ExecuteReaderAsync(ct);
                foreach (var (action, _, events) in appends)
                {
                    await reader.ReadAsync(ct);
                    var result = reader.GetFieldValue<long[]>(0);
                    var firstVersion = result[0] - events.Count;
                    for (var i = 0; i < events.Count; i++)
                    {
                        var row = new EventRow(result[i + 1], events[i].Id, action.Id, firstVersion + i + 1, events[i].Json,
                            store.Options.Events.AliasFor(action.Events[i].GetType()), null, DateTimeOffset.UtcNow, TenantId,
                            trace.TraceId, trace.SpanId, null);
                        committed.Add(StoredEvent.Create(row, action.Events[i]));
                    }

                    await reader.NextResultAsync(ct);
                }

                while (await reader.NextResultAsync(ct))
                {
                }
            }
            catch (PostgresException ex)
            {
                throw Translate(ex, appends.Select(a => (a.Command, a.Action)).ToList());
            }

            if (needsInline)
            {
                var context = new ProjectionContext(store, TenantId, connection, _transaction, inline: true, _keys);
                foreach (var projection in inline)
                {
                    await projection.ApplyAsync(context, committed, ct);
                }

                await using var writes = new NpgsqlBatch(connection, _transaction);
                var documents = _documents.Concat(context.Pending).ToList();
                var documentKeys = await _keys.GetOrCreateAsync(connection, _transaction,
                    documents.Where(d => d.Document is not null).Select(d => store.Protector.SubjectOf(d.Document!)).OfType<Guid>(), ct);
                AddWrites(writes, documents, documentKeys, headers);
                if (writes.BatchCommands.Count > 0)
                {
                    await writes.ExecuteNonQueryAsync(ct);
                }
            }

            if (_transaction is not null)
            {
                await _transaction.CommitAsync(ct);
                await _transaction.DisposeAsync();
                _transaction = null;
            }

            EventStoreTelemetry.Appends.Add(committed.Count);
            var wroteOutbox = _outbox.Count > 0 || _timers.Any(t => t.Message is not null);
            Clear();
            if (wroteOutbox)
            {
                store.NotifyOutboxWritten();
            }
        }
        catch
        {
            if (_transaction is not null)
            {
                await _transaction.DisposeAsync();
                _transaction = null;
            }

            // Keys created in the rolled-back transaction do not exist.
            _keys.Forget();
            Clear();
            throw;
        }
    }

    private void Clear()
    {
        _streams.Clear();
        _documents.Clear();
        _outbox.Clear();
        _timers.Clear();
        _archive.Clear();
    }

    private async Task<IReadOnlyDictionary<Guid, byte[]?>> KeysForAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var subjects = _streams.SelectMany(s => s.Events)
            .Concat(_documents.Select(d => d.Document).OfType<object>())
            .Concat(_outbox.Select(o => o.Message))
            .Concat(_timers.Select(t => t.Message).OfType<object>())
            .Where(o => store.Protector.ShapeOf(o.GetType()).HasPersonalData)
            .Select(store.Protector.SubjectOf)
            .OfType<Guid>();
        return await _keys.GetOrCreateAsync(connection, _transaction, subjects, ct);
    }

    private static string? HeadersJson(string? traceParent, string? traceState, Dictionary<string, string>? extra = null)
    {
        var headers = new Dictionary<string, string>(extra ?? []);
        if (traceParent is not null)
        {
            headers["traceparent"] = traceParent;
        }

        if (!string.IsNullOrEmpty(traceState))
        {
            headers["tracestate"] = traceState;
        }

        return headers.Count == 0 ? null : JsonSerializer.Serialize(headers);
    }

    private NpgsqlBatchCommand AppendCommand(StreamAction action, List<(Guid Id, string Json)> events, string? correlation,
        string? causation, string? traceHeaders)
    {
        var headers = _headers.Count == 0
            ? traceHeaders
            : HeadersJson(null, null, new Dictionary<string, string>(_headers.Concat(
                traceHeaders is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(traceHeaders)!)));
        var command = new NpgsqlBatchCommand($"select {Schema}.mt_append_events($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
        var p = command.Parameters;
        p.AddWithValue(action.Id);
        p.Add(new NpgsqlParameter { Value = (object?)action.AggregateType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        p.AddWithValue(TenantId);
        p.Add(new NpgsqlParameter { Value = (object?)action.ExpectedBefore ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        p.AddWithValue(action.MustStart);
        p.Add(new NpgsqlParameter { Value = events.Select(e => e.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter
        {
            Value = action.Events.Select(e => store.Options.Events.AliasFor(e.GetType())).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar,
        });
        p.Add(new NpgsqlParameter
        {
            Value = action.Events.Select(e => EventTypeRegistry.DotNetTypeName(e.GetType())).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar,
        });
        p.Add(new NpgsqlParameter { Value = events.Select(e => e.Json).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter { Value = (object?)correlation ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        p.Add(new NpgsqlParameter { Value = (object?)causation ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        p.Add(new NpgsqlParameter { Value = (object?)headers ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        return command;
    }

    private void AddWrites(NpgsqlBatch batch, IEnumerable<DocumentOperation> documents, IReadOnlyDictionary<Guid, byte[]?> keys,
        string? traceHeaders)
    {
        DocumentWriter.AddOperations(store, batch, TenantId, documents, keys);

        var headers = _headers.Count == 0
            ? traceHeaders
            : HeadersJson(null, null, new Dictionary<string, string>(_headers.Concat(
                traceHeaders is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(traceHeaders)!)));
        foreach (var message in _outbox)
        {
            var command = new NpgsqlBatchCommand($"""
                insert into {Schema}.mt_outbox (message_id, tenant_id, stream_id, stream_version, person_id, message_type, body, headers, destination)
                values ($1, $2, $3, (select version from {Schema}.mt_streams where tenant_id = $2 and id = $3), $4, $5, $6, $7, $8)
                on conflict (message_id) do nothing
                """);
            command.Parameters.AddWithValue(message.MessageId);
            command.Parameters.AddWithValue(TenantId);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)message.StreamId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = (object?)store.Protector.SubjectOf(message.Message) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid,
            });
            command.Parameters.AddWithValue(EventTypeRegistry.DotNetTypeName(message.Message.GetType()));
            command.Parameters.Add(new NpgsqlParameter { Value = store.Protector.Serialize(message.Message, keys), NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)headers ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)message.Destination ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
            batch.BatchCommands.Add(command);
        }

        foreach (var timer in _timers)
        {
            NpgsqlBatchCommand command;
            if (timer.Message is null)
            {
                command = new NpgsqlBatchCommand(
                    $"update {Schema}.mt_timers set cancelled_at = now() where key = $1 and fired_at is null and cancelled_at is null");
                command.Parameters.AddWithValue(timer.Key);
            }
            else
            {
                command = new NpgsqlBatchCommand($"""
                    insert into {Schema}.mt_timers (id, key, tenant_id, due_at, message_type, body, headers, stream_id, person_id)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (key) do nothing
                    """);
                command.Parameters.AddWithValue(Guid.CreateVersion7());
                command.Parameters.AddWithValue(timer.Key);
                command.Parameters.AddWithValue(TenantId);
                command.Parameters.AddWithValue(timer.DueAt!.Value.ToUniversalTime());
                command.Parameters.AddWithValue(EventTypeRegistry.DotNetTypeName(timer.Message.GetType()));
                command.Parameters.Add(new NpgsqlParameter { Value = store.Protector.Serialize(timer.Message, keys), NpgsqlDbType = NpgsqlDbType.Jsonb });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)headers ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)timer.StreamId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
                command.Parameters.Add(new NpgsqlParameter
                {
                    Value = (object?)store.Protector.SubjectOf(timer.Message) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid,
                });
            }

            batch.BatchCommands.Add(command);
        }

        foreach (var streamId in _archive)
        {
            batch.BatchCommands.Add(StreamCommand($"update {Schema}.mt_streams set is_archived = true where tenant_id = $1 and id = $2", streamId));
            batch.BatchCommands.Add(StreamCommand($"update {Schema}.mt_events set is_archived = true where tenant_id = $1 and stream_id = $2", streamId));
        }
    }

    /// <summary>A batch command whose <c>$1</c> is this session's tenant and <c>$2</c> the stream id.</summary>
    private NpgsqlBatchCommand StreamCommand(string sql, Guid streamId) =>
        new(sql) { Parameters = { new NpgsqlParameter { Value = TenantId }, new NpgsqlParameter { Value = streamId } } };

    private static Exception Translate(PostgresException ex, IReadOnlyList<(NpgsqlBatchCommand Command, StreamAction Action)> appends)
    {
        // Our own append function names the stream in its message (the detail field may be redacted).
        var named = StreamInMessage().Match(ex.MessageText);
        var action = appends.FirstOrDefault(a => ReferenceEquals(a.Command, ex.BatchCommand)).Action
                     ?? (named.Success ? appends.FirstOrDefault(a => a.Action.Id == Guid.Parse(named.Groups["id"].Value)).Action : null)
                     ?? (appends.Count == 1 && ex.ConstraintName is "pk_mt_streams" or "pk_mt_events_stream_and_version" ? appends[0].Action : null);
        if (action is null)
        {
            return ex;
        }

        EventStoreTelemetry.Conflicts.Add(1);
        return ex.SqlState switch
        {
            "MT001" => new ExistingStreamIdCollisionException(action.Id, ex),
            "MT002" => new StreamArchivedException(action.Id),
            "MT003" => new ConcurrencyException(action.Id, action.ExpectedBefore, ActualVersion(ex.MessageText), ex),
            PostgresErrorCodes.UniqueViolation when action.MustStart => new ExistingStreamIdCollisionException(action.Id, ex),
            PostgresErrorCodes.UniqueViolation => new ConcurrencyException(action.Id, action.ExpectedBefore, null, ex),
            _ => ex,
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^stream (?<id>[0-9a-f-]{36}):")]
    private static partial System.Text.RegularExpressions.Regex StreamInMessage();

    [System.Text.RegularExpressions.GeneratedRegex(@"actual (?<version>\d+)$")]
    private static partial System.Text.RegularExpressions.Regex ActualInMessage();

    private static long? ActualVersion(string message) =>
        ActualInMessage().Match(message) is { Success: true } match ? long.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
