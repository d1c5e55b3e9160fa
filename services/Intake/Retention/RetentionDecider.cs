using Referrals.Intake.Referrals;

namespace Referrals.Intake.Retention;

public enum RetentionVerdict
{
    /// <summary>Every record of the person is past its retention period: erase.</summary>
    Expired,

    /// <summary>Some record is still open or within its period; its own timer comes later.</summary>
    Deferred,
}

/// <summary>Pure retention rules over a person's referrals.</summary>
public static class RetentionDecider
{
    /// <summary>When a referral's retention starts: when it finished, or was withdrawn before the person started.</summary>
    public static DateTimeOffset? EndedAt(Referral referral)
    {
        if (!referral.IsFinished && !(referral.Withdrawn && !referral.JourneyOpenedBySupportPlan))
        {
            return null;
        }

        var status = referral.DeriveStatus();
        return referral.History.LastOrDefault(h => h.Status == status)?.At ?? referral.UpdatedAt;
    }

    public static RetentionRecordKind KindOf(Referral referral) =>
        referral.JourneyOpenedBySupportPlan ? RetentionRecordKind.CareRecord : RetentionRecordKind.Referral;

    /// <summary>
    /// The moment a referral's retention period ends, if it has ended. A care record of someone under 18 at the end of
    /// care is kept at least until the end of the children's period, whichever of the two is later.
    /// </summary>
    public static DateTimeOffset? DueAt(Referral referral, RetentionOptions options)
    {
        if (EndedAt(referral) is not { } ended)
        {
            return null;
        }

        var due = ended + options.PeriodOf(KindOf(referral));
        return KindOf(referral) == RetentionRecordKind.CareRecord &&
               ChildrensRecordEnds(referral.Person?.DateOfBirth, ended) is { } childrens && childrens > due
            ? childrens
            : due;
    }

    /// <summary>
    /// The Records Management Code of Practice's rule for children's records: kept until the 25th birthday, or the 26th
    /// when the young person was 17 at the end of care. Null for someone who was an adult then, or whose date of birth is
    /// no longer held.
    /// </summary>
    public static DateTimeOffset? ChildrensRecordEnds(DateOnly? dateOfBirth, DateTimeOffset endOfCare)
    {
        if (dateOfBirth is not { } born)
        {
            return null;
        }

        var ended = DateOnly.FromDateTime(endOfCare.UtcDateTime);
        var age = ended.Year - born.Year - (ended < born.AddYears(ended.Year - born.Year) ? 1 : 0);
        if (age >= 18)
        {
            return null;
        }

        var until = born.AddYears(age == 17 ? 26 : 25);
        return new DateTimeOffset(until.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    /// <summary>
    /// Intake's key covers all of the person's referrals, so the person is erased only when every referral has ended and
    /// every one is past its own period; until then the decision is deferred to the latest referral's timer.
    /// </summary>
    /// <summary>
    /// After a deferral, when to decide again: when every referral has ended, the latest end of their periods. A period can
    /// move after its timer was set (a corrected date of birth, a longer configured period), and then no timer of its own
    /// falls at the new date. Null while a referral is open: it sets its own timer when it ends.
    /// </summary>
    public static (Referral Referral, DateTimeOffset At)? NextCheck(IReadOnlyList<Referral> referrals, RetentionOptions options, DateTimeOffset now)
    {
        if (referrals.Count == 0 || referrals.Any(r => DueAt(r, options) is null))
        {
            return null;
        }

        var last = referrals.MaxBy(r => DueAt(r, options)!.Value)!;
        var at = DueAt(last, options)!.Value;
        return at > now ? (last, at) : null;
    }

    public static RetentionVerdict Decide(IReadOnlyList<Referral> referrals, RetentionOptions options, DateTimeOffset now) =>
        referrals.Count > 0 && referrals.All(r => DueAt(r, options) is { } due && due <= now)
            ? RetentionVerdict.Expired
            : RetentionVerdict.Deferred;
}
