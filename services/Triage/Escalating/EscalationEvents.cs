using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Triage.Common;
using Referrals.Triage.Programmes;

namespace Referrals.Triage.Escalating;

public enum EscalationTrigger
{
    /// <summary>Triage found risk in the referral.</summary>
    Triage,

    /// <summary>A worker raised a safeguarding concern or crisis during the journey (support-plan).</summary>
    SafeguardingConcern,

    /// <summary>A new referral for a person already on an open journey in the programme (linked to it by intake) reported risk.</summary>
    LinkedReferral,
}

/// <summary>Someone an escalation step goes to; informational recipients (the referrer, the practice) are told, not asked to acknowledge.</summary>
public sealed record EscalationRecipient(EscalationRecipientKind Kind, string Id, bool MustAcknowledge);

/// <summary>One step of the chain. A step with <see cref="NotBefore"/> waits for the rota to open.</summary>
public sealed record EscalationStep(int Number, IReadOnlyList<EscalationRecipient> Recipients, DateTimeOffset? NotBefore);

/// <summary>
/// An escalation opened: the chain is fixed from the rota in force (its configuration version is recorded, and the rota
/// itself in <see cref="Rota"/>), so the decision can be explained afterwards. Any later re-plan when the rota closes is
/// made from that same rota, never from one changed since; escalations opened before it was recorded have none and are
/// never re-planned. <see cref="Indicators"/> is personal data: a worker's safeguarding concern brings its own indicators,
/// free text that may describe the person.
/// </summary>
public sealed record EscalationOpened(
    Guid EscalationId,
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    EscalationTrigger Trigger,
    IReadOnlyList<string>? Indicators,
    bool OutsideRotaHours,
    IReadOnlyList<EscalationStep> Chain,
    string TimeZone,
    int AcknowledgeWithinMinutes,
    string NotACrisisStatement,
    int ConfigurationVersion,
    DateTimeOffset OpenedAt,
    DutyRota? Rota = null) : ITriageEvent
{
    /// <summary>Encrypted under the person's key; empty once the person is erased.</summary>
    [PersonalData]
    public IReadOnlyList<string> Indicators { get; init; } = Indicators ?? [];

    /// <summary>
    /// For <see cref="EscalationTrigger.LinkedReferral"/> on a known open referral: the new referral whose risk opened it. Its
    /// referrer is told about that referral, the one they sent; everyone else about <see cref="ReferralId"/>, the open one.
    /// </summary>
    public Guid? LinkedReferralId { get; init; }

    /// <summary>The referral as the escalation left it (null for escalations opened before it was recorded, or of a referral triage did not know).</summary>
    public EscalatedReferralState? Referral { get; init; }

    /// <summary>
    /// The programme is not set up in triage (intake's programme list and triage's programmes differ): there is no duty team,
    /// so the practice and referrer are told the service cannot take it, not that it arrived outside duty hours. False on
    /// escalations opened before it was recorded.
    /// </summary>
    public bool ProgrammeUnknown { get; init; }
}

/// <summary>The escalation reached a step: its recipients were told; <see cref="NextStepDueAt"/> is when it moves on if nobody acknowledges.</summary>
public sealed record EscalationStepReached(
    Guid EscalationId,
    int Step,
    IReadOnlyList<EscalationRecipient> Recipients,
    DateTimeOffset? AcknowledgeBy,
    DateTimeOffset? NextStepDueAt,
    DateTimeOffset ReachedAt) : ITriageEvent
{
    /// <summary>
    /// When the duty shift hands over before <see cref="AcknowledgeBy"/> (a slot with another duty worker or team lead than
    /// the one this step was planned from comes into force): unacknowledged then, the step in hand is re-planned to the duty
    /// team on shift at that moment (<see cref="EscalationReplannedAtDutyHandover.StepInHand"/>), not left with people off
    /// shift until its deadline. Null when no handover falls inside the step's deadline, for steps that ask nobody, and on
    /// steps reached before it was recorded.
    /// </summary>
    public DateTimeOffset? HandoverAt { get; init; }
}

