using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.Retention;

/// <summary>
/// Sets a referral's retention timer, in the caller's transaction, when the referral ends: one durable timer per record,
/// keyed by its kind and id, so a replay cannot set it twice.
/// </summary>
public sealed class RetentionScheduler(IOptions<RetentionOptions> options)
{
    public static string TimerKey(RetentionRecordKind kind, Guid referralId) => $"retention:{kind}:{referralId}";

    public void OnChanged(IDocumentSession session, Referral before, Referral after)
    {
        if (RetentionDecider.EndedAt(before) is not null || RetentionDecider.DueAt(after, options.Value) is not { } due)
        {
            return;
        }

        var kind = RetentionDecider.KindOf(after);
        session.Timers.Schedule(TimerKey(kind, after.Id), due, new RetentionPeriodEnded(after.Id, after.PersonId, kind.ToString()), after.Id);
    }
}
