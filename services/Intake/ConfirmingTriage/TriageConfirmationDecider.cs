using System.Globalization;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;
using Referrals.SharedKernel;

namespace Referrals.Intake.ConfirmingTriage;

/// <summary>
/// Pure decisions of the triage confirmation check (HAZ-001, HAZ-007): a referral intake published as <c>ReferralSubmitted</c>
/// that triage has not triaged after a while may have been lost on the way (its message parked in triage's error queue),
/// and then nobody triages it and no escalation exists for its risk answers. The check finds it, flags it and sends it again.
/// </summary>
public static class TriageConfirmationDecider
{
    /// <summary>
    /// The MessageId of a referral's <c>ReferralSubmitted</c>, derived from its id, so a copy sent again carries the first one's:
    /// triage's inbox discards it if the first was applied, and applies it if the first was lost. (Referrals submitted before
    /// the id was derived had a random one; for them triage still recognises the copy by the referral's id.)
    /// </summary>
    public static Guid SubmissionMessageId(Guid referralId) =>
        NameBasedGuid.Create(string.Create(CultureInfo.InvariantCulture, $"intake:referral-submitted\n{referralId:N}"));

    /// <summary>One key per round: a key that has fired is ignored by the timer store, so the next round needs its own.</summary>
    public static string TimerKey(Guid referralId, int round) =>
        string.Create(CultureInfo.InvariantCulture, $"intake:triage-confirmation:{referralId:N}:round:{round}");

    /// <summary>The wait before each check: shorter for a referral that is urgent or answers any risk question (or notes a risk).</summary>
    public static TimeSpan CheckWait(TriageConfirmationOptions options, RiskAnswers risk, string? riskNotes, Urgency urgency) =>
        MayIndicateRisk(risk, riskNotes, urgency) ? options.CheckAfterWhenAtRisk : options.CheckAfter;

    /// <summary>
    /// The first check of a new referral, or null for a referral that joined an open journey: it is published as
    /// <c>ReferralLinkedToOpenJourney</c>, which triage never triages (no <c>ReferralTriaged</c> will come) but reads for risk and
    /// escalates on (HAZ-001 C8); its own check waits for triage's receipt instead (<see cref="LinkedReferralReceiptDecider"/>, C18).
    /// </summary>
    public static TriageConfirmationCheckDue? FirstCheck(ReferralReceived received, TriageConfirmationOptions options) =>
        received.LinkedToOpenJourney
            ? null
            : new TriageConfirmationCheckDue(received.ReferralId, received.PersonId, 1,
                received.ReceivedAt + CheckWait(options, received.Risk, received.RiskNotes, received.Urgency));

    /// <summary>
    /// The first check of a linked referral released onto a journey of its own, published as <c>ReferralSubmitted</c> at
    /// <paramref name="publishedAt"/>; null when it joined the journey another released referral opened (that linking is checked
    /// for triage's receipt instead, C18).
    /// </summary>
    public static TriageConfirmationCheckDue? FirstCheck(Referral referral, DateTimeOffset publishedAt, TriageConfirmationOptions options) =>
        referral.LinkedToOpenJourney
            ? null
            : new TriageConfirmationCheckDue(referral.Id, referral.PersonId, 1,
                publishedAt + CheckWait(options, referral.Risk, referral.RiskNotes, referral.Urgency));

    /// <summary>The round after a flagged one, or null when the flagged round was the last.</summary>
    public static TriageConfirmationCheckDue? NextCheck(Referral referral, ReferralTriageConfirmationOverdue flagged, TriageConfirmationOptions options) =>
        flagged.FinalCheck
            ? null
            : new TriageConfirmationCheckDue(referral.Id, referral.PersonId, flagged.Round + 1,
                flagged.FlaggedAt + CheckWait(options, referral.Risk, referral.RiskNotes, referral.Urgency));

    /// <summary>
    /// Check <paramref name="round"/> came due. Still <c>Submitted</c> (no fact from triage or support-plan, not withdrawn):
    /// flagged, the last round allowed marked final. Otherwise - triaged, withdrawn, linked, its person erased, or a round
    /// already checked (the timer message delivered again) - nothing happens.
    /// </summary>
    public static IReadOnlyList<object> Check(Referral referral, int round, DateTimeOffset now, TriageConfirmationOptions options) =>
        referral is { Status: ReferralStatus.Submitted, Person: not null } && round > (referral.TriageConfirmationOverdue?.Checks ?? 0)
            ? [new ReferralTriageConfirmationOverdue(referral.Id, referral.PersonId, round, referral.SubmittedAt,
                FinalCheck: round >= Math.Max(1, options.MaxRounds), now)]
            : [];

    /// <summary>
    /// The referral as triage is sent it (<see cref="SubmissionMessages.Submitted"/>, the mapping a submission publishes), from what intake holds
    /// now: a correction of the person's details or a change of registered practice since is included.
    /// </summary>
    public static ReferralSubmitted ResentSubmission(Referral r) => SubmissionMessages.Submitted(r);

    private static bool MayIndicateRisk(RiskAnswers risk, string? riskNotes, Urgency urgency) =>
        risk.RiskOfHarmToSelf || risk.RiskOfHarmToOthers || risk.SafeguardingConcern || risk.RisksToVisitingWorker ||
        urgency != Urgency.Routine || !string.IsNullOrWhiteSpace(riskNotes);
}
