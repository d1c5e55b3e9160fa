using System.Collections.Concurrent;
using Npgsql;
using Referrals.EventStore.Outbox;
using Referrals.EventStore.Tests.TestEvents;
using Referrals.EventStore.Tests.Timers;

namespace Referrals.EventStore.Tests.Outbox;

/// <summary>Records deliveries; optionally fails (to model a broker outage), or runs something before or after a delivery
/// (a stop of the host, a crash). Like a broker client, it gives up once its token is cancelled.</summary>
internal sealed class RecordingPublisher : IOutboxPublisher
{
    public ConcurrentQueue<OutboxEnvelope> Delivered { get; } = new();

    public Func<OutboxEnvelope, bool>? FailWhen { get; set; }

    public Func<OutboxEnvelope, Task>? BeforeDelivering { get; set; }

    public Func<OutboxEnvelope, Task>? AfterDelivering { get; set; }

    public async Task PublishAsync(OutboxEnvelope envelope, CancellationToken ct)
    {
        if (FailWhen?.Invoke(envelope) == true)
        {
            throw new InvalidOperationException("broker unavailable");
        }

        if (BeforeDelivering is { } before)
        {
            await before(envelope);
        }

        ct.ThrowIfCancellationRequested();
        await Task.Yield();
        Delivered.Enqueue(envelope);
        if (AfterDelivering is { } after)
        {
            await after(envelope);
        }
    }
}

public sealed class OutboxTests : IAsyncLifetime
{
    private StoreFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await StoreFixture.CreateAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task A_message_is_written_with_the_events_and_carries_its_source_stream_and_version()
    {
        var id = Guid.CreateVersion7();
        Guid messageId;
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Poole"), new TripLegAdded(id, 3));
            messageId = session.Outbox.Publish(new OrderedMessage(id, 1), id);
            await session.SaveChangesAsync();
        }

        var publisher = new RecordingPublisher();
        Assert.Equal(1, await new OutboxRelay(_fixture.Store, publisher).RunOnceAsync());

