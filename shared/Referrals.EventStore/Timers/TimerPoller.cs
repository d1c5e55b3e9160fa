using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Referrals.EventStore.Telemetry;

namespace Referrals.EventStore.Timers;

/// <summary>
/// Moves due timers into the outbox in one statement (<c>FOR UPDATE SKIP LOCKED</c>), so each fires exactly once however
/// many pollers run. The outbox MessageId is the timer id, so even a repeated move could not publish twice.
/// </summary>
public sealed class TimerPoller(DocumentStore store, ILogger<TimerPoller>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<TimerPoller>.Instance;

    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var s = store.Options.Schema;
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"""
            with due as (
                update {s}.mt_timers set fired_at = now()
                 where id in (select id from {s}.mt_timers
                               where fired_at is null and cancelled_at is null and due_at <= $1
                               order by due_at limit $2 for update skip locked)
                returning id, tenant_id, message_type, body, headers, stream_id, person_id
            )
            insert into {s}.mt_outbox (message_id, tenant_id, stream_id, stream_version, person_id, message_type, body, headers)
            select due.id, due.tenant_id, due.stream_id,
                   (select st.version from {s}.mt_streams st where st.tenant_id = due.tenant_id and st.id = due.stream_id),
                   due.person_id, due.message_type, due.body, due.headers
              from due
            on conflict (message_id) do nothing
            """, connection);
        command.Parameters.AddWithValue(store.Options.Time.GetUtcNow());
        command.Parameters.AddWithValue(store.Options.Timers.BatchSize);
        var moved = await command.ExecuteNonQueryAsync(ct);
        if (moved > 0)
        {
            EventStoreTelemetry.TimersDue.Add(moved);
            store.NotifyOutboxWritten();
        }

        return moved;
    }

    /// <summary>Removes fired and cancelled timers older than the tombstone retention.</summary>
    public async Task<int> CleanAsync(CancellationToken ct = default)
    {
        var s = store.Options.Schema;
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"delete from {s}.mt_timers where coalesce(fired_at, cancelled_at) < $1", connection);
        command.Parameters.AddWithValue(store.Options.Time.GetUtcNow() - store.Options.Timers.TombstoneRetention);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                while (await RunOnceAsync(ct) == store.Options.Timers.BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _logger.LogError("Timer poll failed ({Error}); retrying", ex.GetType().Name);
            }

            try
            {
                await Task.Delay(store.Options.Timers.PollInterval, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
