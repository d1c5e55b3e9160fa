using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.Tracking;

/// <summary>Which service's view a progress fact belongs to: triage decides and assigns; support-plan carries the journey.</summary>
public enum ProgressPhase
{
    Triage,
    Journey,
}

/// <summary>What the referrer may see of a closed journey. Narrative (what matters, goals) never leaves support-plan this way.</summary>
public sealed record ReferrerOutcome(
    ClosureReason Reason,
    IReadOnlyList<ConnectionSummary> Connections,
    IReadOnlyList<OutcomeChange> OutcomeChanges);

/// <summary>
/// A fact from triage or support-plan about the referral, with the upstream stream and version that produced it so
/// that stale or out-of-order facts never move the status backwards.
/// </summary>
public sealed record ReferralProgressRecorded(
    Guid ReferralId,
    Guid PersonId,
    ProgressPhase Phase,
    ReferralStatus Status,
    EventSource Source,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt)
{
    public ClosureReason? ClosureReason { get; init; }

    [PersonalData]
    public ReferrerOutcome? Outcome { get; init; }

    /// <summary>Triage's reasons for finding the referral not eligible (they may say something about the person).</summary>
    [PersonalData]
    public IReadOnlyList<string>? NotEligibleReasons { get; init; }

    /// <summary>Where triage suggests the person is directed instead (the programme's own wording).</summary>
    public string? Signposting { get; init; }
}

/// <summary>Triage escalated the person as at risk. The referrer sees the flag; it never clears.</summary>
public sealed record ReferralEscalationNoted(Guid ReferralId, Guid PersonId, DateTimeOffset EscalatedAt, DateTimeOffset RecordedAt);

/// <summary>
/// Triage told the referrer about an escalation (one step of its duty chain; triage's <c>ReferralEscalated</c> addressed
/// to the <c>Referrer</c>), for example at the end of the chain or outside rota hours that the service is not a crisis
/// service and the case needs the referrer's action. <see cref="Statement"/> is the service's own fixed text, never
/// anything about the person; <see cref="RecipientId"/> is the organisation triage addressed. Recorded once per
/// escalation and step.
/// </summary>
public sealed record EscalationNoticeReceived(
    Guid ReferralId,
    Guid PersonId,
    Guid EscalationId,
    int Step,
    string RecipientId,
    string Statement,
    bool OutsideRotaHours,
    DateTimeOffset? AcknowledgeBy,
    DateTimeOffset SentAt,
    DateTimeOffset RecordedAt);

/// <summary>
/// Support-plan, the authority on journey identity, recorded the referral against a different journey than intake proposed
/// (a re-referral within its window reopens the previous journey).
/// </summary>
public sealed record ReferralJourneyIdentified(Guid ReferralId, Guid ProposedJourneyId, Guid JourneyId, DateTimeOffset IdentifiedAt);
