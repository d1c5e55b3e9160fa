using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Referrals.EventStore.Telemetry;

namespace Referrals.EventStore.Outbox;

/// <summary>A message taken from the outbox, ready to hand to the broker.</summary>
public sealed record OutboxEnvelope(
    Guid MessageId,
    object Message,
    Type MessageType,
    string? Destination,
    IReadOnlyDictionary<string, string> Headers,
    Guid? StreamId,
    long? StreamVersion,
    Guid? PersonId,
    string TenantId,
    DateTimeOffset Created);

/// <summary>Delivers one outbox message to the broker, at least once; the MessageId must be kept.</summary>
public interface IOutboxPublisher
{
    Task PublishAsync(OutboxEnvelope envelope, CancellationToken ct);
}

/// <summary>Lets the relay wait for something before it delivers, e.g. the broker topology being deployed.</summary>
public interface IOutboxReadiness
{
    Task WaitUntilReadyAsync(CancellationToken ct);
}

/// <summary>
/// Moves committed outbox rows to the broker. Rows are claimed per stream with a transaction-scoped advisory lock, so
/// several relays share the work while each stream is delivered by one relay at a time, in version order. A stream stops at
/// its first failure: the failed message backs off (<see cref="OutboxOptions.RetryDelay"/>, doubling with each further
/// failure up to <see cref="OutboxOptions.MaxRetryDelay"/>), and nothing behind it in its stream is sent before it; it is
/// retried for as long as it fails, never dropped, while other streams go on. Rows are deleted in the transaction that
/// claimed them, after delivery. A crash between delivery and commit re-sends with the same MessageId, which consumers'
/// inboxes discard. A stop (the token cancelled) is not a crash: the round sends nothing more, and what it sent is still
/// recorded, so a restart does not send it again.
/// </summary>
public sealed class OutboxRelay(DocumentStore store, IOutboxPublisher publisher, ILogger<OutboxRelay>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<OutboxRelay>.Instance;

    private EventStoreOptions Options => store.Options;

    /// <summary>Tests only: runs between a round's claim and its read of the rows, where another relay's commit can land
    /// in production (its back-off committed after the claim's snapshot, its lock released before the claim tried it).</summary>
    internal Func<IReadOnlyList<Guid>, CancellationToken, Task>? BetweenClaimAndRead { get; init; }

    /// <summary>Delivers one round of work. Returns how many messages were delivered.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default) => (await RunRoundAsync(ct)).Delivered;

    /// <summary>One round; <c>Full</c> when it reached a limit of the round, so that more may be waiting already.</summary>
    private async Task<(int Delivered, bool Full)> RunRoundAsync(CancellationToken ct)
    {
        var schema = Options.Schema;
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = Options.Time.GetUtcNow();

        // The oldest streams that are not backing off, claimed in the same statement. A not_before is given to the row a
        // stream stopped at, its head (the rows before it were delivered and are deleted with the same commit), and a
        // stream with a row backing off waits as a whole: its later rows must neither be sent before that row nor keep
        // the stream among the candidates, where it would crowd out others.
        // The rows are read by a second statement, whose snapshot is taken after the claims: a relay that held a stream
        // and just committed its deletions (or a failure's back-off) must not have those rows read again, so that read
        // also stops at the first row backing off. Each row comes with its person's key (null once erased, or if never
        // keyed), looked up by primary key: a join let the planner scan every person's key on each round, a cost that
        // grew with the people.
        var claimed = new List<Guid>();
        await using (var command = new NpgsqlCommand($"""
            select k from (select stream_key as k from {schema}.mt_outbox
                            group by stream_key
                           having max(not_before) is null or max(not_before) <= $1
                            order by min(seq) limit $2) candidates
             where pg_try_advisory_xact_lock(hashtextextended('outbox:{schema}:' || k::text, 0))
            """, connection, tx))
        {
            command.Parameters.AddWithValue(now);
            command.Parameters.AddWithValue(Options.Outbox.StreamsPerRound);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                claimed.Add(reader.GetGuid(0));
            }
        }

        if (claimed.Count == 0)
        {
            return (0, false);
        }

        if (BetweenClaimAndRead is { } between)
        {
            await between(claimed, ct);
        }

        var rows = new List<Row>();
        var keys = new Dictionary<Guid, byte[]?>();
        await using (var command = new NpgsqlCommand($"""
            select o.seq, o.message_id, o.tenant_id, o.stream_id, o.stream_version, o.person_id, o.message_type, o.body::text,
                   o.headers::text, o.destination, o.created, o.stream_key, o.attempts,
                   (select pk.key from {schema}.mt_person_keys pk where pk.person_id = o.person_id)
              from (select *, row_number() over w as n, count(*) filter (where not_before > $3) over w as backing_off
                      from {schema}.mt_outbox where stream_key = any($1)
                    window w as (partition by stream_key order by stream_version nulls first, seq)) o
             where o.n <= $2 and o.backing_off = 0
             order by o.stream_key, o.stream_version nulls first, o.seq
            """, connection, tx))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = claimed.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            command.Parameters.AddWithValue(Options.Outbox.MessagesPerStream);
            command.Parameters.AddWithValue(now);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = new Row(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetGuid(3),
                    reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.GetString(6),
                    reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                    reader.GetFieldValue<DateTimeOffset>(10), reader.GetGuid(11), reader.GetInt32(12));
                rows.Add(row);
                if (row.PersonId is { } person)
                {
                    keys[person] = reader.IsDBNull(13) ? null : reader.GetFieldValue<byte[]>(13);
                }
            }
        }

        var outcomes = await Task.WhenAll(rows.GroupBy(r => r.StreamKey).Select(stream => DeliverStreamAsync(stream.ToList(), keys, ct)));

        // What was sent is on the broker: its deletion is committed even if the host is stopping meanwhile, or the next relay
        // would send it again (the command timeout bounds the wait).
        var record = CancellationToken.None;
        var sent = outcomes.SelectMany(o => o.Sent).ToArray();
        if (sent.Length > 0)
        {
            await using var delete = new NpgsqlCommand($"delete from {schema}.mt_outbox where seq = any($1)", connection, tx);
            delete.Parameters.Add(new NpgsqlParameter { Value = sent, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            await delete.ExecuteNonQueryAsync(record);
        }

        var failed = outcomes.Where(o => o.Failed is not null).Select(o => o.Failed!).ToArray();
        if (failed.Length > 0)
        {
            // Only the failed row backs off; the rows behind it wait with it, since its stream is not claimed meanwhile.
            await using var update = new NpgsqlCommand($"""
                update {schema}.mt_outbox o set attempts = o.attempts + 1, last_error = f.error, not_before = f.not_before
                  from unnest($1, $2, $3) as f(seq, error, not_before) where o.seq = f.seq
                """, connection, tx);
            update.Parameters.Add(new NpgsqlParameter
            {
                Value = failed.Select(f => f.Row.Seq).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint,
            });
            update.Parameters.Add(new NpgsqlParameter
            {
                Value = failed.Select(f => f.Error).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar,
            });
            update.Parameters.Add(new NpgsqlParameter
            {
                Value = failed.Select(f => now + BackOff(f.Row.Attempts)).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
            });
            await update.ExecuteNonQueryAsync(record);
        }

        await tx.CommitAsync(record);
        EventStoreTelemetry.OutboxDelivered.Add(sent.Length);

        // Full when more may be waiting already: every stream slot was taken, or a stream was delivered up to its limit.
        // A round that delivered nothing is not full, whatever it claimed or read: its failed streams now back off, and
        // running again at once would only hammer the database and the broker while, say, the broker is down.
        var full = sent.Length > 0 &&
                   (claimed.Count >= Options.Outbox.StreamsPerRound ||
                    outcomes.Any(o => o.Failed is null && o.Sent.Count >= Options.Outbox.MessagesPerStream));
        return (sent.Length, full);
    }

    /// <summary>The wait after a message's failure, given how often it had failed before: RetryDelay doubled per earlier
    /// failure, at most MaxRetryDelay (or RetryDelay, if that is longer).</summary>
    private TimeSpan BackOff(int earlierFailures)
    {
        var first = Options.Outbox.RetryDelay;
        var max = Options.Outbox.MaxRetryDelay > first ? Options.Outbox.MaxRetryDelay : first;
        var delay = first;
        for (var i = 0; i < earlierFailures && delay < max; i++)
        {
            delay = delay.Ticks > max.Ticks / 2 ? max : delay * 2;
        }

        return delay < max ? delay : max;
    }

    private sealed record Row(long Seq, Guid MessageId, string TenantId, Guid? StreamId, long? StreamVersion, Guid? PersonId,
        string MessageType, string Body, string? Headers, string? Destination, DateTimeOffset Created, Guid StreamKey, int Attempts);

    private sealed record FailedRow(Row Row, string Error);

    private sealed record StreamOutcome(List<long> Sent, FailedRow? Failed);

    private async Task<StreamOutcome> DeliverStreamAsync(List<Row> rows, IReadOnlyDictionary<Guid, byte[]?> keys, CancellationToken ct)
    {
        var sent = new List<long>();
        foreach (var row in rows)
        {
            if (ct.IsCancellationRequested)
            {
                break; // stopping: the rest wait for the next relay
            }

            var headers = row.Headers is null
                ? new Dictionary<string, string>()
                : JsonSerializer.Deserialize<Dictionary<string, string>>(row.Headers)!;
            using var activity = EventStoreTelemetry.StartFromStored("outbox relay", ActivityKind.Producer, headers);
            try
            {
                var envelope = ToEnvelope(row, headers, keys);
                activity?.SetTag("messaging.message.id", row.MessageId.ToString());
                activity?.SetTag("event_store.message_type", envelope.MessageType.Name);
                await publisher.PublishAsync(envelope, ct);
                sent.Add(row.Seq);
                EventStoreTelemetry.OutboxLag.Record((Options.Time.GetUtcNow() - row.Created).TotalSeconds);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // The stop cut this one short, not a failure: the broker may have it or not, so it stays, to be sent again
                // under its MessageId; what the stream sent before it is still recorded.
                break;
            }
            catch (Exception ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                EventStoreTelemetry.OutboxFailures.Add(1);
                // Only the id, the type and the exception type: bodies may hold personal data, and exception messages from
                // serializers or brokers may echo message content. Once the back-off is at its longest the message is
                // presumably stuck rather than held up by a passing outage, and its stream with it: an error, every time.
                var failures = row.Attempts + 1;
                var backOff = BackOff(row.Attempts);
                _logger.Log(backOff >= Options.Outbox.MaxRetryDelay && failures > 1 ? LogLevel.Error : LogLevel.Warning,
                    "Outbox delivery of message {MessageId} ({MessageType}) failed ({Error}), {Failures} time(s) so far; " +
                    "its stream waits and retries in {BackOff}",
                    row.MessageId, row.MessageType, ex.GetType().Name, failures, backOff);
                return new StreamOutcome(sent, new FailedRow(row, ex.GetType().FullName ?? ex.GetType().Name));
            }
        }

        return new StreamOutcome(sent, null);
    }

    private OutboxEnvelope ToEnvelope(Row row, Dictionary<string, string> headers, IReadOnlyDictionary<Guid, byte[]?> keys)
    {
        var type = Type.GetType(row.MessageType, throwOnError: false)
                   ?? throw new EventStoreException($"Outbox message type '{row.MessageType}' cannot be loaded.");
        var body = row.Body;
        if (row.StreamId is { } streamId && type.GetProperty("Source") is not null)
        {
            // Every integration event carries its source stream and version, so consumers can tell duplicates from gaps.
            var node = JsonNode.Parse(body)!.AsObject();
            node["source"] = new JsonObject { ["streamId"] = streamId.ToString(), ["version"] = row.StreamVersion ?? 0 };
            body = node.ToJsonString();
        }

        var message = store.Protector.Deserialize(body, type, keys);
        return new OutboxEnvelope(row.MessageId, message, type, row.Destination, headers, row.StreamId, row.StreamVersion, row.PersonId,
            row.TenantId, row.Created);
    }

    /// <summary>Runs until cancelled, woken by local commits or by the poll interval.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var signal = new SemaphoreSlim(0);
        void Wake()
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }

        store.OutboxWritten += Wake;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // A round that was not full left nothing behind that was committed before it started, and every commit
                // since has woken the signal: wait for it rather than run a round that finds nothing.
                var full = false;
                try
                {
                    full = (await RunRoundAsync(ct)).Full;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    _logger.LogError("Outbox relay round failed ({Error}); retrying", ex.GetType().Name);
                    _logger.LogDebug(ex, "Outbox relay failure detail");
                }

                if (!full)
                {
                    try
                    {
                        await signal.WaitAsync(Options.Outbox.PollInterval, ct);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            store.OutboxWritten -= Wake;
        }
    }

    /// <summary>Removes inbox rows older than the retention window.</summary>
    public async Task<int> CleanInboxAsync(CancellationToken ct = default)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"delete from {Options.Schema}.mt_inbox where received < $1", connection);
        command.Parameters.AddWithValue(Options.Time.GetUtcNow() - Options.Outbox.InboxRetention);
        return await command.ExecuteNonQueryAsync(ct);
    }
}
