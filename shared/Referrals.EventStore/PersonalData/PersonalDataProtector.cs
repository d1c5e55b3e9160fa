using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Referrals.EventStore.PersonalData;

/// <summary>
/// Serializes events, documents, outbox and timer bodies with their personal fields encrypted under the
/// subject's own key (crypto-shredding). Deleting the key erases the person everywhere at once: the JSON
/// stays readable and the personal fields read back as null.
/// </summary>
internal sealed class PersonalDataProtector(EventStoreOptions options)
{
    private const string Prefix = "enc:v1:";
    private readonly ConcurrentDictionary<Type, Shape> _shapes = new();

    internal sealed record Shape(string[] PersonalJsonNames, System.Reflection.PropertyInfo? Subject, string? SubjectJsonName)
    {
        public bool HasPersonalData => PersonalJsonNames.Length > 0;
    }

    public Shape ShapeOf(Type type) => _shapes.GetOrAdd(type, t =>
    {
        var policy = options.Serializer.PropertyNamingPolicy;
        string JsonName(System.Reflection.PropertyInfo p) =>
            p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), true)
                .OfType<System.Text.Json.Serialization.JsonPropertyNameAttribute>().FirstOrDefault()?.Name
            ?? policy?.ConvertName(p.Name) ?? p.Name;

        var personal = t.GetProperties().Where(options.PersonalData.IsPersonal).Select(JsonName).ToArray();
        var subject = options.PersonalData.SubjectProperty(t);
        return new Shape(personal, subject, subject is null ? null : JsonName(subject));
    });

    public Guid? SubjectOf(object value)
    {
        var shape = ShapeOf(value.GetType());
        return shape.Subject?.GetValue(value) switch
        {
            Guid g when g != Guid.Empty => g,
            _ => null,
        };
    }

    /// <summary>Serializes, encrypting personal fields. <paramref name="keys"/> must hold the subject's key (or null once erased).</summary>
    public string Serialize(object value, IReadOnlyDictionary<Guid, byte[]?> keys)
    {
        var type = value.GetType();
        var shape = ShapeOf(type);
        if (!shape.HasPersonalData)
        {
            return JsonSerializer.Serialize(value, type, options.Serializer);
        }

        var subject = SubjectOf(value)
            ?? throw new EventStoreException($"{type.Name} carries personal data but names no person (PersonId).");
        var node = JsonSerializer.SerializeToNode(value, type, options.Serializer)!.AsObject();
        keys.TryGetValue(subject, out var key);
        foreach (var name in shape.PersonalJsonNames)
        {
            if (node[name] is not { } field)
            {
                continue;
            }

            node[name] = key is null ? null : Encrypt(key, field.ToJsonString(options.Serializer));
        }

        return node.ToJsonString(options.Serializer);
    }

    /// <summary>Parses stored JSON, decrypting personal fields; an erased subject's fields come back null.</summary>
    public object Deserialize(string json, Type type, IReadOnlyDictionary<Guid, byte[]?> keys)
    {
        var shape = ShapeOf(type);
        if (!shape.HasPersonalData || !json.Contains(Prefix, StringComparison.Ordinal))
        {
            return JsonSerializer.Deserialize(json, type, options.Serializer)
                   ?? throw new EventStoreException($"Stored {type.Name} is null.");
        }

        var node = JsonNode.Parse(json)!.AsObject();
        Reveal(node, shape, keys);
        return node.Deserialize(type, options.Serializer) ?? throw new EventStoreException($"Stored {type.Name} is null.");
    }

    /// <summary>Subjects referenced by stored JSON of the given type, so keys can be fetched in one query.</summary>
    public Guid? StoredSubject(string json, Type type)
    {
        var shape = ShapeOf(type);
        if (!shape.HasPersonalData || shape.SubjectJsonName is null || !json.Contains(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty(shape.SubjectJsonName, out var element) &&
               element.ValueKind == JsonValueKind.String && element.TryGetGuid(out var id)
            ? id
            : null;
    }

    private void Reveal(JsonObject node, Shape shape, IReadOnlyDictionary<Guid, byte[]?> keys)
    {
        Guid? subject = shape.SubjectJsonName is not null && node[shape.SubjectJsonName]?.GetValue<string>() is { } raw &&
                        Guid.TryParse(raw, out var parsed)
            ? parsed
            : null;
        byte[]? key = null;
        if (subject is { } s)
        {
            keys.TryGetValue(s, out key);
        }

        foreach (var name in shape.PersonalJsonNames)
        {
            if (node[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                node[name] = key is null ? null : JsonNode.Parse(Decrypt(key, text));
            }
        }
    }

    private static string Encrypt(byte[] key, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var buffer = new byte[12 + plain.Length + 16];
        var nonce = buffer.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plain, buffer.AsSpan(12, plain.Length), buffer.AsSpan(12 + plain.Length, 16));
        return Prefix + Convert.ToBase64String(buffer);
    }

    private static string Decrypt(byte[] key, string stored)
    {
        var buffer = Convert.FromBase64String(stored[Prefix.Length..]);
        var length = buffer.Length - 28;
        var plain = new byte[length];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(buffer.AsSpan(0, 12), buffer.AsSpan(12, length), buffer.AsSpan(12 + length, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>Keys for the given people, creating any that do not exist yet. Erased people map to null.</summary>
    public async Task<Dictionary<Guid, byte[]?>> GetOrCreateKeysAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        IReadOnlyCollection<Guid> people, CancellationToken ct)
    {
        var result = new Dictionary<Guid, byte[]?>();
        if (people.Count == 0)
        {
            return result;
        }

        var ids = people.ToArray();
        var fresh = ids.Select(_ => RandomNumberGenerator.GetBytes(32)).ToArray();
        await using var command = new NpgsqlCommand($"""
            with inserted as (
                insert into {options.Schema}.mt_person_keys (person_id, key)
                select * from unnest($1::uuid[], $2::bytea[]) on conflict (person_id) do nothing
                returning person_id, key)
            select person_id, key from inserted
            union all
            select person_id, key from {options.Schema}.mt_person_keys
             where person_id = any($1) and person_id not in (select person_id from inserted)
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = fresh, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                result[reader.GetGuid(0)] = reader.IsDBNull(1) ? null : (byte[])reader[1];
            }
        }

        // A concurrent transaction inserted the key first: our insert waited for it and did nothing, and the statement's
        // snapshot (taken before that commit) cannot see its row. Read again with a fresh snapshot; never treat the
        // person as erased because of a race.
        var missing = ids.Where(id => !result.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            foreach (var (id, key) in await GetKeysAsync(connection, tx, missing, ct))
            {
                result[id] = key;
            }
        }

        return result;
    }

    public async Task<Dictionary<Guid, byte[]?>> GetKeysAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        IReadOnlyCollection<Guid> people, CancellationToken ct)
    {
        var result = new Dictionary<Guid, byte[]?>();
        if (people.Count == 0)
        {
            return result;
        }

        await using var command = new NpgsqlCommand(
            $"select person_id, key from {options.Schema}.mt_person_keys where person_id = any($1)", connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = people.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetGuid(0)] = reader.IsDBNull(1) ? null : (byte[])reader[1];
        }

        return result;
    }
}
