using Npgsql;
using Referrals.EventStore.Tests.TestEvents;

namespace Referrals.EventStore.Tests.Projections;

public sealed class ProjectionTests : IAsyncLifetime
{
    private StoreFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await StoreFixture.CreateAsync(o =>
    {
        o.Projections.Snapshot<Trip>(ProjectionLifecycle.Inline);
        o.Projections.Snapshot<TripCopy>(ProjectionLifecycle.Async);
        o.Projections.Add(new DestinationTallyProjection(), ProjectionLifecycle.Inline);
    });

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private async Task<Guid> StartTripAsync(string destination, params int[] legs)
    {
        var id = Guid.CreateVersion7();
        await using var session = _fixture.Store.LightweightSession();
        session.Events.StartStream<Trip>(id, [new TripStarted(id, destination), .. legs.Select(m => (object)new TripLegAdded(id, m))]);
        await session.SaveChangesAsync();
        return id;
    }

    [Fact]
    public async Task Inline_projection_is_updated_in_the_same_transaction_as_the_append()
    {
        var id = await StartTripAsync("Cork", 3, 4);
        await using var query = _fixture.Store.QuerySession();
        var trip = await query.LoadAsync<Trip>(id);
        Assert.Equal(new Trip(id, "Cork", 7, false, 3), trip);
    }

    [Fact]
    public async Task Inline_projection_change_is_rolled_back_with_a_failed_append()
    {
        var id = await StartTripAsync("Bray", 1);
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.Append(id, 99, new TripLegAdded(id, 100));
            await Assert.ThrowsAsync<ConcurrencyException>(() => session.SaveChangesAsync());
        }

