using Npgsql;
using Referrals.EventStore.Telemetry;

namespace Referrals.EventStore.Daemon;

/// <summary>
/// Finds the high-water mark: the furthest sequence up to which every event is committed and can be processed in order.
/// <para>
/// A hole in the sequence is either a transaction still in flight (its event will appear) or one that rolled back (it never
/// will). The append function takes a transaction id before any sequence number, so the owner of a hole below a visible
/// event was running when the snapshot that saw the hole was taken. Once every transaction in that snapshot's in-progress
/// list has ended and the hole is still empty, its owner rolled back and the hole is skipped. No timer decides it: a
/// transaction may hold a sequence number open for as long as it likes and its event is still projected, exactly once.
/// </para>
/// </summary>
internal sealed class HighWaterDetector(EventStoreOptions options)
{
    private const int Window = 5000;
    private (long Sequence, string Snapshot)? _suspectedGap;

    /// <summary>Advances from <paramref name="current"/> as far as is safe and returns the new mark.</summary>
    public async Task<long> DetectAsync(NpgsqlConnection connection, long current, CancellationToken ct)
    {
        var schema = options.Schema;
        while (true)
        {
            string snapshot;
            long[] visible;
            await using (var command = new NpgsqlCommand($"""
                select pg_current_snapshot()::text,
                       coalesce((select array_agg(seq_id order by seq_id)
                                   from (select seq_id from {schema}.mt_events where seq_id > $1 order by seq_id limit {Window}) s), array[]::bigint[])
                """, connection))
            {
                command.Parameters.AddWithValue(current);
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                snapshot = reader.GetString(0);
                visible = reader.GetFieldValue<long[]>(1);
            }

            var mark = current;
            foreach (var seq in visible)
            {
                if (seq != mark + 1)
                {
                    break;
                }

                mark = seq;
            }

            if (mark == current + visible.Length)
            {
                // No hole among the visible events (possibly none at all); a full window means there may be more.
                _suspectedGap = null;
                if (visible.Length == Window)
                {
                    current = mark;
                    continue;
                }

                return mark;
            }

            // A hole at mark + 1 with a later event already visible.
            var gap = mark + 1;
            if (_suspectedGap is not { } suspected || suspected.Sequence != gap)
            {
                _suspectedGap = (gap, snapshot);
                return mark;
            }

            if (!await OwnersHaveEndedAsync(connection, suspected.Snapshot, ct) || await ExistsAsync(connection, gap, ct))
            {
                return mark;
            }

            await SkipAsync(connection, gap, ct);
            _suspectedGap = null;
            current = gap;
        }
    }

    private static async Task<bool> OwnersHaveEndedAsync(NpgsqlConnection connection, string snapshot, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select count(*) from pg_snapshot_xip($1::pg_snapshot) x where pg_xact_status(x) = 'in progress'", connection);
        command.Parameters.AddWithValue(snapshot);
        return (long)(await command.ExecuteScalarAsync(ct))! == 0;
    }

    private async Task<bool> ExistsAsync(NpgsqlConnection connection, long sequence, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select exists(select 1 from {options.Schema}.mt_events where seq_id = $1)", connection);
        command.Parameters.AddWithValue(sequence);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task SkipAsync(NpgsqlConnection connection, long sequence, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"insert into {options.Schema}.mt_high_water_skips (seq_id) values ($1) on conflict do nothing", connection);
        command.Parameters.AddWithValue(sequence);
        await command.ExecuteNonQueryAsync(ct);
        EventStoreTelemetry.GapsSkipped.Add(1);
    }
}