        var delivered = Assert.Single(publisher.Delivered);
        Assert.Equal(messageId, delivered.MessageId);
        Assert.Equal(new EventSourceRef(id, 2), ((OrderedMessage)delivered.Message).Source);
        Assert.Equal(0, await _fixture.ScalarAsync("select count(*) from {schema}.mt_outbox"));
    }

    [Fact]
    public async Task After_a_crash_between_delivery_and_commit_the_message_is_delivered_again_with_the_same_message_id()
    {
        var id = Guid.CreateVersion7();
        Guid messageId;
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Ryde"));
            messageId = session.Outbox.Publish(new OrderedMessage(id, 1), id);
            await session.SaveChangesAsync();
        }

        // The process dies once the broker has the message: its database session ends, and the round's deletion with it.
        var crashing = new RecordingPublisher { AfterDelivering = _ => EndRelaySessionAsync() };
        await Assert.ThrowsAnyAsync<Exception>(() => new OutboxRelay(_fixture.Store, crashing).RunOnceAsync());

        Assert.Equal(messageId, Assert.Single(crashing.Delivered).MessageId);
        Assert.Equal(1, await _fixture.ScalarAsync("select count(*) from {schema}.mt_outbox"));

        var restarted = new RecordingPublisher();
        Assert.Equal(1, await new OutboxRelay(_fixture.Store, restarted).RunOnceAsync());
        Assert.Equal(messageId, Assert.Single(restarted.Delivered).MessageId);
    }

    [Fact]
    public async Task A_stop_just_after_a_delivery_still_records_it_so_the_restarted_relay_sends_only_what_was_not_sent()
    {
        var stream = await StreamWithMessagesAsync(2);
        using var stopping = new CancellationTokenSource();
        var stopped = new RecordingPublisher { AfterDelivering = e => IsMessage(e, stream, 1) ? stopping.CancelAsync() : Task.CompletedTask };

        Assert.Equal(1, await new OutboxRelay(_fixture.Store, stopped).RunOnceAsync(stopping.Token));
        Assert.Equal([1], stopped.Delivered.Select(e => ((OrderedMessage)e.Message).Index));

        var restarted = new RecordingPublisher();
        Assert.Equal(1, await new OutboxRelay(_fixture.Store, restarted).RunOnceAsync());
        Assert.Equal([2], restarted.Delivered.Select(e => ((OrderedMessage)e.Message).Index));
    }

    [Fact]
    public async Task A_delivery_cut_short_by_a_stop_is_not_a_failure_and_what_other_streams_delivered_in_the_round_is_still_recorded()
    {
        var delivered = await StreamWithMessagesAsync(1);
        var cut = await StreamWithMessagesAsync(1);
        using var stopping = new CancellationTokenSource();
        var deliveredOne = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publisher = new RecordingPublisher
        {
            // The stop comes while the second stream's message is with the broker, after the first stream's was delivered.
            BeforeDelivering = async e =>
            {
                if (IsMessage(e, cut, 1))
                {
                    await deliveredOne.Task;
                    await stopping.CancelAsync();
                }
            },
            AfterDelivering = e =>
            {
                if (IsMessage(e, delivered, 1))
                {
                    deliveredOne.TrySetResult();
                }

                return Task.CompletedTask;
            },
        };

        Assert.Equal(1, await new OutboxRelay(_fixture.Store, publisher).RunOnceAsync(stopping.Token));
        Assert.Equal(1, await _fixture.ScalarAsync(
            $"select count(*) from {{schema}}.mt_outbox where stream_key = '{cut}' and attempts = 0 and not_before is null"));
        Assert.Equal(1, await _fixture.ScalarAsync("select count(*) from {schema}.mt_outbox"));

        var restarted = new RecordingPublisher();
        Assert.Equal(1, await new OutboxRelay(_fixture.Store, restarted).RunOnceAsync());
        Assert.Equal([cut], restarted.Delivered.Select(e => ((OrderedMessage)e.Message).StreamId));
    }

    [Fact]
    public async Task A_failing_stream_stops_at_its_first_failure_and_other_streams_proceed()
    {
        var blocked = Guid.CreateVersion7();
        var free = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(blocked, new TripStarted(blocked, "A"));
            session.Events.StartStream<Trip>(free, new TripStarted(free, "B"));
            session.Outbox.Publish(new OrderedMessage(blocked, 1), blocked);
            session.Outbox.Publish(new OrderedMessage(blocked, 2), blocked);
            session.Outbox.Publish(new OrderedMessage(free, 1), free);
            await session.SaveChangesAsync();
        }

        _fixture.Store.Options.Outbox.RetryDelay = TimeSpan.Zero;
        var publisher = new RecordingPublisher { FailWhen = e => e.Message is OrderedMessage { Index: 1 } m && m.StreamId == blocked };
        await new OutboxRelay(_fixture.Store, publisher).RunOnceAsync();
        Assert.Equal([free], publisher.Delivered.Select(e => ((OrderedMessage)e.Message).StreamId));

        publisher.FailWhen = null;
        await new OutboxRelay(_fixture.Store, publisher).RunOnceAsync();
        Assert.Equal([1, 2], publisher.Delivered.Select(e => (OrderedMessage)e.Message).Where(m => m.StreamId == blocked).Select(m => m.Index));
    }

    [Fact]
    public async Task Two_relays_deliver_a_thousand_messages_across_ten_streams_in_order_per_stream_once_each()
    {
        var streams = Enumerable.Range(0, 10).Select(_ => Guid.CreateVersion7()).ToList();
        var writers = streams.Select(async stream =>
        {
            for (var i = 1; i <= 100; i++)
            {
                await using var session = _fixture.Store.LightweightSession();
                if (i == 1)
                {
                    session.Events.StartStream<Trip>(stream, new TripStarted(stream, "X"));
                }
                else
                {
                    session.Events.Append(stream, new TripLegAdded(stream, i));
                }

                session.Outbox.Publish(new OrderedMessage(stream, i), stream);
                await session.SaveChangesAsync();
            }
        }).ToList();

        var publisher = new RecordingPublisher();
        _fixture.Store.Options.Outbox.StreamsPerRound = 4;
        _fixture.Store.Options.Outbox.MessagesPerStream = 7;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var relays = Enumerable.Range(0, 2).Select(_ => Task.Run(() => new OutboxRelay(_fixture.Store, publisher).RunAsync(cts.Token))).ToList();
        await Task.WhenAll(writers);
        while (publisher.Delivered.Count < 1000 && !cts.IsCancellationRequested)
        {
            await Task.Delay(50);
        }

        await cts.CancelAsync();
        await Task.WhenAll(relays);

        var messages = publisher.Delivered.Select(e => (OrderedMessage)e.Message).ToList();
        Assert.Equal(1000, messages.Count);
        foreach (var stream in streams)
        {
            Assert.Equal(Enumerable.Range(1, 100), messages.Where(m => m.StreamId == stream).Select(m => m.Index));
            Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), messages.Where(m => m.StreamId == stream).Select(m => m.Source!.Version));
        }
    }

    [Fact]
    public async Task A_failed_message_with_a_later_one_behind_it_waits_out_its_back_off_while_newer_streams_are_delivered()
    {
        var poisoned = await StreamWithMessagesAsync(2);
        var healthy = await StreamWithMessagesAsync(1);
        _fixture.Store.Options.Outbox.RetryDelay = TimeSpan.FromHours(1);
        _fixture.Store.Options.Outbox.StreamsPerRound = 1;
        var attempts = 0;
        var publisher = new RecordingPublisher
        {
            FailWhen = e =>
            {
                if (!IsMessage(e, poisoned, 1))
                {
                    return false;
                }

                Interlocked.Increment(ref attempts);
                return true;
            },
        };

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await new OutboxRelay(_fixture.Store, publisher).RunAsync(cts.Token);

        Assert.Equal((1, 1), (attempts, publisher.Delivered.Count(e => ((OrderedMessage)e.Message).StreamId == healthy)));
        Assert.DoesNotContain(publisher.Delivered, e => ((OrderedMessage)e.Message).StreamId == poisoned);
    }

    [Fact]
    public async Task After_its_back_off_the_failed_message_and_then_the_one_behind_it_are_delivered_in_order()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        _fixture.Store.Options.Time = clock;
        _fixture.Store.Options.Outbox.RetryDelay = TimeSpan.FromSeconds(10);
        var stream = await StreamWithMessagesAsync(2);
        var attempts = 0;
        var publisher = new RecordingPublisher { FailWhen = e => IsMessage(e, stream, 1) && Interlocked.Increment(ref attempts) == 1 };
        var relay = new OutboxRelay(_fixture.Store, publisher);

        await relay.RunOnceAsync();
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await relay.RunOnceAsync());
        Assert.Equal((1, 0), (attempts, publisher.Delivered.Count));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await relay.RunOnceAsync());
        Assert.Equal([1, 2], publisher.Delivered.Select(e => ((OrderedMessage)e.Message).Index));
        Assert.Equal(0, await _fixture.ScalarAsync("select count(*) from {schema}.mt_outbox"));
    }

    [Fact]
    public async Task Each_further_failure_of_a_message_doubles_its_back_off_up_to_the_maximum_and_it_is_never_dropped()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        _fixture.Store.Options.Time = clock;
        _fixture.Store.Options.Outbox.RetryDelay = TimeSpan.FromSeconds(10);
        _fixture.Store.Options.Outbox.MaxRetryDelay = TimeSpan.FromSeconds(30);
        var stream = await StreamWithMessagesAsync(2);
        var attemptedAt = new List<TimeSpan>();
        var start = clock.GetUtcNow();
        var publisher = new RecordingPublisher
        {
            FailWhen = e =>
            {
                if (IsMessage(e, stream, 1))
                {
                    attemptedAt.Add(clock.GetUtcNow() - start);
                }

                return true;
            },
        };
        var relay = new OutboxRelay(_fixture.Store, publisher);

        for (var second = 0; second <= 130; second++)
        {
            await relay.RunOnceAsync();
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        // Back-offs of 10, 20, 30 (not 40), 30, 30 seconds.
        Assert.Equal(new[] { 0, 10, 30, 60, 90, 120 }.Select(s => TimeSpan.FromSeconds(s)), attemptedAt);
        Assert.Equal(2, await _fixture.ScalarAsync("select count(*) from {schema}.mt_outbox"));
        Assert.Equal(6, await _fixture.ScalarAsync("select max(attempts) from {schema}.mt_outbox"));
    }

    [Fact]
    public async Task A_round_in_which_every_claimed_stream_failed_is_followed_by_a_wait_not_by_another_round_at_once()
    {
        var first = await StreamWithMessagesAsync(1);
        await StreamWithMessagesAsync(1);
        _fixture.Store.Options.Outbox.RetryDelay = TimeSpan.FromHours(1);
        _fixture.Store.Options.Outbox.StreamsPerRound = 1;
        _fixture.Store.Options.Outbox.PollInterval = TimeSpan.FromHours(1);
        var attempted = new ConcurrentQueue<Guid>();
        var publisher = new RecordingPublisher
        {
            FailWhen = e =>
            {
                attempted.Enqueue(((OrderedMessage)e.Message).StreamId);
                return true;
            },
        };

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await new OutboxRelay(_fixture.Store, publisher).RunAsync(cts.Token);

        Assert.Equal([first], attempted);
    }

    [Fact]
    public async Task A_stream_claimed_just_as_another_relay_committed_its_failure_sends_neither_the_failed_message_nor_those_behind_it_before_the_back_off_ends()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        _fixture.Store.Options.Time = clock;
        var raced = await StreamWithMessagesAsync(3);
        var healthy = await StreamWithMessagesAsync(1);
        var publisher = new RecordingPublisher();

        // What relay B commits, in its own transaction, after relay A's claim saw the stream free: B delivered message 1
        // (deleted), message 2 failed (backs off for a minute), message 3 waits behind it.
        var relay = new OutboxRelay(_fixture.Store, publisher)
        {
            BetweenClaimAndRead = async (claimed, ct) =>
            {
                Assert.Contains(raced, claimed);
                await using var connection = new NpgsqlConnection(_fixture.ConnectionString);
                await connection.OpenAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(ct);
                var first = $"(select min(seq) from {_fixture.Schema}.mt_outbox where stream_key = $1)";
                await using (var delivered = new NpgsqlCommand($"delete from {_fixture.Schema}.mt_outbox where seq = {first}", connection, tx))
                {
                    delivered.Parameters.AddWithValue(raced);
                    await delivered.ExecuteNonQueryAsync(ct);
                }

                await using (var failed = new NpgsqlCommand($"""
                    update {_fixture.Schema}.mt_outbox set attempts = 1, last_error = 'broker unavailable', not_before = $2
                     where seq = {first}
                    """, connection, tx))
                {
                    failed.Parameters.AddWithValue(raced);
                    failed.Parameters.AddWithValue(clock.GetUtcNow() + TimeSpan.FromMinutes(1));
                    await failed.ExecuteNonQueryAsync(ct);
                }

                await tx.CommitAsync(ct);
            },
        };

        Assert.Equal(1, await relay.RunOnceAsync());
        Assert.Equal([healthy], publisher.Delivered.Select(e => ((OrderedMessage)e.Message).StreamId));
        Assert.Equal(2, await _fixture.ScalarAsync($"select count(*) from {{schema}}.mt_outbox where stream_key = '{raced}'"));
        Assert.Equal(1, await _fixture.ScalarAsync("select max(attempts) from {schema}.mt_outbox"));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, await new OutboxRelay(_fixture.Store, publisher).RunOnceAsync());
        Assert.Equal([2, 3], publisher.Delivered.Select(e => (OrderedMessage)e.Message).Where(m => m.StreamId == raced).Select(m => m.Index));
    }

    private async Task<Guid> StreamWithMessagesAsync(int count)
    {
        var id = Guid.CreateVersion7();
        await using var session = _fixture.Store.LightweightSession();
        session.Events.StartStream<Trip>(id, new TripStarted(id, "A"));
        for (var i = 1; i <= count; i++)
        {
            session.Outbox.Publish(new OrderedMessage(id, i), id);
        }

        await session.SaveChangesAsync();
        return id;
    }

    /// <summary>Ends the relay's database session (idle in its round's transaction), as a crash of its process would.</summary>
    private async Task EndRelaySessionAsync()
    {
        await using var connection = new NpgsqlConnection(_fixture.ConnectionString);
        await connection.OpenAsync();
        await using var end = new NpgsqlCommand("""
            select count(pg_terminate_backend(pid)) from pg_stat_activity
             where pid <> pg_backend_pid() and state = 'idle in transaction' and position($1 in query) > 0
            """, connection);
        end.Parameters.AddWithValue(_fixture.Schema + ".mt_outbox");
        Assert.Equal(1L, await end.ExecuteScalarAsync());
    }

    private static bool IsMessage(OutboxEnvelope envelope, Guid stream, int index) =>
        envelope.Message is OrderedMessage m && m.StreamId == stream && m.Index == index;
}
