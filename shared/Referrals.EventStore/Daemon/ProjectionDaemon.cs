using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Referrals.EventStore.Telemetry;

namespace Referrals.EventStore.Daemon;

/// <summary>
/// Runs the async projections: follows the global sequence up to the high-water mark, applying each batch and its
/// checkpoint in one transaction. Only the holder of the store's advisory lock runs (hot/cold), so several instances are safe;
/// should a leader lose its lock unnoticed, each batch's progress check still keeps two daemons from applying an event twice.
/// </summary>
public sealed class ProjectionDaemon(DocumentStore store, ILogger<ProjectionDaemon>? logger = null) : IAsyncDisposable
{
    public const string HighWaterMarkName = "HighWaterMark";

    private readonly ILogger _logger = logger ?? NullLogger<ProjectionDaemon>.Instance;
    private readonly HighWaterDetector _detector = new(store.Options);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _leaderConnection;

    private EventStoreOptions Options => store.Options;

    private long LockId => Options.Daemon.LockSeed + StableHash(Options.Schema);

    public bool IsLeader => _leaderConnection is not null;

    /// <summary>Tries to become the leader. The lock is held on a dedicated idle connection, which takes no transaction id.</summary>
    public async Task<bool> TryTakeLeadershipAsync(CancellationToken ct)
    {
        if (_leaderConnection is { State: System.Data.ConnectionState.Open })
        {
            return true;
        }

        await ReleaseLeadershipAsync();
        var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection);
        command.Parameters.AddWithValue(LockId);
        if ((bool)(await command.ExecuteScalarAsync(ct))!)
        {
            _leaderConnection = connection;
            return true;
        }

