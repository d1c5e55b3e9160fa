using System.Text.Json.Serialization;
using Referrals.Contracts;
using Referrals.Triage.Escalating;
using Referrals.Triage.Referrals;

namespace Referrals.Triage.Worklists;

/// <summary>An escalation as a worklist or team lead sees it.</summary>
public sealed record EscalationSummary(
    Guid EscalationId,
    Guid ReferralId,
    Guid JourneyId,
    string ProgrammeId,
    EscalationTrigger Trigger,
    EscalationState State,
    int Step,
    IReadOnlyList<string> Indicators,
    IReadOnlyList<EscalationRecipient> CurrentRecipients,
    DateTimeOffset? AcknowledgeBy,
    bool OutsideRotaHours,
    DateTimeOffset OpenedAt,
    long Version,
    DateTimeOffset? NextStepDueAt,
    int RepeatRound,
    Guid? LinkedReferralId = null)
{
    public static EscalationSummary From(Escalation e) => new(e.Id, e.ReferralId, e.JourneyId, e.ProgrammeId, e.Trigger, e.State, e.CurrentStep,
        e.Indicators, e.CurrentRecipients, e.AcknowledgeBy, e.OutsideRotaHours, e.OpenedAt, e.Version, e.NextStepDueAt, e.RepeatRound,
        e.LinkedReferralId);

    /// <summary>On a worker's list of escalations passed on from them: whom it is with now and since when; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EscalationPassedOn? PassedOn { get; init; }

    /// <summary>
    /// The escalation as <paramref name="worker"/>'s worklist shows it: waiting for them while the step reached asks them to
    /// acknowledge (a repeat round asking them again included); passed on once it has moved past every step that asked them,
    /// since they can still acknowledge it (anyone it asked may, until someone does); null if it never asked them or is
    /// acknowledged.
    /// </summary>
    public static EscalationSummary? ForWorker(Escalation e, string worker)
    {
        if (!e.IsOpen || !e.AskedToAcknowledge.Contains(worker, StringComparer.Ordinal))
        {
            return null;
        }

        var summary = From(e);
        return e.CurrentRecipients.Any(r => r.MustAcknowledge && string.Equals(r.Id, worker, StringComparison.Ordinal))
            ? summary
            : summary with { PassedOn = new EscalationPassedOn(e.CurrentRecipients, e.History[^1].ReachedAt) };
    }
}

/// <summary>
/// Where an escalation that asked a worker went: the recipients of the step it has reached (<see cref="To"/>; none while it
/// waits for the rota to open) and when it reached them (<see cref="At"/>).
/// </summary>
public sealed record EscalationPassedOn(IReadOnlyList<EscalationRecipient> To, DateTimeOffset At);

/// <summary>One assignment on a worker's list. Accept, decline or hand back it by <see cref="AssignmentId"/>; If-Match: <see cref="Version"/>.</summary>
public sealed record WorklistItem(
    Guid AssignmentId,
    Guid ReferralId,
    Guid JourneyId,
    string ProgrammeId,
    string RegisteredPracticeOds,
    AssignmentState State,
    bool Escalated,
    Priority Priority,
    Tier RequiredTier,
    int ComplexityScore,
    IReadOnlyList<NeedCategory> Needs,
    IReadOnlyList<string> TriageReasons,
    IReadOnlyList<string> AssignmentReasons,
    DateTimeOffset SubmittedAt,
    DateTimeOffset AssignedAt,
    long WaitingMinutes,
    DateTimeOffset? FirstContactDueAt,
    bool ServiceLevelBreached,
    long Version)
{
    public static WorklistItem From(Referral r, DateTimeOffset now) =>
        new(r.AssignmentId!.Value, r.Id, r.RegisteredJourneyId ?? r.JourneyId, r.ProgrammeId, r.RegisteredPracticeOds,
            r.Status == ReferralStatus.Accepted ? AssignmentState.Accepted : AssignmentState.Offered, r.Escalated, r.Priority, r.RequiredTier,
            r.Triage?.ComplexityScore ?? 0, r.Needs, r.Triage?.Reasons ?? [], r.AssignmentReasons, r.SubmittedAt, r.AssignedAt ?? r.SubmittedAt,
            ReferralView.Minutes(now - r.SubmittedAt), r.ServiceLevelDueAt, r.ServiceLevelBreached, r.Version);
}

/// <summary>
/// GET /worklist: escalations waiting for this worker, then their assignments (escalated, then priority, then longest wait), in
/// <see cref="Programmes"/> (the token's; none means the account is not set up). <see cref="EscalationsInOtherProgrammes"/> and
/// <see cref="AssignmentsInOtherProgrammes"/> count those waiting for the same link worker id in programmes the token does not
/// name, which are not shown: the account needs those programmes (HAZ-002 C7).
/// </summary>
public sealed record WorklistResponse(string LinkWorkerId, DateTimeOffset AsOf, IReadOnlyList<EscalationSummary> Escalations,
    IReadOnlyList<WorklistItem> Assignments, IReadOnlyList<string> Programmes, int EscalationsInOtherProgrammes, int AssignmentsInOtherProgrammes)
{
    /// <summary>
    /// Unacknowledged escalations that asked this worker at an earlier step and have moved on (each with its
    /// <see cref="EscalationSummary.PassedOn"/>), oldest first, in <see cref="Programmes"/>: the worker can still acknowledge
    /// them (HAZ-002 C8).
    /// </summary>
    public IReadOnlyList<EscalationSummary> EscalationsPassedOn { get; init; } = [];
}

/// <summary>A referral waiting in the programme queue.</summary>
public sealed record QueuedReferralView(
    int? Position,
    Guid ReferralId,
    string RegisteredPracticeOds,
    Tier RequiredTier,
    Priority Priority,
    DateTimeOffset WaitingSince,
    long WaitingMinutes,
    DateTimeOffset QueuedAt,
    IReadOnlyList<string> DeclinedBy);

/// <summary>A worker's capacity: what they hold (offered and accepted) against their limits.</summary>
public sealed record WorkerCapacityView(
    string LinkWorkerId,
    string DisplayName,
    Tier Tier,
    bool Active,
    int Offered,
    int Accepted,
    int ActiveCaseload,
    int? ActiveCaseloadLimit,
    int YearlyIntake,
    int YearlyIntakeLimit,
    bool HasCapacity);

/// <summary>An offer the worker has not responded to yet.</summary>
public sealed record PendingOfferView(Guid AssignmentId, Guid ReferralId, string LinkWorkerId, bool Escalated, Priority Priority,
    DateTimeOffset AssignedAt, long WaitingMinutes, long Version);

/// <summary>A referral whose first-contact service level was missed and still has no contact.</summary>
public sealed record ServiceLevelBreachView(Guid ReferralId, string? LinkWorkerId, ReferralStatus Status, DateTimeOffset DueAt);

/// <summary>GET /programmes/{programmeId}/queue: the team lead's view of a programme.</summary>
public sealed record ProgrammeQueueResponse(
    string ProgrammeId,
    long ConfigurationVersion,
    DateTimeOffset AsOf,
    IReadOnlyList<EscalationSummary> UnacknowledgedEscalations,
    IReadOnlyList<QueuedReferralView> AwaitingTeamLead,
    IReadOnlyList<QueuedReferralView> Queue,
    IReadOnlyList<WorkerCapacityView> Workers,
    IReadOnlyList<PendingOfferView> AwaitingResponse,
    IReadOnlyList<ServiceLevelBreachView> ServiceLevelBreaches);
