using Referrals.Testing;

namespace Referrals.Platform.Tests;

public sealed class TestClockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Time_starts_where_given_and_moves_only_when_advanced_or_set()
    {
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(1));
        var clock = new TestClock(start);

        Assert.Equal(start, clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.GetUtcNow().Offset);
        clock.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(start.AddMinutes(90), clock.UtcNow);
        clock.UtcNow = start.AddDays(1);
        Assert.Equal(start.AddDays(1), clock.GetUtcNow());
        Assert.Equal(TimeZoneInfo.Utc, clock.LocalTimeZone);
    }

    [Fact]
    public void The_clock_never_goes_backwards()
    {
        var clock = new TestClock();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.UtcNow = TestClock.DefaultStart.AddSeconds(-1));
        Assert.Equal(TestClock.DefaultStart, clock.UtcNow);
    }

    [Fact]
    public void Elapsed_time_from_timestamps_follows_the_clock()
    {
        var clock = new TestClock();
        var started = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromSeconds(42.5));

        Assert.Equal(TimeSpan.FromSeconds(42.5), clock.GetElapsedTime(started));
    }

    [Fact]
    public async Task Task_delay_completes_only_once_the_clock_passes_its_due_time()
    {
        var clock = new TestClock();
        var delay = Task.Delay(TimeSpan.FromSeconds(30), clock);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        await delay.WaitAsync(Patience);
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    [Fact]
    public async Task Periodic_timer_ticks_when_each_period_is_advanced()
    {
        var clock = new TestClock();
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5), clock);

        var first = timer.WaitForNextTickAsync().AsTask();
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(first.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await first.WaitAsync(Patience));

        var second = timer.WaitForNextTickAsync().AsTask();
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await second.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_background_loop_on_task_delay_runs_once_per_advanced_interval()
    {
        var clock = new TestClock();
        using var stop = new CancellationTokenSource();
        var iterations = 0;
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMinutes(1), clock, stop.Token);
                Interlocked.Increment(ref iterations);
            }
        });

        for (var i = 1; i <= 3; i++)
        {
            await WaitUntilAsync(() => clock.ActiveTimerCount == 1);
            clock.Advance(TimeSpan.FromMinutes(1));
            var expected = i;
            await WaitUntilAsync(() => Volatile.Read(ref iterations) == expected);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(Patience));
        Assert.Equal(3, iterations);
    }

    [Fact]
    public void Timers_passed_by_one_advance_fire_in_due_order_and_periodic_ones_once_per_period()
    {
        var clock = new TestClock();
        var fired = new List<string>();
        using var late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(_ => fired.Add("tick"), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));

        clock.Advance(TimeSpan.FromSeconds(45));

        Assert.Equal(["early", "tick", "late", "tick", "tick"], fired);
        Assert.Equal(1, clock.ActiveTimerCount);
    }

    [Fact]
    public void A_disposed_or_disarmed_timer_never_fires()
    {
        var clock = new TestClock();
        var fired = 0;
        var disposed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var disarmed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.Zero);

        disposed.Dispose();
        Assert.True(disarmed.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, fired);
        Assert.False(disposed.Change(TimeSpan.FromSeconds(1), TimeSpan.Zero));
    }

    [Fact]
    public void Change_reschedules_a_timer_relative_to_the_current_time()
    {
        var clock = new TestClock();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(8));
        timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, fired);
    }

    [Fact]
    public void A_timer_due_now_fires_immediately_with_its_state()
    {
        var clock = new TestClock();
        object? received = null;

        using var timer = clock.CreateTimer(state => received = state, "state", TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.Equal("state", received);
    }

    [Fact]
    public async Task A_cancellation_token_source_with_a_timeout_cancels_when_the_clock_reaches_it()
    {
        var clock = new TestClock();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), clock);

        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(timeout.IsCancellationRequested);
        clock.Advance(TimeSpan.FromSeconds(1));

        await WaitUntilAsync(() => timeout.IsCancellationRequested);
    }

    [Fact]
    public void Invalid_due_times_and_periods_are_rejected()
    {
        var clock = new TestClock();

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.FromMilliseconds(-2), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromDays(60)));
    }

    [Fact]
    public async Task Concurrent_advances_from_many_threads_add_up_and_fire_every_period_exactly_once()
    {
        var clock = new TestClock();
        var ticks = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref ticks), null, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(1));
            }
        })));

        Assert.Equal(TestClock.DefaultStart.AddSeconds(8), clock.UtcNow);
        Assert.Equal(8000, ticks);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(5);
        }
    }
}
