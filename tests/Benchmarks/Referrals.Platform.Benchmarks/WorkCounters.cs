using Npgsql;

namespace Referrals.Platform.Benchmarks;

/// <summary>What the platform did, counted in the database: messages each service applied (its inbox rows: every
/// consumer records the message id there in the transaction that applies it) and PostgreSQL transactions.</summary>
public sealed record WorkCount(IReadOnlyDictionary<string, long> AppliedByService, long Transactions)
{
    public long Applied => AppliedByService.Values.Sum();

    public WorkCount Minus(WorkCount earlier) => new(
        AppliedByService.ToDictionary(s => s.Key, s => s.Value - earlier.AppliedByService.GetValueOrDefault(s.Key)),
        Transactions - earlier.Transactions);
}

/// <param name="schemas">Each service's schema, by service name.</param>
public sealed class WorkCounters(IReadOnlyDictionary<string, string> schemas, string postgresConnectionString)
{
    // PostgreSQL 15 reports an idle backend's transactions within 10 s (PGSTAT_IDLE_INTERVAL), and the last referrals'
    // trailing messages (the filed records going back to support-plan) are still flowing: read once both are in.
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(11);

    public async Task<WorkCount> ReadAsync()
    {
        await Task.Delay(Settle);
        await using var connection = new NpgsqlConnection(postgresConnectionString);
        await connection.OpenAsync();
        var applied = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (service, schema) in schemas)
        {
            applied[service] = await ScalarAsync(connection, $"select count(*) from {schema}.mt_inbox");
        }

        return new WorkCount(applied, await ScalarAsync(connection,
            "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()"));
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
