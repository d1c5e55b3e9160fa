using Referrals.Triage.Programmes;

namespace Referrals.Triage.Escalating;

/// <summary>Who is on duty when, and working days, in the rota's own time zone (UK clocks change; UTC offsets do not).</summary>
public static class RotaCalendar
{
    /// <summary>How far ahead to look for the next duty slot (a long closure is still found).</summary>
    public static readonly int LookAheadDays = 21;

    public static TimeZoneInfo ZoneOf(DutyRota rota) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(rota.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>The duty slot covering this moment, or null outside rota hours (including closed dates).</summary>
    public static DutySlot? SlotAt(DutyRota rota, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, ZoneOf(rota));
        var date = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        foreach (var slot in rota.Slots)
        {
            if (slot.From < slot.To)
            {
                if (IsOpen(rota, slot, date) && time >= slot.From && time < slot.To)
                {
                    return slot;
                }
            }
            else
            {
                // An overnight slot (e.g. 17:00-09:00) belongs to the day it starts.
                if ((IsOpen(rota, slot, date) && time >= slot.From) || (IsOpen(rota, slot, date.AddDays(-1)) && time < slot.To))
                {
                    return slot;
                }
            }
        }

        return null;
    }

    /// <summary>The next moment after <paramref name="after"/> when a duty slot starts, with that slot.</summary>
    public static (DateTimeOffset StartsAt, DutySlot Slot)? NextOpening(DutyRota rota, DateTimeOffset after)
    {
        var zone = ZoneOf(rota);
        var local = TimeZoneInfo.ConvertTime(after, zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        (DateTimeOffset, DutySlot)? best = null;
        for (var day = 0; day <= LookAheadDays; day++)
        {
            var date = today.AddDays(day);
            foreach (var slot in rota.Slots.Where(s => IsOpen(rota, s, date)))
            {
                var start = ToInstant(zone, date, slot.From);
                if (start > after && (best is null || start < best.Value.Item1))
                {
                    best = (start, slot);
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        return null;
    }

    /// <summary>
    /// The first moment after <paramref name="after"/> and before <paramref name="before"/> at which a duty slot with another
    /// duty worker or team lead than <paramref name="planned"/> is in force: the duty shift hands over. Null when none does (the
    /// same team stays on, or the rota closes and stays closed). Cover changes only where a slot starts or ends, so those
    /// moments are the ones looked at.
    /// </summary>
    public static DateTimeOffset? NextHandover(DutyRota rota, DutySlot? planned, DateTimeOffset after, DateTimeOffset before)
    {
        var zone = ZoneOf(rota);
        var moments = new SortedSet<DateTimeOffset>();
        // From the day before: an overnight slot started then may end inside the window.
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(before, zone).DateTime);
        for (var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, zone).DateTime).AddDays(-1); date <= last; date = date.AddDays(1))
        {
            foreach (var slot in rota.Slots)
            {
                moments.Add(ToInstant(zone, date, slot.From));
                moments.Add(ToInstant(zone, date, slot.To));
            }
        }

        return moments.Where(m => m > after && m < before)
            .Select(m => (DateTimeOffset?)m)
            .FirstOrDefault(m => SlotAt(rota, m!.Value) is { } onShift && (planned is null || !SameTeam(onShift, planned)));
    }

    /// <summary>Two slots with the same duty worker and team lead: going from one to the other hands nothing over.</summary>
    public static bool SameTeam(DutySlot a, DutySlot b) => a.DutyWorkerId == b.DutyWorkerId && a.TeamLeadId == b.TeamLeadId;

    /// <summary>
    /// <paramref name="workingDays"/> working days after <paramref name="start"/> (Saturdays, Sundays and the rota's closed
    /// dates do not count), at the same local time of day. A start on a non-working day counts from the next working day.
    /// </summary>
    public static DateTimeOffset AddWorkingDays(DutyRota rota, DateTimeOffset start, int workingDays)
    {
        var zone = ZoneOf(rota);
        var local = TimeZoneInfo.ConvertTime(start, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (!IsWorkingDay(rota, date))
        {
            while (!IsWorkingDay(rota, date))
            {
                date = date.AddDays(1);
            }

            time = TimeOnly.MinValue;
        }

        for (var counted = 0; counted < workingDays;)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(rota, date))
            {
                counted++;
            }
        }

        return ToInstant(zone, date, time);
    }

    public static bool IsWorkingDay(DutyRota rota, DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !rota.ClosedDates.Contains(date);

    private static bool IsOpen(DutyRota rota, DutySlot slot, DateOnly date) =>
        slot.Days.Contains(date.DayOfWeek) && !rota.ClosedDates.Contains(date);

    private static DateTimeOffset ToInstant(TimeZoneInfo zone, DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1); // the hour skipped when clocks go forward
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
