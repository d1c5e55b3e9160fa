using Referrals.EventStore.Daemon;
using Referrals.EventStore.Outbox;
using Referrals.EventStore.Tests.Outbox;
using Referrals.EventStore.Tests.TestEvents;

namespace Referrals.EventStore.Tests.PersonalData;

public sealed class ErasureTests : IAsyncLifetime
{
    private StoreFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await StoreFixture.CreateAsync(o =>
        o.Projections.Snapshot<PersonCard>(ProjectionLifecycle.Inline));

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private async Task<Guid> ReferAsync(string name, string canary)
    {
        var person = Guid.CreateVersion7();
        await using var session = _fixture.Store.LightweightSession();
        session.Events.StartStream(person,
            new PersonReferred(person, new PersonDetails(name, "07700 900" + canary[..3]), $"wants to garden {canary}", "north"),
            new PersonContacted(person, $"called about {canary}"));
        session.Outbox.Publish(new PersonNotified(person, $"{name} {canary}"), person);
        session.Timers.Schedule($"review:{person}", DateTimeOffset.UtcNow.AddDays(30), new PersonNotified(person, canary), person);
        await session.SaveChangesAsync();
        return person;
    }

    [Fact]
    public async Task A_key_created_by_a_concurrent_transaction_is_read_not_taken_for_an_erasure()
    {
        var person = Guid.CreateVersion7();
        await using var first = await _fixture.Store.DataSource.OpenConnectionAsync();
        await using var firstTx = await first.BeginTransactionAsync();
        var created = await _fixture.Store.Protector.GetOrCreateKeysAsync(first, firstTx, [person], CancellationToken.None);

        // The second insert waits on the first transaction's row; its statement snapshot predates that commit.
        await using var second = await _fixture.Store.DataSource.OpenConnectionAsync();
        await using var secondTx = await second.BeginTransactionAsync();
        var racing = _fixture.Store.Protector.GetOrCreateKeysAsync(second, secondTx, [person], CancellationToken.None);
        await Task.Delay(300);
        await firstTx.CommitAsync();
        var seen = await racing;
        await secondTx.CommitAsync();

        Assert.True(seen.TryGetValue(person, out var key) && key is not null, "the second transaction lost the person's key");
        Assert.Equal(created[person], key);
    }

    [Fact]
    public async Task A_session_that_retries_after_a_failed_save_writes_under_a_key_that_was_kept()
    {
        var trip = Guid.CreateVersion7();
        var person = Guid.CreateVersion7();
        await using (var existing = _fixture.Store.LightweightSession())
        {
            existing.Events.StartStream(trip, new TripLegAdded(trip, 1));
            await existing.SaveChangesAsync();
        }

        var referred = new PersonReferred(person, new PersonDetails("Cara Jones", "07700 900123"), "walks", "north");
        await using (var session = _fixture.Store.LightweightSession())
        {
            // The failed save created the person's key in its transaction, which rolled back; the retry must not reuse that key.
            session.Events.StartStream(person, referred);
            session.Events.Append(trip, 5, new TripLegAdded(trip, 2));
            await Assert.ThrowsAsync<ConcurrencyException>(() => session.SaveChangesAsync());
            session.Events.StartStream(person, referred);
            await session.SaveChangesAsync();
        }

        await using var query = _fixture.Store.QuerySession();
        Assert.Equal("Cara Jones", ((PersonReferred)(await query.Events.FetchStreamAsync(person))[0].Data).Details!.Name);
        Assert.Equal("Cara Jones", (await query.LoadAsync<PersonCard>(person))!.Name);
    }

    [Fact]
    public async Task Keys_readied_before_saving_belong_to_the_sessions_transaction_gone_with_a_rollback_and_used_by_the_save()
    {
        var person = Guid.CreateVersion7();
        var keys = $"select count(*) from {{schema}}.mt_person_keys where person_id = '{person}'";
        await using (var abandoned = _fixture.Store.LightweightSession())
        {
            await abandoned.ReadyPersonalDataKeysAsync([person]);
            Assert.Equal(0, await _fixture.ScalarAsync(keys));
        }

        Assert.Equal(0, await _fixture.ScalarAsync(keys));

        await using (var session = _fixture.Store.LightweightSession())
        {
            await session.ReadyPersonalDataKeysAsync([person]);
            session.Events.StartStream(person, new PersonReferred(person, new PersonDetails("Dee Kaur", "07700 900456"), "swims", "north"));
            await session.SaveChangesAsync();
        }

        Assert.Equal(1, await _fixture.ScalarAsync(keys));
        await using var query = _fixture.Store.QuerySession();
        Assert.Equal("Dee Kaur", (await query.LoadAsync<PersonCard>(person))!.Name);
        Assert.Equal(0, await CanaryRowsAsync("Dee Kaur"));
    }

