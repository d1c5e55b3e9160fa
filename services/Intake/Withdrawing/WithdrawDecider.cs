using Referrals.Contracts.Intake;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.Withdrawing;

public sealed record WithdrawalDecision(IReadOnlyList<object> Events, ReferralWithdrawn Message, bool EndsJourney);

public static class WithdrawDecider
{
    /// <summary>
    /// A referral can be withdrawn until it is finished (closed, declined, not eligible) or already withdrawn. Intake ends
    /// the journey itself only if this referral opened it and support-plan has not opened it yet (it may never register it:
    /// a withdrawal before registration stops that). Once support-plan has opened it, support-plan decides (HAZ-007 C9): it
    /// closes the journey as withdrawn until the person agreed, and that closure releases the linked referrals; after the
    /// agreement (or on a reopened journey the person had agreed to) the journey goes on. A referral that joined an open
    /// journey leaves that journey as it is.
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
            !referral.LinkedToOpenJourney && !referral.JourneyOpenedBySupportPlan);
    }
}
