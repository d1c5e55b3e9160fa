using Referrals.Contracts.Intake;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.Withdrawing;

public sealed record WithdrawalDecision(IReadOnlyList<object> Events, ReferralWithdrawn Message, bool EndsJourney);

public static class WithdrawDecider
{
    /// <summary>
    /// A referral can be withdrawn until it is finished (closed, declined, not eligible) or already withdrawn. The
    /// journey stops with it only if this referral opened the journey and the person has not started with a worker; a
    /// referral that joined an open journey leaves that journey as it is.
    /// </summary>
    public static WithdrawalDecision Decide(Referral referral, WithdrawReferral command, DateTimeOffset now)
    {
        if (referral.Withdrawn)
        {
            throw new DomainRuleException("The referral has already been withdrawn.");
        }

        if (referral.IsFinished)
        {
            throw new DomainRuleException("The referral has already finished (" + referral.Status + "); there is nothing to withdraw.");
        }

        return new WithdrawalDecision(
            [new ReferralWithdrawnByReferrer(referral.Id, referral.PersonId, command.Reason, command.WithdrawnBy, now)],
            new ReferralWithdrawn(referral.Id, referral.JourneyId, referral.PersonId, command.Reason, now),
            !referral.LinkedToOpenJourney && !referral.HasStartedWithWorker);
    }
}
