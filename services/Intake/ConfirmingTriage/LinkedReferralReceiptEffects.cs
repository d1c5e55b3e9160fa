using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.ConfirmingTriage;

/// <summary>The linked referral receipt check's messages and timers (HAZ-001 C18), written in the caller's transaction.</summary>
public static class LinkedReferralReceiptEffects
{
    /// <summary>
    /// Publishes a linking under the MessageId derived from the referral and journey (the check's copies reuse it) and arms its
    /// first check, which has no source stream so the fired check cannot wait behind the referral's own outbox rows.
    /// </summary>
    public static void Publish(IDocumentSession session, ReferralLinkedToOpenJourney linked, TriageConfirmationOptions options)
    {
        session.Outbox.Publish(linked, linked.ReferralId, LinkedReferralReceiptDecider.LinkedMessageId(linked.ReferralId, linked.JourneyId));
        Schedule(session, LinkedReferralReceiptDecider.FirstCheck(linked, options));
    }

    public static void Schedule(IDocumentSession session, LinkedReferralReceiptCheckDue check) =>
        session.Timers.Schedule(LinkedReferralReceiptDecider.TimerKey(check.ReferralId, check.JourneyId, check.Round), check.DueAt, check);

    /// <summary>Sends the linking to triage again under its first MessageId, from no source stream (so it cannot wait behind a failing row).</summary>
    public static void Resend(IDocumentSession session, Referral referral, LinkedReferralReceiptCheckDue due) =>
        session.Outbox.Publish(LinkedReferralReceiptDecider.ResentLink(referral, due), null,
            LinkedReferralReceiptDecider.LinkedMessageId(referral.Id, due.JourneyId));

    /// <summary>The receipt arrived: the round now pending has nothing left to do.</summary>
    public static void Received(IDocumentSession session, Referral before)
    {
        if (before.LinkedTriageReceipt is { } pending)
        {
            session.Timers.Cancel(LinkedReferralReceiptDecider.TimerKey(before.Id, pending.JourneyId, (pending.Overdue?.Checks ?? 0) + 1));
        }
    }
}
