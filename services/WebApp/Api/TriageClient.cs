namespace Referrals.WebApp.Api;

/// <summary>Triage's HTTP API (services/Triage/README.md), called as the signed-in user.</summary>
public sealed class TriageClient(HttpClient http) : ApiClient(http)
{
    public Task<Worklist> WorklistAsync(CancellationToken ct = default) => GetRequiredAsync<Worklist>("/worklist", ct);

    public Task<ApiResult<object>> AcceptAsync(Guid assignmentId, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, $"/assignments/{assignmentId}/accept", ct: ct);

    public Task<ApiResult<object>> DeclineAsync(Guid assignmentId, string reason, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, $"/assignments/{assignmentId}/decline", new { reason }, ct: ct);

    public Task<ApiResult<object>> HandBackAsync(Guid assignmentId, string reason, CancellationToken ct = default) =>
        SendAsync<object>(HttpMethod.Post, $"/assignments/{assignmentId}/hand-back", new { reason }, ct: ct);

    /// <summary>Triage answers with the escalation acknowledged (its referral and programme among the rest).</summary>
    public Task<ApiResult<AcknowledgedEscalation>> AcknowledgeEscalationAsync(Guid escalationId, CancellationToken ct = default) =>
        SendAsync<AcknowledgedEscalation>(HttpMethod.Post, $"/escalations/{escalationId}/acknowledge", ct: ct);

    public Task<ProgrammeQueue> QueueAsync(string programmeId, CancellationToken ct = default) =>
        GetRequiredAsync<ProgrammeQueue>($"/programmes/{Uri.EscapeDataString(programmeId)}/queue", ct);

    public Task<ApiResult<TriageReferral>> ReferralAsync(Guid referralId, CancellationToken ct = default) =>
        SendAsync<TriageReferral>(HttpMethod.Get, $"/referrals/{referralId}", ct: ct);

    public Task<ApiResult<TriageReferral>> ReassignAsync(Guid referralId, string linkWorkerId, string reason, long? version, CancellationToken ct = default) =>
        SendAsync<TriageReferral>(HttpMethod.Post, $"/referrals/{referralId}/reassign", new { linkWorkerId, reason }, version, ct);
}

/// <summary>
/// <see cref="EscalationsInOtherProgrammes"/> and <see cref="AssignmentsInOtherProgrammes"/>: waiting for the worker's id in
/// programmes their token does not name, which triage does not show (HAZ-002 C7). <see cref="EscalationsPassedOn"/>:
/// unacknowledged escalations that asked the worker at an earlier step and moved on, which they can still acknowledge
/// (HAZ-002 C8; none from a triage that does not send them).
/// </summary>
public sealed record Worklist(string LinkWorkerId, DateTimeOffset AsOf, IReadOnlyList<EscalationSummary> Escalations, IReadOnlyList<WorklistItem> Assignments,
    int EscalationsInOtherProgrammes = 0, int AssignmentsInOtherProgrammes = 0, IReadOnlyList<EscalationSummary>? EscalationsPassedOn = null);

/// <summary>The part of triage's escalation the web app uses after acknowledging it.</summary>
public sealed record AcknowledgedEscalation(Guid EscalationId, Guid ReferralId, string ProgrammeId);

public sealed record EscalationRecipient(string Kind, string Id, bool MustAcknowledge);

/// <summary><see cref="PassedOn"/>: only on the worklist's escalations passed on from the worker.</summary>
public sealed record EscalationSummary(Guid EscalationId, Guid ReferralId, Guid JourneyId, string ProgrammeId, string Trigger, string State, int Step,
    IReadOnlyList<string> Indicators, IReadOnlyList<EscalationRecipient> CurrentRecipients, DateTimeOffset? AcknowledgeBy, bool OutsideRotaHours,
    DateTimeOffset OpenedAt, long Version, DateTimeOffset? NextStepDueAt = null, int RepeatRound = 0, EscalationPassedOn? PassedOn = null);

/// <summary>The recipients of the step an escalation has reached (none while it waits for the rota), and when it reached them.</summary>
public sealed record EscalationPassedOn(IReadOnlyList<EscalationRecipient> To, DateTimeOffset At);

public sealed record WorklistItem(Guid AssignmentId, Guid ReferralId, Guid JourneyId, string ProgrammeId, string RegisteredPracticeOds, string State,
    bool Escalated, string Priority, string RequiredTier, int ComplexityScore, IReadOnlyList<string> Needs, IReadOnlyList<string> TriageReasons,
    IReadOnlyList<string> AssignmentReasons, DateTimeOffset SubmittedAt, DateTimeOffset AssignedAt, long WaitingMinutes, DateTimeOffset? FirstContactDueAt,
    bool ServiceLevelBreached, long Version);

public sealed record QueuedReferral(int? Position, Guid ReferralId, string RegisteredPracticeOds, string RequiredTier, string Priority,
    DateTimeOffset WaitingSince, long WaitingMinutes, DateTimeOffset QueuedAt, IReadOnlyList<string> DeclinedBy);

public sealed record WorkerCapacity(string LinkWorkerId, string DisplayName, string Tier, bool Active, int Offered, int Accepted, int ActiveCaseload,
    int? ActiveCaseloadLimit, int YearlyIntake, int YearlyIntakeLimit, bool HasCapacity);

public sealed record PendingOffer(Guid AssignmentId, Guid ReferralId, string LinkWorkerId, bool Escalated, string Priority, DateTimeOffset AssignedAt,
    long WaitingMinutes, long Version);

public sealed record ServiceLevelBreach(Guid ReferralId, string? LinkWorkerId, string Status, DateTimeOffset DueAt);

public sealed record ProgrammeQueue(string ProgrammeId, long ConfigurationVersion, DateTimeOffset AsOf, IReadOnlyList<EscalationSummary> UnacknowledgedEscalations,
    IReadOnlyList<QueuedReferral> AwaitingTeamLead, IReadOnlyList<QueuedReferral> Queue, IReadOnlyList<WorkerCapacity> Workers,
    IReadOnlyList<PendingOffer> AwaitingResponse, IReadOnlyList<ServiceLevelBreach> ServiceLevelBreaches);

public sealed record TriageAssignment(Guid AssignmentId, string LinkWorkerId, string WorkerTier, string State, DateTimeOffset AssignedAt,
    IReadOnlyList<string> Reasons);

public sealed record TriageQueuePlace(int? Position, bool WithTeamLead, DateTimeOffset WaitingSince, long WaitingMinutes, IReadOnlyList<string> Reasons);

public sealed record TriageReferral(Guid ReferralId, Guid JourneyId, string ProgrammeId, string RegisteredPracticeOds, string Status, bool Escalated,
    string RequiredTier, string Priority, IReadOnlyList<string> Needs, DateTimeOffset SubmittedAt, TriageAssignment? Assignment, TriageQueuePlace? Queue,
    long Version);
