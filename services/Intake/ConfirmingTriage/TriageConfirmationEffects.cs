using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.ConfirmingTriage;

/// <summary>The check's timers and copies, written in the caller's transaction.</summary>
public static class TriageConfirmationEffects
{
    /// <summary>
    /// Scheduled with no source stream, so the fired check's outbox row is a stream of its own: the relay stops a stream at its
    /// first failing row, and the check must not wait behind the referral's own messages (the submission among them).
    /// </summary>
    public static void Schedule(IDocumentSession session, TriageConfirmationCheckDue check) =>
        session.Timers.Schedule(TriageConfirmationDecider.TimerKey(check.ReferralId, check.Round), check.DueAt, check);

    /// <summary>
    /// Sends the referral to triage again under its first MessageId, from no source stream (so the copy does not wait behind
    /// a failing row of the referral's). Should the first copy still be in the outbox, the store keeps that one (same id).
    /// </summary>
    public static void Resend(IDocumentSession session, Referral referral) =>
        session.Outbox.Publish(TriageConfirmationDecider.ResentSubmission(referral), null, TriageConfirmationDecider.SubmissionMessageId(referral.Id));

    /// <summary>The referral moved on from <c>Submitted</c> (triaged, or further): the check now pending has nothing left to do.</summary>
    public static void OnChanged(IDocumentSession session, Referral before, Referral after)
    {
        if (before.Status == ReferralStatus.Submitted && after.Status != ReferralStatus.Submitted)
        {
            session.Timers.Cancel(TriageConfirmationDecider.TimerKey(after.Id, (before.TriageConfirmationOverdue?.Checks ?? 0) + 1));
        }
    }
}
