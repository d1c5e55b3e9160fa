using Npgsql;

namespace Referrals.Testing;

/// <summary>Finds where a text is stored in plain: the check that personal data is encrypted at rest.</summary>
public static class PlainText
{
    /// <summary>The schema's tables (events, documents, outbox, timers, …) with a row holding the text, except <paramref name="excluding"/>.</summary>
    public static async Task<List<string>> TablesHoldingAsync(string connectionString, string schema, string text, params string[] excluding)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select tablename from pg_tables where schemaname = $1 and tablename <> all($2) order by tablename", connection))
        {
            list.Parameters.AddWithValue(schema);
            list.Parameters.AddWithValue(excluding);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var holding = new List<string>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from \"{schema}\".\"{table}\" t where t::text like '%' || $1 || '%'", connection);
            count.Parameters.AddWithValue(text);
            if ((long)(await count.ExecuteScalarAsync())! > 0)
            {
                holding.Add(table);
            }
        }

        return holding;
    }

    /// <summary>The table <see cref="CaptureOutboxRowsAsync"/> copies outbox rows into (leave it out of <see cref="TablesHoldingAsync"/>).</summary>
    public const string OutboxCopies = "test_outbox_written";

    /// <summary>Keeps a copy of every outbox row as written from now on: the relay deletes rows once they are delivered.</summary>
    public static async Task CaptureOutboxRowsAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            create table if not exists "{schema}".{OutboxCopies} (message_type varchar not null, body text not null);
            create or replace function "{schema}".test_copy_outbox_row() returns trigger language plpgsql as $$
            begin
                insert into "{schema}".{OutboxCopies} values (new.message_type, new.body::text);
                return new;
            end $$;
            drop trigger if exists test_copy_outbox_row on "{schema}".mt_outbox;
            create trigger test_copy_outbox_row after insert on "{schema}".mt_outbox
                for each row execute function "{schema}".test_copy_outbox_row();
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The outbox rows written since <see cref="CaptureOutboxRowsAsync"/>: message type and body as stored.</summary>
    public static async Task<List<(string Type, string Body)>> OutboxRowsWrittenAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select message_type, body from \"{schema}\".{OutboxCopies}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
