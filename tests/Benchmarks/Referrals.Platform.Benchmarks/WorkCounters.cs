using System.Text.Json;
using Npgsql;
using Referrals.Testing;

namespace Referrals.Platform.Benchmarks;

/// <summary>What the platform did, counted outside it: messages consumed from each service's queues (the broker's own
/// counters) and PostgreSQL transactions ended in the database.</summary>
public sealed record WorkCount(IReadOnlyDictionary<string, long> ConsumedByService, long Transactions)
{
    public long Consumed => ConsumedByService.Values.Sum();

    public WorkCount Minus(WorkCount earlier) => new(
        ConsumedByService.ToDictionary(s => s.Key, s => s.Value - earlier.ConsumedByService.GetValueOrDefault(s.Key)),
        Transactions - earlier.Transactions);
}

public sealed class WorkCounters(IsolatedRabbitVirtualHost vhost, string postgresConnectionString)
{
    private static readonly string[] Services = ["intake", "triage", "support-plan", "gp-records"];

    // The management API refreshes its counters every collect_statistics_interval (1 s on the local broker) and
    // PostgreSQL reports a backend's transactions at most once a second: both are read once they have caught up.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2.5);

    public async Task<WorkCount> ReadAsync()
    {
        await Task.Delay(Settle);
        using var queues = await vhost.Management.GetJsonAsync(
            $"api/queues/{RabbitManagementClient.Escape(vhost.Name)}?columns=name,message_stats.deliver_get");
        var consumed = Services.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        foreach (var queue in queues.RootElement.EnumerateArray())
        {
            var name = queue.GetProperty("name").GetString() ?? string.Empty;
            var service = Services.FirstOrDefault(s => name.StartsWith(s + "-", StringComparison.Ordinal));
            if (service is not null && queue.TryGetProperty("message_stats", out var stats) &&
                stats.TryGetProperty("deliver_get", out var delivered) && delivered.ValueKind == JsonValueKind.Number)
            {
                consumed[service] += delivered.GetInt64();
            }
        }

        await using var connection = new NpgsqlConnection(postgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()", connection);
        return new WorkCount(consumed, (long)(await command.ExecuteScalarAsync())!);
    }
}
