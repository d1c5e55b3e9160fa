using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Referrals.EventStore.PersonalData;

namespace Referrals.EventStore;

internal static class EventReader
{
    /// <summary>Reads <c>mt_events</c> rows and turns them into typed events, decrypting personal fields in one key lookup.</summary>
    public static async Task<IReadOnlyList<IEvent>> ReadAsync(DocumentStore store, NpgsqlCommand command, NpgsqlConnection connection,
        NpgsqlTransaction? transaction, CancellationToken ct, KeyRing? keyRing = null)
    {
        List<EventRow> rows;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            rows = await ReadRowsAsync(reader, ct);
        }

        return await MaterializeAsync(store, rows, connection, transaction, ct, keyRing);
    }

    /// <summary>Reads the current result set's <c>mt_events</c> rows (the columns of <c>DocumentSession.EventColumns</c>).</summary>
    public static async Task<List<EventRow>> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var rows = new List<EventRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new EventRow(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(11))));
        }

        return rows;
    }

    public static async Task<IReadOnlyList<IEvent>> MaterializeAsync(DocumentStore store, IReadOnlyList<EventRow> rows,
        NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct, KeyRing? keyRing = null)
    {
        var typed = rows.Select(r => (Row: r, Type: store.Options.Events.Resolve(r.TypeName, r.DotNetType)
            ?? throw new EventStoreException($"Unknown event type '{r.TypeName}' at sequence {r.Sequence}."))).ToList();
        var subjects = typed.Select(t => store.Protector.StoredSubject(t.Row.Data, t.Type)).OfType<Guid>();
        var keys = await (keyRing ?? new KeyRing(store.Protector)).GetAsync(connection, transaction, subjects, ct);
        return typed.Select(t => StoredEvent.Create(t.Row, store.Protector.Deserialize(t.Row.Data, t.Type, keys))).ToList();
    }
}

internal static class DocumentReader
{
    public static async Task<IReadOnlyList<T>> ReadAsync<T>(DocumentStore store, NpgsqlCommand command, NpgsqlConnection connection,
        NpgsqlTransaction? transaction, CancellationToken ct, KeyRing? keyRing = null) where T : class =>
        (await ReadWithIdsAsync<T>(store, command, connection, transaction, idColumn: false, ct, keyRing)).Select(d => d.Document).ToList();

    /// <summary>Reads (data, person_id[, id]) rows.</summary>
    public static async Task<List<(string Id, T Document)>> ReadWithIdsAsync<T>(DocumentStore store, NpgsqlCommand command,
        NpgsqlConnection connection, NpgsqlTransaction? transaction, bool idColumn, CancellationToken ct, KeyRing? keyRing = null) where T : class
    {
        List<(string Id, string Json, Guid? Person)> rows;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            rows = await ReadRowsAsync(reader, idColumn, ct);
        }

        return await MaterializeAsync<T>(store, rows, connection, transaction, ct, keyRing);
    }

    /// <summary>Reads the current result set's (data, person_id[, id]) rows.</summary>
    public static async Task<List<(string Id, string Json, Guid? Person)>> ReadRowsAsync(NpgsqlDataReader reader, bool idColumn, CancellationToken ct)
    {
        var rows = new List<(string Id, string Json, Guid? Person)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((idColumn ? reader.GetString(2) : string.Empty, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetGuid(1)));
        }

        return rows;
    }

    /// <summary>Deserialises the rows, decrypting personal fields in one key lookup (after the reader is closed).</summary>
    public static async Task<List<(string Id, T Document)>> MaterializeAsync<T>(DocumentStore store, List<(string Id, string Json, Guid? Person)> rows,
        NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct, KeyRing? keyRing = null) where T : class
    {
        var subjects = rows.Select(r => r.Person).OfType<Guid>();
        var keys = await (keyRing ?? new KeyRing(store.Protector)).GetAsync(connection, transaction, subjects, ct);
        return rows.Select(r => (r.Id, (T)store.Protector.Deserialize(r.Json, typeof(T), keys))).ToList();
    }
}