/// <summary>
/// A step of the duty team came due after the rota had closed. Rather than ask people off shift, the chain goes on as an
/// escalation opened outside rota hours at <see cref="ReplannedAt"/> would: <see cref="Steps"/> (the registered practice
/// and the referrer at once, then the duty worker and team leads when the rota next opens) are added to the end of the
/// chain, numbered on from it so each step keeps its own timer key, and the rest of the old plan, from
/// <see cref="SkippedStep"/>, is never reached. The first of <see cref="Steps"/> may have nobody to tell (no practice or
/// referrer known): it is then the wait for the rota.
/// </summary>
public sealed record EscalationReplannedAfterRotaClosed(
    Guid EscalationId,
    int SkippedStep,
    IReadOnlyList<EscalationStep> Steps,
    DateTimeOffset ReplannedAt) : ITriageEvent;

/// <summary>
/// A step of the duty team came due while a different duty slot (another duty worker or team lead) was in force than the
/// one the chain was planned from, or the duty shift handed over while the step in hand still awaited acknowledgement
/// (<see cref="StepInHand"/>, at <see cref="EscalationStepReached.HandoverAt"/>): the duty shift handed over before anyone acknowledged. Rather than ask the people who
/// went off shift, <see cref="Steps"/> are added to the end of the chain, numbered on from it: the duty team now on shift
/// (its duty worker, its team lead and each fallback team lead) asked together at once, then, if the plan it replaces went
/// on to tell the registered practice and the referrer, they are told at its deadline, never later than the plan it
/// replaces would have told them (<see cref="TellBy"/>). The rest of the old plan, from
/// <see cref="SkippedStep"/>, is never reached. <see cref="DutyWorkerId"/> and <see cref="TeamLeadId"/> name the slot in
/// force at <see cref="ReplannedAt"/>. Once per handover: the new steps are planned from that slot.
/// </summary>
public sealed record EscalationReplannedAtDutyHandover(
    Guid EscalationId,
    int SkippedStep,
    IReadOnlyList<EscalationStep> Steps,
    string DutyWorkerId,
    string TeamLeadId,
    DateTimeOffset ReplannedAt) : ITriageEvent
{
    /// <summary>
    /// Made at the handover itself: this step, asked of the team going off shift, was still awaiting acknowledgement (its
    /// deadline not yet passed); <see cref="SkippedStep"/> is the one after it. Null when made as a step of the duty team
    /// came due after the handover.
    /// </summary>
    public int? StepInHand { get; init; }

    /// <summary>
    /// Made at the handover (<see cref="StepInHand"/>) with the practice and referrer still to tell: when the plan it
    /// replaces would have told them, nobody acknowledging (its step in hand's deadline plus one acknowledgement window for
    /// each step asking someone before theirs, or when the first of those comes due with the rota closed). The on-shift team's
    /// deadline, and so the telling, is no later (the team can still acknowledge after). Null otherwise, and on re-plans
    /// made before it was recorded, whose team had a whole window.
    /// </summary>
    public DateTimeOffset? TellBy { get; init; }
}

/// <summary>Someone who can act acknowledged the escalation; the chain stops.</summary>
public sealed record EscalationAcknowledgementRecorded(
    Guid EscalationId,
    int Step,
    string AcknowledgedBy,
    string Role,
    DateTimeOffset AcknowledgedAt) : ITriageEvent;

/// <summary>
/// The last step of the chain asked someone to acknowledge and its deadline passed unacknowledged, with no practice or
/// referrer step after it: rather than go quiet, the duty team is asked again in repeat round <see cref="Round"/>.
/// <see cref="Steps"/> are added to the end of the chain, numbered on from it (so each step keeps its own timer key and
/// downstream notice id): with a slot in force, one step asking its duty worker and the team leads together; with the rota
/// closed, the practice and referrer told now (a step with nobody to tell is the wait for the rota) and then the next
/// slot's duty worker and team leads together when it opens. With no rota recorded, or none opening ahead and nobody to
/// tell, the people asked before are asked again now.
/// </summary>
public sealed record EscalationRepeatRoundPlanned(
    Guid EscalationId,
    int Round,
    IReadOnlyList<EscalationStep> Steps,
    DateTimeOffset PlannedAt) : ITriageEvent;