        await connection.DisposeAsync();
        return false;
    }

    public async Task ReleaseLeadershipAsync()
    {
        if (_leaderConnection is not null)
        {
            try
            {
                // Pooled connections keep session locks until reused, so release explicitly.
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock($1)", _leaderConnection);
                unlock.Parameters.AddWithValue(LockId);
                await unlock.ExecuteNonQueryAsync();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
            {
                // A broken connection has lost the lock already; one that survived the failure would go back to the pool
                // still holding it (connections are not reset on close), and no instance could lead again: discard it.
                NpgsqlConnection.ClearPool(_leaderConnection);
            }

            await _leaderConnection.DisposeAsync();
            _leaderConnection = null;
        }
    }

    /// <summary>One pass: advance the high-water mark, then bring every async projection up to it. Returns events applied.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var connection = await store.DataSource.OpenConnectionAsync(ct);
            var previous = await ProgressAsync(connection, HighWaterMarkName, ct);
            var mark = await _detector.DetectAsync(connection, previous, ct);
            if (mark != previous)
            {
                await MarkAsync(connection, null, HighWaterMarkName, mark, ct);
            }

            var applied = 0;
            foreach (var projection in Options.Projections.Async)
            {
                applied += await CatchUpAsync(connection, projection, mark, ct);
            }

            return applied;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Rebuilds a projection from zero: its documents are cleared and every event is applied again.</summary>
    public async Task RebuildAsync(string projectionName, CancellationToken ct = default)
    {
        var projection = Options.Projections.Async.Concat(Options.Projections.Inline).FirstOrDefault(p => p.Name == projectionName)
            ?? throw new EventStoreException($"No projection named '{projectionName}'.");
        await _gate.WaitAsync(ct);
        try
        {
            await using var connection = await store.DataSource.OpenConnectionAsync(ct);
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                foreach (var type in projection.DocumentTypes)
                {
                    await using var clear = new NpgsqlCommand(
                        $"delete from {Options.Schema}.{Options.Documents.For(type).TableName}", connection, tx);
                    await clear.ExecuteNonQueryAsync(ct);
                }

                await MarkAsync(connection, tx, projection.Name, 0, ct);
                await tx.CommitAsync(ct);
            }

            var mark = await _detector.DetectAsync(connection, await ProgressAsync(connection, HighWaterMarkName, ct), ct);
            await MarkAsync(connection, null, HighWaterMarkName, mark, ct);
            await CatchUpAsync(connection, projection, mark, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> CatchUpAsync(NpgsqlConnection connection, IProjection projection, long mark, CancellationToken ct)
    {
        var applied = 0;
        var progress = await ProgressAsync(connection, projection.Name, ct);
        EventStoreTelemetry.ProjectionLag.Record(mark - progress, new KeyValuePair<string, object?>("projection", projection.Name));
        while (progress < mark)
        {
            var upTo = Math.Min(mark, progress + Options.Daemon.BatchSize);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using var command = new NpgsqlCommand($"""
                select seq_id, id, stream_id, version, data::text, type, mt_dotnet_type, timestamp, tenant_id, correlation_id,
                       causation_id, headers::text
                  from {Options.Schema}.mt_events where seq_id > $1 and seq_id <= $2 order by seq_id
                """, connection, tx);
            command.Parameters.AddWithValue(progress);
            command.Parameters.AddWithValue(upTo);
            var events = await EventReader.ReadAsync(store, command, connection, tx, ct);
            var relevant = events.Where(e => projection.Handles(e.EventType)).ToList();
            if (relevant.Count > 0)
            {
                using var activity = StartActivity(projection.Name, relevant);
                foreach (var tenant in relevant.GroupBy(e => e.TenantId))
                {
                    var context = new ProjectionContext(store, tenant.Key, connection, tx, inline: false);
                    await projection.ApplyAsync(context, tenant.ToList(), ct);
                    var keys = await store.Protector.GetOrCreateKeysAsync(connection, tx,
                        context.Pending.Where(p => p.Document is not null).Select(p => store.Protector.SubjectOf(p.Document!))
                            .OfType<Guid>().Distinct().ToList(), ct);
                    await using var batch = new NpgsqlBatch(connection, tx);
                    DocumentWriter.AddOperations(store, batch, tenant.Key, context.Pending, keys);
                    if (batch.BatchCommands.Count > 0)
                    {
                        await batch.ExecuteNonQueryAsync(ct);
                    }
                }
            }

            if (!await AdvanceAsync(connection, tx, projection.Name, progress, upTo, ct))
            {
                await tx.RollbackAsync(ct);
                throw new ProjectionProgressMovedException(projection.Name, progress);
            }

            await tx.CommitAsync(ct);
            applied += relevant.Count;
            progress = upTo;
        }

        return applied;
    }

    private static Activity? StartActivity(string projection, IReadOnlyList<IEvent> events)
    {
        var activity = EventStoreTelemetry.StartFromStored($"projection {projection}", ActivityKind.Consumer, events[0].Headers);
        if (activity is not null)
        {
            foreach (var e in events.Skip(1).Take(32))
            {
                if (e.Headers?.GetValueOrDefault("traceparent") is { } parent && ActivityContext.TryParse(parent, null, out var context))
                {
                    activity.AddLink(new ActivityLink(context));
                }
            }

            activity.SetTag("event_store.projection", projection);
            activity.SetTag("event_store.events", events.Count);
        }

        return activity;
    }

    public async Task<long> ProgressAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        return await ProgressAsync(connection, name, ct);
    }

    private async Task<long> ProgressAsync(NpgsqlConnection connection, string name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select coalesce(max(last_seq_id), 0) from {Options.Schema}.mt_event_progression where name = $1", connection);
        command.Parameters.AddWithValue(name);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task MarkAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string name, long sequence, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {Options.Schema}.mt_mark_event_progression($1, $2)", connection, tx);
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(sequence);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Moves a projection's progress on only from where this batch started; false when another daemon has moved it (a
    /// leader that lost its lock unnoticed runs beside the new one). Two batches over the same events queue on this row,
    /// and the later finds the progress moved and rolls back, so no event is applied twice.
    /// </summary>
    private async Task<bool> AdvanceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string name, long from, long to, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            insert into {Options.Schema}.mt_event_progression as p (name, last_seq_id, last_updated)
            values ($1, $3, transaction_timestamp())
            on conflict (name) do update set last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated
             where p.last_seq_id = $2
            """, connection, tx);
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Runs until cancelled: waits for leadership, then polls.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await TryTakeLeadershipAsync(ct))
                {
                    await RunOnceAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (ProjectionProgressMovedException)
            {
                _logger.LogWarning("Another daemon moved an async projection's progress; this one stands down");
                await ReleaseLeadershipAsync();
            }
            catch (Exception ex)
            {
                // The type only, as the relay and the timer poller log it: a message can quote the data it failed on.
                _logger.LogError("Async projection pass failed ({Error}); retrying", ex.GetType().Name);
                _logger.LogDebug(ex, "Async projection failure detail");
                await ReleaseLeadershipAsync();
            }

            try
            {
                await Task.Delay(Options.Daemon.PollInterval, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await ReleaseLeadershipAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseLeadershipAsync();
        _gate.Dispose();
    }

    internal static long StableHash(string value)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));
        return BitConverter.ToInt32(hash, 0) & 0x7FFFFFFF;
    }
}
