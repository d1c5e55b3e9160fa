using Referrals.EventStore.Outbox;
using Referrals.EventStore.Tests.Outbox;
using Referrals.EventStore.Tests.TestEvents;
using Referrals.EventStore.Timers;

namespace Referrals.EventStore.Tests.Timers;

public sealed class TimerTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
    private StoreFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await StoreFixture.CreateAsync(o => o.Time = _clock);

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private async Task ScheduleAsync(string key, TimeSpan after)
    {
        var id = Guid.CreateVersion7();
        await using var session = _fixture.Store.LightweightSession();
        session.Events.StartStream<Trip>(id, new TripStarted(id, key));
        session.Timers.Schedule(key, _clock.GetUtcNow() + after, new ReminderDue(id, key), id);
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task A_timer_that_fell_due_while_the_service_was_stopped_fires_exactly_once_after_restart()
    {
        await ScheduleAsync("escalation:1:step:1", TimeSpan.FromMinutes(15));
        Assert.Equal(0, await new TimerPoller(_fixture.Store).RunOnceAsync());

        // Nothing polls while "stopped"; the deadline passes.
        _clock.Advance(TimeSpan.FromHours(2));

        // Two instances come back at once.
        var moved = await Task.WhenAll(new TimerPoller(_fixture.Store).RunOnceAsync(), new TimerPoller(_fixture.Store).RunOnceAsync());
        Assert.Equal(1, moved.Sum());
        Assert.Equal(0, await new TimerPoller(_fixture.Store).RunOnceAsync());

        var publisher = new RecordingPublisher();
        await new OutboxRelay(_fixture.Store, publisher).RunOnceAsync();
        Assert.Equal("escalation:1:step:1", ((ReminderDue)Assert.Single(publisher.Delivered).Message).Reason);
    }

    [Fact]
    public async Task A_cancelled_timer_never_fires()
    {
        await ScheduleAsync("lone-working:visit-9", TimeSpan.FromMinutes(90));
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Timers.Cancel("lone-working:visit-9");
            await session.SaveChangesAsync();
        }

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await new TimerPoller(_fixture.Store).RunOnceAsync());
        Assert.Equal(0, await _fixture.ScalarAsync("select count(*) from {schema}.mt_outbox"));
    }

    [Fact]
    public async Task Scheduling_a_key_again_even_after_it_fired_does_not_fire_twice()
    {
        await ScheduleAsync("sla:referral-4", TimeSpan.FromMinutes(1));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await new TimerPoller(_fixture.Store).RunOnceAsync());

        await ScheduleAsync("sla:referral-4", TimeSpan.FromMinutes(1)); // a replayed command
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await new TimerPoller(_fixture.Store).RunOnceAsync());
    }

    [Fact]
    public async Task A_timer_is_written_in_the_same_transaction_as_the_events_that_set_it()
    {
        var id = Guid.CreateVersion7();
        await using (var session = _fixture.Store.LightweightSession())
        {
            session.Events.Append(id, 5, new TripStarted(id, "never")); // wrong version: nothing commits
            session.Timers.Schedule("orphan", _clock.GetUtcNow(), new ReminderDue(id, "orphan"), id);
            await Assert.ThrowsAsync<ConcurrencyException>(() => session.SaveChangesAsync());
        }

        Assert.Equal(0, await _fixture.ScalarAsync("select count(*) from {schema}.mt_timers"));
    }
}

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