        await using var query = _fixture.Store.QuerySession();
        Assert.Equal(1, (await query.LoadAsync<Trip>(id))!.Miles);
    }

    [Fact]
    public async Task A_delete_convention_removes_the_document()
    {
        var id = await StartTripAsync("Sligo");
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.Append(id, new TripCancelled(id));
            await session.SaveChangesAsync();
        }

        await using var query = _fixture.Store.QuerySession();
        Assert.Null(await query.LoadAsync<Trip>(id));
    }

    [Fact]
    public async Task Multi_stream_projection_groups_events_from_many_streams_under_concurrency()
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => StartTripAsync("Galway")));
        await using var query = _fixture.Store.QuerySession();
        Assert.Equal(20, (await query.LoadAsync<DestinationTally>("Galway"))!.Trips);
    }

    [Fact]
    public async Task A_stream_s_inline_snapshot_keeps_every_append_when_many_sessions_append_to_it_at_once()
    {
        var id = await StartTripAsync("Mallow");
        await Task.WhenAll(Enumerable.Range(1, 20).Select(async miles =>
        {
            await using var session = _fixture.Store.LightweightSession();
            session.Events.Append(id, new TripLegAdded(id, miles));
            await session.SaveChangesAsync();
        }));

        await using var query = _fixture.Store.QuerySession();
        Assert.Equal(new Trip(id, "Mallow", 210, false, 21), await query.LoadAsync<Trip>(id));
    }

    [Fact]
    public async Task A_stream_started_and_appended_to_in_one_session_has_its_snapshot_from_all_its_events()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.StartStream<Trip>(id, new TripStarted(id, "Kinsale"));
            session.Events.Append(id, new TripLegAdded(id, 5), new TripEnded(id));
            await session.SaveChangesAsync();
        }

        await using var query = _fixture.Store.QuerySession();
        Assert.Equal(new Trip(id, "Kinsale", 5, true, 3), await query.LoadAsync<Trip>(id));
    }

    [Fact]
    public async Task Documents_can_be_queried_by_their_json()
    {
        await StartTripAsync("Tralee", 10);
        await StartTripAsync("Tralee", 20);
        await StartTripAsync("Kells", 30);
        await using var query = _fixture.Store.QuerySession();
        var trips = await query.QueryAsync<Trip>("data->>'destination' = ? order by (data->>'miles')::int", "Tralee");
        Assert.Equal([10, 20], trips.Select(t => t.Miles));
    }

    [Fact]
    public async Task Scalar_queries_each_read_the_matching_documents_with_their_fields_and_take_placeholders_in_the_order_fields_condition_queries()
    {
        await StartTripAsync("Kenmare", 10);
        await StartTripAsync("Kenmare", 20);
        await StartTripAsync("Kenmare", 35);
        await StartTripAsync("Sneem", 40);
        await using var query = _fixture.Store.QuerySession();

        var row = await query.ScalarsAsync<Trip>(
            new Dictionary<string, string> { ["miles"] = "(data->>'miles')::int", ["is_long"] = "(data->>'miles')::int >= ?" },
            ["select count(*) from document where is_long and miles < ?", "select sum(miles) from document",
             "select jsonb_agg(data->'miles' order by miles) from document where id <> all(?)", "select max(miles) from document where miles > 99"],
            "data->>'destination' = ?", [20, "Kenmare", 30, Array.Empty<string>()], CancellationToken.None);

        Assert.Equal(["1", "65", "[10, 20, 35]", null], row);
    }

    [Fact]
    public async Task A_doubled_question_mark_in_a_condition_is_a_literal_one_as_in_a_jsonpath_filter()
    {
        await StartTripAsync("Glin", 10);
        var longTrip = await StartTripAsync("Glin", 20);
        await StartTripAsync("Foynes", 30);
        await using var query = _fixture.Store.QuerySession();

        var trips = await query.QueryAsync<Trip>("jsonb_path_exists(data, '$.miles ?? (@ > 15)') and data->>'destination' = ?", "Glin");

        Assert.Equal(longTrip, Assert.Single(trips).Id);
    }

    [Fact]
    public async Task Scalar_queries_are_refused_over_documents_that_hold_personal_data()
    {
        await using var query = _fixture.Store.QuerySession();
        await Assert.ThrowsAsync<EventStoreException>(() =>
            query.ScalarsAsync<PersonCard>(new Dictionary<string, string>(), ["select count(*) from document"], "true", [], CancellationToken.None));
    }

    [Fact]
    public async Task Async_projection_rebuilt_from_zero_equals_the_inline_one()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await StartTripAsync($"Town{i % 4}", i, i + 1));
        }

        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.Append(ids[0], new TripEnded(ids[0]));
            await session.SaveChangesAsync();
        }

        await using var daemon = _fixture.Daemon();
        await daemon.RunOnceAsync();
        await daemon.RebuildAsync(nameof(TripCopy));

        await using var query = _fixture.Store.QuerySession();
        foreach (var id in ids)
        {
            var inline = await query.LoadAsync<Trip>(id);
            var rebuilt = await query.LoadAsync<TripCopy>(id);
            Assert.NotNull(rebuilt);
            Assert.Equal((inline!.Id, inline.Destination, inline.Miles, inline.Ended, inline.Version),
                (rebuilt.Id, rebuilt.Destination, rebuilt.Miles, rebuilt.Ended, rebuilt.Version));
        }
    }

    [Fact]
    public async Task Only_one_daemon_holds_the_leadership_lock()
    {
        await using var first = _fixture.Daemon();
        await using var second = _fixture.Daemon();
        Assert.True(await first.TryTakeLeadershipAsync(CancellationToken.None));
        Assert.False(await second.TryTakeLeadershipAsync(CancellationToken.None));
        await first.ReleaseLeadershipAsync();
        Assert.True(await second.TryTakeLeadershipAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Two_daemons_running_at_once_apply_each_event_once_and_the_one_that_finds_its_progress_moved_stands_down()
    {
        // Leadership keeps a second daemon idle, but a leader can lose its lock unnoticed (its idle connection dropped)
        // while another takes it; the progress check in each batch keeps the two from applying anything twice.
        var id = await StartTripAsync("Split", 5);
        await using var first = _fixture.Daemon();
        await using var second = _fixture.Daemon();
        await first.RunOnceAsync();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.Append(id, new TripLegAdded(id, 7));
            await session.SaveChangesAsync();
        }

        // Both passes read the same progress, then queue on the copy's row.
        await using var blocker = new NpgsqlConnection(_fixture.ConnectionString);
        await blocker.OpenAsync();
        await using var blockTx = await blocker.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand($"select 1 from {_fixture.Schema}.mt_doc_trip_copy where id = '{id}' for update", blocker, blockTx))
        {
            await hold.ExecuteNonQueryAsync();
        }

        var passes = new[] { first.RunOnceAsync(), second.RunOnceAsync() }
            .Select(async pass =>
            {
                try
                {
                    await pass;
                    return "applied";
                }
                catch (EventStoreException)
                {
                    return "stood down";
                }
            }).ToList();
        await Task.Delay(500);
        await blockTx.CommitAsync();

        Assert.Equal(["applied", "stood down"], (await Task.WhenAll(passes)).Order());
        await using var query = _fixture.Store.QuerySession();
        Assert.Equal(12, (await query.LoadAsync<TripCopy>(id))!.Miles);
    }

    [Fact]
    public async Task A_held_sequence_gap_is_projected_exactly_once_when_its_transaction_commits_however_late()
    {
        await StartTripAsync("Before");
        await using var daemon = _fixture.Daemon();
        await daemon.RunOnceAsync();

        // A transaction takes a sequence number and holds it open.
        var slowId = Guid.CreateVersion7();
        await using var slow = new NpgsqlConnection(_fixture.ConnectionString);
        await slow.OpenAsync();
        await using var slowTx = await slow.BeginTransactionAsync();
        await AppendRawAsync(slow, slowTx, slowId, "Slow");

        // Later events commit around it.
        var after = await StartTripAsync("After");
        for (var i = 0; i < 3; i++)
        {
            await daemon.RunOnceAsync();
            await Task.Delay(1100); // longer than any timer-based "stale gap" threshold would wait
        }

        await using (var query = _fixture.Store.QuerySession())
        {
            Assert.Null(await query.LoadAsync<TripCopy>(after)); // held behind the gap, not skipped past it
        }

        await slowTx.CommitAsync();
        await daemon.RunOnceAsync();
        await daemon.RunOnceAsync();

        await using (var query = _fixture.Store.QuerySession())
        {
            Assert.NotNull(await query.LoadAsync<TripCopy>(slowId));
            Assert.NotNull(await query.LoadAsync<TripCopy>(after));
        }

        Assert.Equal(0, await _fixture.ScalarAsync("select count(*) from {schema}.mt_high_water_skips"));
        Assert.Equal(1, await _fixture.ScalarAsync($"select version from {{schema}}.mt_doc_trip_copy where id = '{slowId}'"));
    }

    [Fact]
    public async Task A_held_gap_is_not_skipped_when_its_owner_began_after_every_transaction_that_had_ended()
    {
        await StartTripAsync("Before");
        await using var daemon = _fixture.Daemon();
        await daemon.RunOnceAsync();

        // An early transaction takes its transaction id first (as an inbox claim does), and appends only later.
        await using var early = new NpgsqlConnection(_fixture.ConnectionString);
        await early.OpenAsync();
        await using var earlyTx = await early.BeginTransactionAsync();
        await using (var takeId = new NpgsqlCommand("select pg_current_xact_id()", early, earlyTx))
        {
            await takeId.ExecuteScalarAsync();
        }

        // A newer transaction takes the lower sequence number and holds it open. While no newer transaction has ended,
        // a snapshot leaves it out of its in-progress list (PostgreSQL lists only ids below the newest ended one).
        var slowId = Guid.CreateVersion7();
        await using var slow = new NpgsqlConnection(_fixture.ConnectionString);
        await slow.OpenAsync();
        await using var slowTx = await slow.BeginTransactionAsync();
        await AppendRawAsync(slow, slowTx, slowId, "Slow");

        var afterId = Guid.CreateVersion7();
        await AppendRawAsync(early, earlyTx, afterId, "After");
        await earlyTx.CommitAsync();
        for (var i = 0; i < 3; i++)
        {
            await daemon.RunOnceAsync();
        }

        Assert.Equal(0, await _fixture.ScalarAsync("select count(*) from {schema}.mt_high_water_skips"));
        await slowTx.CommitAsync();
        await daemon.RunOnceAsync();
        await daemon.RunOnceAsync();

        await using var query = _fixture.Store.QuerySession();
        Assert.NotNull(await query.LoadAsync<TripCopy>(slowId));
        Assert.NotNull(await query.LoadAsync<TripCopy>(afterId));
    }

    [Fact]
    public async Task A_gap_from_a_rolled_back_transaction_is_passed()
    {
        await using var daemon = _fixture.Daemon();
        await using (var connection = new NpgsqlConnection(_fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await AppendRawAsync(connection, tx, Guid.CreateVersion7(), "Never");
            await tx.RollbackAsync();
        }

        var after = await StartTripAsync("Afterwards");

        // The first pass sees the hole and notes the transactions that could own it; once they have all ended (other
        // tests' transactions on this server may be among them) and the hole is still empty, a pass skips it.
        await using var query = _fixture.Store.QuerySession();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await query.LoadAsync<TripCopy>(after) is null && DateTime.UtcNow < deadline)
        {
            await daemon.RunOnceAsync();
            await Task.Delay(50);
        }

        Assert.NotNull(await query.LoadAsync<TripCopy>(after));
        Assert.Equal(1, await _fixture.ScalarAsync("select count(*) from {schema}.mt_high_water_skips"));
    }

    private async Task AppendRawAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, string destination)
    {
        await using var command = new NpgsqlCommand(
            $"select {_fixture.Schema}.mt_append_events($1, 'Trip', '*DEFAULT*', 0, true, $2, $3, $4, $5::jsonb[], null, null, null)",
            connection, tx);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(new[] { Guid.CreateVersion7() });
        command.Parameters.AddWithValue(new[] { "trip_started" });
        command.Parameters.AddWithValue(new[] { EventTypeRegistry.DotNetTypeName(typeof(TripStarted)) });
        command.Parameters.AddWithValue(new[] { $$"""{"tripId":"{{id}}","destination":"{{destination}}"}""" });
        await command.ExecuteNonQueryAsync();
    }
}
