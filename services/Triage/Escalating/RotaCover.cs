using Referrals.Triage.Programmes;

namespace Referrals.Triage.Escalating;

/// <summary>
/// The weekly shape of a rota's duty cover in its own local time (closed dates aside, they are whole days out of hours):
/// which stretches of the week each slot covers, where two slots claim the same moment, and where cover breaks off inside a
/// day. An overnight slot belongs to the day it starts, as in <see cref="RotaCalendar.SlotAt"/>.
/// </summary>
public static class RotaCover
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    /// <summary>Slot <see cref="Slot"/> covers [<see cref="Start"/>, <see cref="End"/>), measured from Sunday 00:00.</summary>
    public sealed record Period(int Slot, TimeSpan Start, TimeSpan End);

    /// <summary><see cref="Slot"/> claims moments <see cref="OtherSlot"/> (an earlier one) already covers, first at Day/From.</summary>
    public sealed record Overlap(int Slot, int OtherSlot, DayOfWeek Day, TimeOnly From);

    /// <summary>Nobody is on duty on <see cref="Day"/> from <see cref="From"/> to <see cref="To"/>, with duty cover before and after.</summary>
    public sealed record Gap(DayOfWeek Day, TimeOnly From, TimeOnly To);

    /// <summary>The stretches of the week each slot covers; one running past Saturday midnight wraps to Sunday morning.</summary>
    public static IReadOnlyList<Period> Periods(IReadOnlyList<DutySlot> slots)
    {
        var periods = new List<Period>();
        for (var i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            foreach (var day in slot.Days.Distinct())
            {
                var start = (Day * (int)day) + slot.From.ToTimeSpan();
                var end = (Day * (int)day) + slot.To.ToTimeSpan() + (slot.From < slot.To ? TimeSpan.Zero : Day);
                if (end <= Week)
                {
                    periods.Add(new Period(i, start, end));
                }
                else
                {
                    periods.Add(new Period(i, start, Week));
                    periods.Add(new Period(i, TimeSpan.Zero, end - Week));
                }
            }
        }

        return periods;
    }

    /// <summary>
    /// Pairs of slots covering the same moment. <see cref="RotaCalendar.SlotAt"/> takes the first, so the later slot's duty
    /// worker and team lead would silently never be asked then.
    /// </summary>
    public static IReadOnlyList<Overlap> Overlaps(IReadOnlyList<DutySlot> slots)
    {
        var periods = Periods(slots);
        return periods
            .SelectMany(a => periods.Where(b => a.Slot < b.Slot && a.Start < b.End && b.Start < a.End),
                (a, b) => (Slot: b.Slot, Other: a.Slot, From: a.Start > b.Start ? a.Start : b.Start))
            .GroupBy(o => (o.Slot, o.Other))
            .Select(g => g.MinBy(o => o.From))
            .OrderBy(o => o.Slot).ThenBy(o => o.Other)
            .Select(o => new Overlap(o.Slot, o.Other, (DayOfWeek)o.From.Days, TimeOnly.FromTimeSpan(o.From - (Day * o.From.Days))))
            .ToList();
    }

    /// <summary>
    /// Breaks in cover inside one local day: uncovered time with duty cover earlier and later the same day. Time before a
    /// day's first duty period and after its last (the night, weekends, days with no slot) is out of hours by design and
    /// goes straight to the practice; a break in the middle of the working day is a hole in the rota, not a choice.
    /// </summary>
    public static IReadOnlyList<Gap> Gaps(IReadOnlyList<DutySlot> slots)
    {
        var periods = Periods(slots);
        var gaps = new List<Gap>();
        for (var d = 0; d < 7; d++)
        {
            var dayStart = Day * d;
            var dayEnd = dayStart + Day;
            TimeSpan? coveredUntil = null;
            foreach (var p in periods.Where(p => p.Start < dayEnd && p.End > dayStart).OrderBy(p => p.Start))
            {
                var start = p.Start > dayStart ? p.Start : dayStart;
                var end = p.End < dayEnd ? p.End : dayEnd;
                if (coveredUntil is { } until && start > until)
                {
                    gaps.Add(new Gap((DayOfWeek)d, TimeOnly.FromTimeSpan(until - dayStart), TimeOnly.FromTimeSpan(start - dayStart)));
                }

                coveredUntil = coveredUntil is { } reached && reached > end ? reached : end;
            }
        }

        return gaps;
    }
}
