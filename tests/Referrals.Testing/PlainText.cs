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
}
