namespace Referrals.SharedKernel;

/// <summary>
/// UK civil time (Europe/London), in which people, practices and link workers read dates: from midnight to 01:00 BST the
/// UTC date is still the day before.
/// </summary>
public static class UkTime
{
    /// <summary>
    /// The zone, from the machine's time zone data. Without it every UK date would silently be the UTC one, an hour out all
    /// summer, so it is not replaced by UTC: the first use fails instead.
    /// </summary>
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>The UK day an instant falls on.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>The instant a UK day begins (its local midnight, at that day's offset).</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight));
    }
}
