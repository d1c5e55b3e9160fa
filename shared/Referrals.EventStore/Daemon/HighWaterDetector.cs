using Npgsql;
using Referrals.EventStore.Telemetry;

namespace Referrals.EventStore.Daemon;

/// <summary>
/// Finds the high-water mark: the furthest sequence up to which every event is committed and can be processed in order.
/// <para>
/// A hole in the sequence is either a transaction still in flight (its event will appear) or one that rolled back (it never
/// will). The append function takes a transaction id before any sequence number, so the owner of a hole below a visible
/// event already had its id when the hole was seen. The detector then takes a fresh transaction id, above the owner's;
/// once no transaction below it is still running and the hole is still empty, its owner rolled back and the hole is
/// skipped. (A snapshot's in-progress list would not do: it leaves out running transactions newer than the newest that
/// has ended.) No timer decides it: a transaction may hold a sequence number open for as long as it likes and its event
/// is still projected, exactly once.
/// </para>
/// </summary>
internal sealed class HighWaterDetector(EventStoreOptions options)
{
    private const int Window = 5000;
    private (long Sequence, string TransactionIdAfter)? _suspectedGap;

    /// <summary>Advances from <paramref name="current"/> as far as is safe and returns the new mark.</summary>
    public async Task<long> DetectAsync(NpgsqlConnection connection, long current, CancellationToken ct)
    {
        var schema = options.Schema;
        while (true)
        {
            long[] visible;
            await using (var command = new NpgsqlCommand($"""
                select coalesce(array_agg(seq_id order by seq_id), array[]::bigint[])
                  from (select seq_id from {schema}.mt_events where seq_id > $1 order by seq_id limit {Window}) s
                """, connection))
            {
                command.Parameters.AddWithValue(current);
                visible = (long[])(await command.ExecuteScalarAsync(ct))!;
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
                _suspectedGap = (gap, await NewTransactionIdAsync(connection, ct));
                return mark;
            }

            if (!await EveryTransactionBeforeHasEndedAsync(connection, suspected.TransactionIdAfter, ct) || await ExistsAsync(connection, gap, ct))
            {
                return mark;
            }

            await SkipAsync(connection, gap, ct);
            _suspectedGap = null;
            current = gap;
        }
    }

    /// <summary>A transaction id assigned now (in a statement of its own), so above that of any transaction already running.</summary>
    private static async Task<string> NewTransactionIdAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select pg_current_xact_id()::text", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<bool> EveryTransactionBeforeHasEndedAsync(NpgsqlConnection connection, string transactionId, CancellationToken ct)
    {
        // The oldest running transaction id; when none runs, the next to be assigned.
        await using var command = new NpgsqlCommand("select pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8", connection);
        command.Parameters.AddWithValue(transactionId);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
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
