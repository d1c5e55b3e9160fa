namespace Referrals.Contracts.Triage;

/// <summary>
/// Triage decided a referral: eligibility (with reasons and signposting when out of scope), complexity with its
/// contributing factors, the tier required and the priority. It names the configuration version it used.
/// </summary>
public sealed record ReferralTriaged(
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    bool Eligible,
    IReadOnlyList<string> Reasons,
    string? Signposting,
    int ComplexityScore,
    IReadOnlyList<string> ContributingFactors,
    Tier RequiredTier,
    Priority Priority,
    bool Escalated,
    int ConfigurationVersion,
    DateTimeOffset TriagedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>A team lead overrode the triage decision, with a reason (typed by staff, it may describe the person: personal data).</summary>
public sealed record TriageOverridden(
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    Tier RequiredTier,
    Priority Priority,
    [property: PersonalData] string? Reason,
    string OverriddenBy,
    DateTimeOffset OverriddenAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }

    /// <summary>Set when the team lead also overrode eligibility (true: taken on despite the rules; false: out of scope).</summary>
    public bool? Eligible { get; init; }
}

public enum EscalationRecipientKind
{
    DutyWorker,
    TeamLead,
    RegisteredPractice,
    Referrer,
}

/// <summary>
/// A person at risk was escalated to whoever is on duty now (or, outside rota hours, straight to the referrer and the
/// registered practice). Unacknowledged by <see cref="AcknowledgeBy"/>, it moves to the next in the chain.
/// <see cref="Indicators"/> and <see cref="Statement"/> (which names them to the duty worker and team leads) are personal
/// data: a worker's safeguarding concern brings indicators of its own, free text. After erasure they read as empty.
/// </summary>
public sealed record ReferralEscalated(
    Guid EscalationId,
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    int Step,
    EscalationRecipientKind RecipientKind,
    string RecipientId,
    IReadOnlyList<string>? Indicators,
    DateTimeOffset? AcknowledgeBy,
    bool OutsideRotaHours,
    string? Statement,
    DateTimeOffset EscalatedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }

    [PersonalData]
    public IReadOnlyList<string> Indicators { get; init; } = Indicators ?? [];

    [PersonalData]
    public string Statement { get; init; } = Statement ?? string.Empty;

    /// <summary>
    /// The referral named, as triage holds it once the escalation is recorded on it (Urgent, and at least the Psychosocial
    /// tier while no worker has accepted it): support-plan's journey follows these. Every step of one escalation carries the
    /// same values. Null on messages sent before these fields were added, on a linked referral's referrer's notice (it names
    /// the referral they sent, not the one escalated), and when triage does not know the referral.
    /// </summary>
    public Tier? RequiredTier { get; init; }

    /// <inheritdoc cref="RequiredTier"/>
    public Priority? Priority { get; init; }

    /// <summary>
    /// The version of triage's referral stream those values are from (<see cref="Source"/> is the escalation's own stream):
    /// it orders the escalation against triage's decisions and overrides of the referral, whose <c>Source.Version</c> is on
    /// that stream. Null whenever <see cref="RequiredTier"/> is.
    /// </summary>
    public long? ReferralVersion { get; init; }
}

public sealed record EscalationAcknowledged(
    Guid EscalationId,
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string AcknowledgedBy,
    DateTimeOffset AcknowledgedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>Triage matched the referral to a link worker, who must now accept, decline or hand it back.</summary>
public sealed record ReferralAssigned(
    Guid AssignmentId,
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    string LinkWorkerId,
    Tier WorkerTier,
    DateTimeOffset AssignedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>No worker had capacity; the referral waits in the programme queue at the given position.</summary>
public sealed record ReferralQueued(
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    int Position,
    DateTimeOffset QueuedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>The worker accepted the assignment; support-plan opens (or reopens) the journey. No SNOMED code derives from it.</summary>
public sealed record AssignmentAccepted(
    Guid AssignmentId,
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    Guid? PreviousJourneyId,
    string ProgrammeId,
    string LinkWorkerId,
    DateTimeOffset AcceptedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>The worker declined the offer. The reason is typed by the worker and may describe the person: personal data.</summary>
public sealed record AssignmentDeclined(
    Guid AssignmentId,
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string LinkWorkerId,
    [property: PersonalData] string? Reason,
    DateTimeOffset DeclinedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>The worker handed the referral back. The reason is typed by the worker and may describe the person: personal data.</summary>
public sealed record AssignmentHandedBack(
    Guid AssignmentId,
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string LinkWorkerId,
    [property: PersonalData] string? Reason,
    DateTimeOffset HandedBackAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>A service level (e.g. first contact within N working days) was missed.</summary>
public sealed record ServiceLevelBreached(
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    string ServiceLevel,
    DateTimeOffset DueAt,
    DateTimeOffset BreachedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>
/// Triage applied (or, for a duplicate, had already applied) a safeguarding concern raised in support-plan: the receipt
/// support-plan waits for. Published in the same transaction that opens the concern's escalation, and again for every
/// duplicate or re-sent copy, so a confirmation lost or never sent is answered by the next copy. <see cref="EscalationId"/>
/// names the escalation the concern opened (or joined).
/// </summary>
public sealed record SafeguardingConcernReceived(
    Guid ConcernId,
    Guid JourneyId,
    Guid ReferralId,
    Guid PersonId,
    Guid? EscalationId,
    DateTimeOffset ReceivedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>
/// Triage read a referral intake linked to the person's open journey (<c>ReferralLinkedToOpenJourney</c>) for risk: the receipt
/// intake waits for (HAZ-001 C18). Published in the transaction that consumes the linked referral, whatever it found, under a
/// MessageId derived from the linked referral and the journey, so one reaches intake per linking however often triage is sent
/// it. <see cref="EscalationId"/> names the escalation the linked referral opened (or found open); null when it indicated no risk.
/// </summary>
public sealed record LinkedReferralReceived(
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    Guid? EscalationId,
    DateTimeOffset ReceivedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}
