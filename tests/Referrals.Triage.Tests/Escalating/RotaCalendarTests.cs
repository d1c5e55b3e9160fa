using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.Escalating;

public sealed class RotaCalendarTests
{
    private static readonly DutyRota Rota = Fixtures.WeekdayRota("lw-duty") with { ClosedDates = [new DateOnly(2026, 5, 25)] };

    [Fact]
    public void Weekday_office_hours_are_in_rota_hours_in_london_time()
    {
        // 2026-07-06 is a Monday; London is on BST (UTC+1), so 08:30 UTC is 09:30 local.
        Assert.Equal("lw-duty", RotaCalendar.SlotAt(Rota, new DateTimeOffset(2026, 7, 6, 8, 30, 0, TimeSpan.Zero))?.DutyWorkerId);
        Assert.Null(RotaCalendar.SlotAt(Rota, new DateTimeOffset(2026, 7, 6, 7, 30, 0, TimeSpan.Zero)));
        Assert.Null(RotaCalendar.SlotAt(Rota, new DateTimeOffset(2026, 7, 6, 16, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Weekends_and_closed_dates_are_outside_rota_hours()
    {
        Assert.Null(RotaCalendar.SlotAt(Rota, new DateTimeOffset(2026, 7, 4, 11, 0, 0, TimeSpan.Zero)));
        Assert.Null(RotaCalendar.SlotAt(Rota, new DateTimeOffset(2026, 5, 25, 11, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_next_opening_after_friday_evening_is_monday_morning()
    {
        var (opens, slot) = RotaCalendar.NextOpening(Rota, new DateTimeOffset(2026, 1, 9, 18, 0, 0, TimeSpan.Zero))!.Value;
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero), opens);
        Assert.Equal("lw-duty", slot.DutyWorkerId);
    }

    [Fact]
    public void Working_days_skip_weekends_and_closed_dates()
    {
        // Friday 22 May 2026 10:00 BST + 2 working days: Monday 25th is a bank holiday, so Wednesday 27th.
        var due = RotaCalendar.AddWorkingDays(Rota, new DateTimeOffset(2026, 5, 22, 9, 0, 0, TimeSpan.Zero), 2);
        Assert.Equal(new DateTimeOffset(2026, 5, 27, 9, 0, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void An_overnight_slot_covers_the_small_hours_of_the_next_day()
    {
        var rota = Rota with { Slots = [new([DayOfWeek.Monday], new TimeOnly(17, 0), new TimeOnly(9, 0), "lw-night", "tl-night")] };
        Assert.Equal("lw-night", RotaCalendar.SlotAt(rota, new DateTimeOffset(2026, 1, 5, 22, 0, 0, TimeSpan.Zero))?.DutyWorkerId);
        Assert.Equal("lw-night", RotaCalendar.SlotAt(rota, new DateTimeOffset(2026, 1, 6, 3, 0, 0, TimeSpan.Zero))?.DutyWorkerId);
        Assert.Null(RotaCalendar.SlotAt(rota, new DateTimeOffset(2026, 1, 6, 10, 0, 0, TimeSpan.Zero)));
    }
}
