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

    // The management API refreshes its counters every collect_statistics_interval (1 s on the local broker), PostgreSQL
    // reports a backend's transactions at most once a second, and the last referrals' trailing messages (the filed
    // records going back to support-plan) are still flowing: counts are taken once two readings apart agree.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public async Task<WorkCount> ReadAsync()
    {
        var previous = await ReadOnceAsync();
        for (var attempt = 0; attempt < 15; attempt++)
        {
            await Task.Delay(Interval);
            var current = await ReadOnceAsync();
            if (current.Consumed == previous.Consumed)
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    private async Task<WorkCount> ReadOnceAsync()
    {
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
