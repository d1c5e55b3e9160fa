using System.Text.Json;
using Npgsql;

namespace Referrals.EventStore.PersonalData;

/// <summary>One stored event about the person, decrypted.</summary>
public sealed record PersonalEvent(long Sequence, Guid StreamId, long Version, string Type, DateTimeOffset Timestamp, string Tenant, JsonElement Data);

/// <summary>One stored document (read model) about the person, decrypted.</summary>
public sealed record PersonalDocument(string Type, string Id, string Tenant, JsonElement Data);

/// <summary>A message waiting to be published (outbox) or scheduled for later (timer) that concerns the person, decrypted.</summary>
public sealed record PersonalMessage(string Kind, string Type, DateTimeOffset? DueAt, JsonElement? Data);

/// <summary>
/// Everything one store holds about one person: every event, document, pending message and timer tagged with their id
/// (the subject of the store's personal-data encryption), decrypted with their key. Nothing about anyone else: rows are
/// selected by the person's id only. <see cref="Erased"/> says the key was destroyed, so personal fields read as null.
/// </summary>
public sealed record PersonalDataHoldings(
    Guid PersonId,
    bool Erased,
    IReadOnlyList<PersonalEvent> Events,
    IReadOnlyList<PersonalDocument> Documents,
    IReadOnlyList<PersonalMessage> Pending);

internal static class PersonalDataExport
{
    public static async Task<PersonalDataHoldings> ExportAsync(DocumentStore store, Guid personId, CancellationToken ct)
    {
        var s = store.Options.Schema;
        var serializer = store.Options.Serializer;
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        // One snapshot for the whole export, so events and read models agree with each other.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var keys = await store.Protector.GetKeysAsync(connection, tx, [personId], ct);
        var erased = keys.TryGetValue(personId, out var key) && key is null;

        IReadOnlyList<IEvent> events;
        await using (var command = new NpgsqlCommand($"""
            select seq_id, id, stream_id, version, data::text, type, mt_dotnet_type, timestamp, tenant_id, correlation_id, causation_id, headers::text
              from {s}.mt_events where data->>'personId' = $1 order by seq_id
            """, connection, tx))
        {
            command.Parameters.AddWithValue(personId.ToString());
            events = await EventReader.ReadAsync(store, command, connection, tx, ct);
        }

        var documents = new List<PersonalDocument>();
        foreach (var mapping in store.Options.Documents.All.OrderBy(m => m.TableName, StringComparer.Ordinal))
        {
            await using var command = new NpgsqlCommand(
                $"select id, tenant_id, data::text from {s}.{mapping.TableName} where person_id = $1 order by id", connection, tx);
            command.Parameters.AddWithValue(personId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var document = store.Protector.Deserialize(reader.GetString(2), mapping.DocumentType, keys);
                documents.Add(new PersonalDocument(mapping.DocumentType.Name, reader.GetString(0), reader.GetString(1),
                    JsonSerializer.SerializeToElement(document, mapping.DocumentType, serializer)));
            }
        }

        var pending = new List<PersonalMessage>();
        await using (var command = new NpgsqlCommand($"""
            select 'outbox', message_type, null::timestamptz, body::text from {s}.mt_outbox where person_id = $1
            union all
            select 'timer', message_type, due_at, body::text from {s}.mt_timers
             where person_id = $1 and fired_at is null and cancelled_at is null
            """, connection, tx))
        {
            command.Parameters.AddWithValue(personId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var typeName = reader.GetString(1);
                var type = Type.GetType(typeName, throwOnError: false);
                JsonElement? data = type is null
                    ? null
                    : JsonSerializer.SerializeToElement(store.Protector.Deserialize(reader.GetString(3), type, keys), type, serializer);
                pending.Add(new PersonalMessage(reader.GetString(0), type?.Name ?? typeName,
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), data));
            }
        }

        await tx.CommitAsync(ct);
        return new PersonalDataHoldings(personId, erased,
            events.Select(e => new PersonalEvent(e.Sequence, e.StreamId, e.Version, e.EventTypeName, e.Timestamp, e.TenantId,
                JsonSerializer.SerializeToElement(e.Data, e.EventType, serializer))).ToList(),
            documents, pending);
    }
}