internal static class DocumentWriter
{
    public static void AddOperations(DocumentStore store, NpgsqlBatch batch, string tenantId,
        IEnumerable<DocumentSession.DocumentOperation> operations, IReadOnlyDictionary<Guid, byte[]?> keys)
    {
        var schema = store.Options.Schema;
        foreach (var operation in operations)
        {
            var table = operation.Mapping.TableName;
            NpgsqlBatchCommand command;
            if (operation.Document is null)
            {
                command = new NpgsqlBatchCommand($"delete from {schema}.{table} where tenant_id = $1 and id = $2");
                command.Parameters.AddWithValue(tenantId);
                command.Parameters.AddWithValue(operation.Id);
            }
            else
            {
                command = new NpgsqlBatchCommand($"""
                    insert into {schema}.{table} as d (tenant_id, id, data, person_id) values ($1, $2, $3, $4)
                    on conflict (tenant_id, id) do update
                       set data = excluded.data, person_id = excluded.person_id, version = d.version + 1, last_modified = now()
                    """);
                command.Parameters.AddWithValue(tenantId);
                command.Parameters.AddWithValue(operation.Id);
                command.Parameters.Add(new NpgsqlParameter { Value = store.Protector.Serialize(operation.Document, keys), NpgsqlDbType = NpgsqlDbType.Jsonb });
                command.Parameters.Add(new NpgsqlParameter
                {
                    Value = (object?)store.Protector.SubjectOf(operation.Document) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid,
                });
            }

            batch.BatchCommands.Add(command);
        }
    }
}

/// <summary>Projection access to documents inside the caller's transaction; writes are flushed by the caller.</summary>
internal sealed class ProjectionContext(DocumentStore store, string tenantId, NpgsqlConnection connection, NpgsqlTransaction? transaction,
    bool inline, KeyRing? keyRing = null)
    : IProjectionContext
{
    private readonly List<DocumentSession.DocumentOperation> _pending = [];

    public string TenantId { get; } = tenantId;

    public bool Inline { get; } = inline;

    internal IReadOnlyList<DocumentSession.DocumentOperation> Pending => _pending;

    public async Task<IReadOnlyDictionary<string, T>> LoadManyForUpdateAsync<T>(IReadOnlyCollection<string> ids, CancellationToken ct)
        where T : class
    {
        // Row locks cannot cover a document that does not exist yet, so two writers could both create it. A
        // transaction-scoped advisory lock per document id (taken in id order, so no deadlock) serialises them. Locks and
        // read go in one round trip, but the read is a statement of its own, so its snapshot is taken once the locks are held.
        await using var batch = new NpgsqlBatch(connection, transaction);
        var locks = new NpgsqlBatchCommand("select pg_advisory_xact_lock(hashtextextended($1 || ':' || k, 0)) from unnest($2::varchar[]) k order by k");
        locks.Parameters.AddWithValue($"{store.Options.Schema}.{store.Options.Documents.For<T>().TableName}:{TenantId}");
        locks.Parameters.AddWithValue(ids.Order(StringComparer.Ordinal).ToArray());
        batch.BatchCommands.Add(locks);
        batch.BatchCommands.Add(LoadCommand<T>(ids));
        return await ReadDocumentsAsync<T>(batch, ct);
    }

    public async Task<IReadOnlyDictionary<string, T>> LoadManyAsync<T>(IReadOnlyCollection<string> ids, CancellationToken ct) where T : class
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { LoadCommand<T>(ids) } };
        return await ReadDocumentsAsync<T>(batch, ct);
    }

    /// <summary>Runs the batch and reads the documents its last command selects.</summary>
    private async Task<IReadOnlyDictionary<string, T>> ReadDocumentsAsync<T>(NpgsqlBatch batch, CancellationToken ct) where T : class
    {
        List<(string Id, string Json, Guid? Person)> rows;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            for (var i = 1; i < batch.BatchCommands.Count; i++)
            {
                await reader.NextResultAsync(ct);
            }

            rows = await DocumentReader.ReadRowsAsync(reader, idColumn: true, ct);
        }

        return (await DocumentReader.MaterializeAsync<T>(store, rows, connection, transaction, ct, keyRing)).ToDictionary(r => r.Id, r => r.Document);
    }

    private NpgsqlBatchCommand LoadCommand<T>(IReadOnlyCollection<string> ids) where T : class
    {
        var command = new NpgsqlBatchCommand(
            $"select data::text, person_id, id from {store.Options.Schema}.{store.Options.Documents.For<T>().TableName} where tenant_id = $1 and id = any($2)");
        command.Parameters.AddWithValue(TenantId);
        command.Parameters.AddWithValue(ids.ToArray());
        return command;
    }

    public void Store<T>(T document) where T : class
    {
        var mapping = store.Options.Documents.For(document.GetType());
        _pending.Add(new DocumentSession.DocumentOperation(mapping, mapping.IdOf(document), document));
    }

    public void Delete<T>(string id) where T : class =>
        _pending.Add(new DocumentSession.DocumentOperation(store.Options.Documents.For<T>(), id, null));
}
