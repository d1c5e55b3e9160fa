using Npgsql;
using Referrals.EventStore.Tests.TestEvents;

namespace Referrals.EventStore.Tests.Appending;

public sealed class AppendingTests : IAsyncLifetime
{
    private StoreFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await StoreFixture.CreateAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Started_stream_is_fetched_in_version_order_with_metadata()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Leeds"), new TripLegAdded(id, 12));
            await session.SaveChangesAsync();
        }

        await using var query = _fixture.Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(id);

        Assert.Equal([1L, 2L], events.Select(e => e.Version));
        Assert.Equal("trip_started", events[0].EventTypeName);
        Assert.IsType<TripLegAdded>(events[1].Data);
        Assert.True(events[1].Sequence > events[0].Sequence);
        var state = await query.Events.FetchStreamStateAsync(id);
        Assert.Equal(2, state!.Version);
        Assert.Equal(nameof(Trip), state.AggregateType);
    }

    [Fact]
    public async Task Expected_version_is_the_version_after_the_append()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "York"));
            await session.SaveChangesAsync();
        }

        await using (var session = _fixture.Store.LightweightSession())
        {
            // At version 1, appending two events expects version 3 afterwards.
            session.Events.Append(id, 3, new TripLegAdded(id, 1), new TripLegAdded(id, 2));
            await session.SaveChangesAsync();
        }

        await using (var session = _fixture.Store.LightweightSession())
        {
            // Passing the current version (3) for one more event is the classic mistake: it must conflict.
            session.Events.Append(id, 3, new TripEnded(id));
            var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() => session.SaveChangesAsync());
            Assert.Equal(2, conflict.ExpectedVersion);
            Assert.Equal(3, conflict.ActualVersion);
        }

        await using var query = _fixture.Store.QuerySession();
        Assert.Equal(3, (await query.Events.FetchStreamStateAsync(id))!.Version);
    }

    [Fact]
    public async Task Starting_a_stream_that_exists_fails_with_a_collision()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Hull"));
            await session.SaveChangesAsync();
        }

        await using var again = _fixture.Store.LightweightSession();
        again.Events.StartStream<Trip>(id, new TripStarted(id, "Hull"));
        await Assert.ThrowsAsync<ExistingStreamIdCollisionException>(() => again.SaveChangesAsync());
    }

    [Fact]
    public async Task Fifty_writers_reading_version_zero_yield_one_commit_and_forty_nine_conflicts()
    {
        var id = Guid.CreateVersion7();
        var sessions = new List<IDocumentSession>();
        for (var i = 0; i < 50; i++)
        {
            var session = _fixture.Store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Trip>(id);
            Assert.Equal(0, stream.StartingVersion);
            stream.AppendOne(new TripStarted(id, $"writer {i}"));
            sessions.Add(session);
        }

        var results = await Task.WhenAll(sessions.Select(async s =>
        {
            try
            {
                await s.SaveChangesAsync();
                return "committed";
            }
            catch (ConcurrencyException)
            {
                return "conflict";
            }
        }));

        foreach (var s in sessions)
        {
            await s.DisposeAsync();
        }

        Assert.Equal(1, results.Count(r => r == "committed"));
        Assert.Equal(49, results.Count(r => r == "conflict"));
        await using var query = _fixture.Store.QuerySession();
        Assert.Equal(1, (await query.Events.FetchStreamStateAsync(id))!.Version);
        Assert.Equal(1, await _fixture.ScalarAsync($"select count(*) from {{schema}}.mt_events where stream_id = '{id}'"));
    }

    [Fact]
    public async Task Fetch_for_writing_detects_a_change_made_after_the_read()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Bath"));
            await session.SaveChangesAsync();
        }

        await using var first = _fixture.Store.LightweightSession();
        await using var second = _fixture.Store.LightweightSession();
        var a = await first.Events.FetchForWriting<Trip>(id);
        var b = await second.Events.FetchForWriting<Trip>(id);
        a.AppendOne(new TripLegAdded(id, 5));
        b.AppendOne(new TripLegAdded(id, 7));
        await first.SaveChangesAsync();

        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() => second.SaveChangesAsync());
        Assert.Equal(id, conflict.StreamId);
        Assert.Equal(1, conflict.ExpectedVersion);
    }

    [Fact]
    public async Task Fetch_for_writing_with_a_stale_expected_version_fails_at_once()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Ely"), new TripLegAdded(id, 1));
            await session.SaveChangesAsync();
        }

        await using var stale = _fixture.Store.LightweightSession();
        await Assert.ThrowsAsync<ConcurrencyException>(() => stale.Events.FetchForWriting<Trip>(id, 1));
    }

    [Fact]
    public async Task Exclusive_writers_queue_instead_of_conflicting()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Wells"));
            await session.SaveChangesAsync();
        }

        async Task AddLegAsync(int miles)
        {
            await using var session = _fixture.Store.LightweightSession();
            var stream = await session.Events.FetchForExclusiveWriting<Trip>(id);
            stream.AppendOne(new TripLegAdded(id, miles));
            await Task.Delay(50);
            await session.SaveChangesAsync();
        }

        await Task.WhenAll(Enumerable.Range(1, 5).Select(AddLegAsync));

        await using var query = _fixture.Store.QuerySession();
        var trip = await query.Events.AggregateStreamAsync<Trip>(id);
        Assert.Equal(15, trip!.Miles);
        Assert.Equal(6, trip.Version);
    }

    [Fact]
    public async Task A_failed_unit_of_work_leaves_no_event_and_no_outbox_row()
    {
        var good = Guid.CreateVersion7();
        var bad = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(bad, new TripStarted(bad, "Rye"));
            await session.SaveChangesAsync();
        }

        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(good, new TripStarted(good, "Deal"));
            session.Events.Append(bad, 5, new TripLegAdded(bad, 1)); // wrong version: the whole unit must roll back
            session.Outbox.Publish(new OrderedMessage(good, 1), good);
            await Assert.ThrowsAsync<ConcurrencyException>(() => session.SaveChangesAsync());
        }

        Assert.Equal(0, await _fixture.ScalarAsync($"select count(*) from {{schema}}.mt_events where stream_id = '{good}'"));
        Assert.Equal(0, await _fixture.ScalarAsync("select count(*) from {schema}.mt_outbox"));
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_no_event_and_no_outbox_row()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            // The exclusive fetch opens the transaction; disposing without saving rolls it back.
            var stream = await session.Events.FetchForExclusiveWriting<Trip>(id);
            stream.AppendOne(new TripStarted(id, "Looe"));
            session.Outbox.Publish(new OrderedMessage(id, 1), id);
            Assert.True(await session.Inbox.TryClaimAsync("test-consumer", Guid.NewGuid()));
        }

        Assert.Equal(0, await _fixture.ScalarAsync("select count(*) from {schema}.mt_events"));
        Assert.Equal(0, await _fixture.ScalarAsync("select count(*) from {schema}.mt_outbox"));
        Assert.Equal(0, await _fixture.ScalarAsync("select count(*) from {schema}.mt_inbox"));
    }

    [Fact]
    public async Task Aggregates_fold_by_convention_and_to_a_past_version()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Ayr"), new TripLegAdded(id, 4), new TripLegAdded(id, 6),
                new TripEnded(id));
            await session.SaveChangesAsync();
        }

        await using var query = _fixture.Store.QuerySession();
        var now = await query.Events.AggregateStreamAsync<Trip>(id);
        var before = await query.Events.AggregateStreamAsync<Trip>(id, version: 2);
        var miles = await query.Events.AggregateStreamAsync(id, 0, (total, e) => e.Data is TripLegAdded leg ? total + leg.Miles : total);

        Assert.Equal(new Trip(id, "Ayr", 10, true, 4), now);
        Assert.Equal(new Trip(id, "Ayr", 4, false, 2), before);
        Assert.Equal(10, miles);
    }

    [Fact]
    public async Task An_archived_stream_is_readable_but_refuses_appends()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Oban"));
            session.Events.ArchiveStream(id);
            await session.SaveChangesAsync();
        }

        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.Append(id, new TripEnded(id));
            await Assert.ThrowsAsync<StreamArchivedException>(() => session.SaveChangesAsync());
        }

        await using var query = _fixture.Store.QuerySession();
        Assert.True((await query.Events.FetchStreamStateAsync(id))!.IsArchived);
        Assert.Single(await query.Events.FetchStreamAsync(id));
    }

    [Fact]
    public async Task Tenants_are_conjoined_so_one_stream_id_is_separate_per_tenant()
    {
        var id = Guid.CreateVersion7();
        await using (var north = _fixture.Store.LightweightSession("programme-north"))
        {
            north.Events.StartStream<Trip>(id, new TripStarted(id, "Durham"));
            await north.SaveChangesAsync();
        }

        await using (var south = _fixture.Store.LightweightSession("programme-south"))
        {
            south.Events.StartStream<Trip>(id, new TripStarted(id, "Exeter"), new TripLegAdded(id, 2));
            await south.SaveChangesAsync();
        }

        await using var northQuery = _fixture.Store.QuerySession("programme-north");
        await using var southQuery = _fixture.Store.QuerySession("programme-south");
        Assert.Equal("Durham", (await northQuery.Events.AggregateStreamAsync<Trip>(id))!.Destination);
        Assert.Equal(2, (await southQuery.Events.FetchStreamStateAsync(id))!.Version);
        Assert.Equal("programme-south", (await southQuery.Events.FetchStreamAsync(id))[0].TenantId);
    }

    [Fact]
    public async Task Events_store_the_trace_context_they_were_written_in()
    {
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) =>
                System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var source = new System.Diagnostics.ActivitySource("test");
        using var activity = source.StartActivity("request")!;
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Kew"));
            await session.SaveChangesAsync();
        }

        await using var query = _fixture.Store.QuerySession();
        var stored = (await query.Events.FetchStreamAsync(id))[0];
        Assert.Equal(activity.TraceId.ToString(), stored.CorrelationId);
        Assert.StartsWith($"00-{activity.TraceId}-", stored.Headers!["traceparent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migration_is_idempotent_and_safe_from_several_instances_at_once()
    {
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _fixture.Store.MigrateAsync()));
        Assert.Equal(1, await _fixture.ScalarAsync(
            $"select count(*) from information_schema.tables where table_schema = '{_fixture.Schema}' and table_name = 'mt_events'"));
    }

    [Fact]
    public async Task Inbox_applies_a_message_once_per_consumer()
    {
        var messageId = Guid.NewGuid();
        async Task<bool> ClaimAsync(string consumer)
        {
            await using var session = _fixture.Store.LightweightSession();
            var claimed = await session.Inbox.TryClaimAsync(consumer, messageId);
            await session.SaveChangesAsync();
            return claimed;
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ClaimAsync("triage")));
        Assert.Equal(1, concurrent.Count(c => c));
        Assert.True(await ClaimAsync("support-plan"));
        Assert.False(await ClaimAsync("support-plan"));
    }

    [Fact]
    public async Task Raw_postgres_errors_never_escape_for_a_concurrent_start()
    {
        var id = Guid.CreateVersion7();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            await using var session = _fixture.Store.LightweightSession();
            session.Events.StartStream<Trip>(id, new TripStarted(id, $"n{i}"));
            try
            {
                await session.SaveChangesAsync();
                return (Exception?)null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }));

        Assert.Equal(1, attempts.Count(a => a is null));
        Assert.All(attempts.OfType<Exception>(), ex => Assert.IsType<ExistingStreamIdCollisionException>(ex));
        Assert.DoesNotContain(attempts, a => a is PostgresException);
    }
}
