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
        if (!referral.IsFinished && !(referral.Withdrawn && !referral.HasStartedWithWorker))
        {
            return null;
        }

        var status = referral.DeriveStatus();
        return referral.History.LastOrDefault(h => h.Status == status)?.At ?? referral.UpdatedAt;
    }

    public static RetentionRecordKind KindOf(Referral referral) =>
        referral.HasStartedWithWorker ? RetentionRecordKind.CareRecord : RetentionRecordKind.Referral;

    /// <summary>The moment a referral's retention period ends, if it has ended.</summary>
    public static DateTimeOffset? DueAt(Referral referral, RetentionOptions options) =>
        EndedAt(referral) is { } ended ? ended + options.PeriodOf(KindOf(referral)) : null;

    /// <summary>
    /// Intake's key covers all of the person's referrals, so the person is erased only when every referral has ended and
    /// every one is past its own period; until then the decision is deferred to the latest referral's timer.
    /// </summary>
    public static RetentionVerdict Decide(IReadOnlyList<Referral> referrals, RetentionOptions options, DateTimeOffset now) =>
        referrals.Count > 0 && referrals.All(r => DueAt(r, options) is { } due && due <= now)
            ? RetentionVerdict.Expired
            : RetentionVerdict.Deferred;
}
