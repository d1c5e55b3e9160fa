using System.Collections.Concurrent;
using Referrals.EventStore.Outbox;
using Referrals.EventStore.Tests.TestEvents;

namespace Referrals.EventStore.Tests.Outbox;

/// <summary>Records deliveries; optionally fails (to model a broker outage) or "crashes" after delivering.</summary>
internal sealed class RecordingPublisher : IOutboxPublisher
{
    public ConcurrentQueue<OutboxEnvelope> Delivered { get; } = new();

    public Func<OutboxEnvelope, bool>? FailWhen { get; set; }

    public Func<OutboxEnvelope, bool>? CrashAfterDeliveringWhen { get; set; }

    public async Task PublishAsync(OutboxEnvelope envelope, CancellationToken ct)
    {
        if (FailWhen?.Invoke(envelope) == true)
        {
            throw new InvalidOperationException("broker unavailable");
        }

        await Task.Yield();
        Delivered.Enqueue(envelope);
        if (CrashAfterDeliveringWhen?.Invoke(envelope) == true)
        {
            throw new OperationCanceledException("process died before the outbox row was deleted");
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

        var crashing = new RecordingPublisher { CrashAfterDeliveringWhen = _ => true };
        using (var cts = new CancellationTokenSource())
        {
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new OutboxRelay(_fixture.Store, crashing).RunOnceAsync(cts.Token));
        }

        Assert.Equal(1, await _fixture.ScalarAsync("select count(*) from {schema}.mt_outbox"));

        var restarted = new RecordingPublisher();
        Assert.Equal(1, await new OutboxRelay(_fixture.Store, restarted).RunOnceAsync());
        Assert.Equal(messageId, Assert.Single(restarted.Delivered).MessageId);
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
}
