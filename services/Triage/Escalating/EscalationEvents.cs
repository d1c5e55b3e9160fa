using Referrals.Contracts.Triage;
using Referrals.Triage.Common;

namespace Referrals.Triage.Escalating;

public enum EscalationTrigger
{
    /// <summary>Triage found risk in the referral.</summary>
    Triage,

    /// <summary>A worker raised a safeguarding concern or crisis during the journey (support-plan).</summary>
    SafeguardingConcern,
}

/// <summary>Someone an escalation step goes to; informational recipients (the referrer, the practice) are told, not asked to acknowledge.</summary>
public sealed record EscalationRecipient(EscalationRecipientKind Kind, string Id, bool MustAcknowledge);

/// <summary>One step of the chain. A step with <see cref="NotBefore"/> waits for the rota to open.</summary>
public sealed record EscalationStep(int Number, IReadOnlyList<EscalationRecipient> Recipients, DateTimeOffset? NotBefore);

/// <summary>
/// An escalation opened: the chain is fixed from the rota in force (its configuration version is recorded), so the
/// decision can be explained afterwards.
/// </summary>
public sealed record EscalationOpened(
    Guid EscalationId,
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    EscalationTrigger Trigger,
    IReadOnlyList<string> Indicators,
    bool OutsideRotaHours,
    IReadOnlyList<EscalationStep> Chain,
    string TimeZone,
    int AcknowledgeWithinMinutes,
    string NotACrisisStatement,
    int ConfigurationVersion,
    DateTimeOffset OpenedAt) : ITriageEvent;

/// <summary>The escalation reached a step: its recipients were told; <see cref="NextStepDueAt"/> is when it moves on if nobody acknowledges.</summary>
public sealed record EscalationStepReached(
    Guid EscalationId,
    int Step,
    IReadOnlyList<EscalationRecipient> Recipients,
    DateTimeOffset? AcknowledgeBy,
    DateTimeOffset? NextStepDueAt,
    DateTimeOffset ReachedAt) : ITriageEvent;

/// <summary>Someone who can act acknowledged the escalation; the chain stops.</summary>
public sealed record EscalationAcknowledgementRecorded(
    Guid EscalationId,
    int Step,
    string AcknowledgedBy,
    string Role,
    DateTimeOffset AcknowledgedAt) : ITriageEvent;