    [Fact]
    public async Task Personal_fields_are_never_stored_in_plain_text()
    {
        await ReferAsync("Aoife Canary", "zq7canary");
        Assert.Equal(0, await CanaryRowsAsync("zq7canary"));
        Assert.Equal(0, await CanaryRowsAsync("Aoife"));
    }

    [Fact]
    public async Task Personal_fields_read_back_in_events_documents_and_outbox_until_erasure()
    {
        var person = await ReferAsync("Bea Smith", "k1kcanary");
        await using var query = _fixture.Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(person);
        Assert.Equal("Bea Smith", ((PersonReferred)events[0].Data).Details!.Name);
        Assert.Equal("Bea Smith", (await query.LoadAsync<PersonCard>(person))!.Name);
        var publisher = new RecordingPublisher();
        await new OutboxRelay(_fixture.Store, publisher).RunOnceAsync();
        Assert.Equal("Bea Smith k1kcanary", ((PersonNotified)Assert.Single(publisher.Delivered).Message).Name);
    }

    [Fact]
    public async Task After_erasure_personal_fields_read_as_erased_and_other_people_are_untouched()
    {
        var erased = await ReferAsync("Cora Gone", "e9xcanary");
        var kept = await ReferAsync("Dara Kept", "k8ycanary");

        await _fixture.Store.ErasePersonAsync(erased);

        await using var query = _fixture.Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(erased);
        var referred = (PersonReferred)events[0].Data;
        Assert.Null(referred.Details);
        Assert.Null(referred.WhatMatters);
        Assert.Equal("north", referred.Programme); // not personal: still readable
        Assert.Null(((PersonContacted)events[1].Data).Note);
        Assert.Null((await query.LoadAsync<PersonCard>(erased))!.Name);
        Assert.Equal(1, (await query.LoadAsync<PersonCard>(erased))!.Contacts);

        var publisher = new RecordingPublisher();
        await new OutboxRelay(_fixture.Store, publisher).RunOnceAsync();
        Assert.Null(publisher.Delivered.Select(d => d.Message).OfType<PersonNotified>().Single(m => m.PersonId == erased).Name);

        Assert.Equal("Dara Kept", ((PersonReferred)(await query.Events.FetchStreamAsync(kept))[0].Data).Details!.Name);
        Assert.True(await _fixture.Store.IsErasedAsync(erased));
    }

    [Fact]
    public async Task Data_written_for_an_erased_person_later_is_stored_already_erased()
    {
        var person = await ReferAsync("Eve Late", "l4tcanary");
        await _fixture.Store.ErasePersonAsync(person);
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.Append(person, new PersonContacted(person, "late note l4tcanary"));
            await session.SaveChangesAsync();
        }

        await using var query = _fixture.Store.QuerySession();
        Assert.Null(((PersonContacted)(await query.Events.FetchStreamAsync(person))[^1].Data).Note);
        Assert.Equal(0, await _fixture.ScalarAsync(
            "select count(*) from {schema}.mt_person_keys where key is not null and erased_at is not null"));
    }

    [Fact]
    public async Task A_rebuilt_projection_reads_an_erased_person_as_erased_not_as_an_error()
    {
        var person = await ReferAsync("Fay Rebuild", "r3bcanary");
        await _fixture.Store.ErasePersonAsync(person);
        await using var daemon = new ProjectionDaemon(_fixture.Store);
        await daemon.RebuildAsync(nameof(PersonCard));
        await using var query = _fixture.Store.QuerySession();
        var card = await query.LoadAsync<PersonCard>(person);
        Assert.NotNull(card);
        Assert.Null(card.Name);
    }

    [Fact]
    public void A_blind_index_is_stable_keyed_and_purpose_bound()
    {
        var key = new byte[32];
        key[0] = 7;
        var index = new BlindIndex(key);
        Assert.Equal(index.Compute("nhs-number", "9434765919"), index.Compute("nhs-number", "9434765919"));
        Assert.NotEqual(index.Compute("nhs-number", "9434765919"), index.Compute("other", "9434765919"));
        Assert.NotEqual(index.Compute("nhs-number", "9434765919"), new BlindIndex(new byte[32]).Compute("nhs-number", "9434765919"));
        Assert.DoesNotContain("9434765919", index.Compute("nhs-number", "9434765919"), StringComparison.Ordinal);
    }

    private Task<long> CanaryRowsAsync(string canary) => _fixture.ScalarAsync(
        "select (select count(*) from {schema}.mt_events where data::text like '%" + canary + "%')" +
        " + (select count(*) from {schema}.mt_outbox where body::text like '%" + canary + "%')" +
        " + (select count(*) from {schema}.mt_timers where body::text like '%" + canary + "%')" +
        " + (select count(*) from {schema}.mt_doc_person_card where data::text like '%" + canary + "%')");
}
