namespace Referrals.Testing;

/// <summary>
/// A hand-driven <see cref="TimeProvider"/> for tests (Microsoft.Extensions.TimeProvider.Testing does not restore
/// here). Time only moves through <see cref="Advance"/> or by setting <see cref="UtcNow"/>, never backwards.
/// Timers from <see cref="CreateTimer"/> fire, in due order and on the thread that moves the clock, once the clock
/// reaches their due time; a periodic timer fires once for every period passed. So <c>Task.Delay(d, clock)</c>,
/// <c>new PeriodicTimer(p, clock)</c> and <c>new CancellationTokenSource(d, clock)</c> work under test. Like
/// FakeTimeProvider, the clock jumps to its new value first, so callbacks see the final time. Thread-safe.
/// </summary>
public sealed class TestClock : TimeProvider
{
    /// <summary>The default start: 2026-01-05 09:00 UTC, a Monday.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private readonly List<TestTimer> _timers = [];
    private DateTimeOffset _utcNow;
    private long _sequence;

    public TestClock()
        : this(DefaultStart)
    {
    }

    public TestClock(DateTimeOffset start)
    {
        _utcNow = start.ToUniversalTime();
    }

    /// <summary>The current time. Setting it moves the clock forward (firing due timers); backwards throws.</summary>
    public DateTimeOffset UtcNow
    {
        get
        {
            lock (_gate)
            {
                return _utcNow;
            }
        }

        set
        {
            var target = value.ToUniversalTime();
            lock (_gate)
            {
                if (target < _utcNow)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(value), value, $"The clock cannot go backwards (it is {_utcNow:O}).");
                }

                _utcNow = target;
            }

            FireDueTimers();
        }
    }

    /// <summary>The number of timers that are armed (not fired one-shots, not disposed, not disarmed).</summary>
    public int ActiveTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => UtcNow;

    public override long GetTimestamp() => UtcNow.UtcTicks;

    /// <summary>Moves the clock forward by <paramref name="delta"/> and fires the timers that come due.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_gate)
        {
            _utcNow += delta;
        }

        FireDueTimers();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new TestTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private bool Change(TestTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, nameof(dueTime));
        Validate(period, nameof(period));
        lock (_gate)
        {
            if (timer.Disposed)
            {
                return false;
            }

            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            timer.DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _utcNow + dueTime;
            timer.Sequence = ++_sequence;
            if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }
        }

        if (dueTime == TimeSpan.Zero)
        {
            FireDueTimers();
        }

        return true;
    }

    private void Remove(TestTimer timer)
    {
        lock (_gate)
        {
            timer.Disposed = true;
            timer.DueAt = null;
            _timers.Remove(timer);
        }
    }

    private void FireDueTimers()
    {
        while (true)
        {
            TestTimer? next = null;
            lock (_gate)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueAt is { } due && due <= _utcNow
                        && (next is null || due < next.DueAt || (due == next.DueAt && timer.Sequence < next.Sequence)))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    return;
                }

                // Re-arm (or retire) before the callback runs, so a concurrent mover cannot fire the same slot.
                if (next.Period > TimeSpan.Zero)
                {
                    next.DueAt += next.Period;
                }
                else
                {
                    next.DueAt = null;
                    _timers.Remove(next);
                }
            }

            next.Callback(next.State);
        }
    }

    private static void Validate(TimeSpan value, string name)
    {
        // Same range as System.Threading.Timer: -1 ms (infinite) up to 0xfffffffe ms.
        if (value != Timeout.InfiniteTimeSpan
            && (value < TimeSpan.Zero || value > TimeSpan.FromMilliseconds(uint.MaxValue - 1)))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be Timeout.InfiniteTimeSpan or between 0 and 0xfffffffe ms.");
        }
    }

    private sealed class TestTimer(TestClock clock, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        // Guarded by clock._gate.
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan Period { get; set; }

        public long Sequence { get; set; }

        public bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => clock.Change(this, dueTime, period);

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
