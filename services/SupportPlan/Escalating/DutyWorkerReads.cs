using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.SharedKernel;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Escalating;

/// <summary>
/// Triage's duty chain asked link worker <see cref="LinkWorkerId"/> to act on escalation <see cref="EscalationId"/> of the
/// referral (HAZ-001 C15): from <see cref="AskedAt"/> (when support-plan heard of it) they may read the journey working from
/// that referral for a while (<see cref="DutyWorkerReads"/>). Ids and times only: the escalation's indicators and statement
/// stay with triage. In a stream of its own per escalation and worker, never the journey's, so an escalation arriving before
/// the journey is registered is kept, and the journey's version (its ETag) does not move under its worker's feet.
/// </summary>
public sealed record DutyWorkerAsked(
    Guid GrantId,
    Guid EscalationId,
    Guid ReferralId,
    Guid PersonId,
    string ProgrammeId,
    string LinkWorkerId,
    int Step,
    DateTimeOffset EscalatedAt,
    DateTimeOffset AskedAt) : ISupportPlanEvent;

/// <summary>One duty worker's read of the journey behind one escalation: the aggregate of its stream and its inline document.</summary>
public sealed record DutyReadGrant
{
    public Guid Id { get; init; }

    public long Version { get; set; }

    public Guid EscalationId { get; init; }

    public Guid ReferralId { get; init; }

    public string ProgrammeId { get; init; } = string.Empty;

    public string LinkWorkerId { get; init; } = string.Empty;

    public DateTimeOffset AskedAt { get; init; }

    /// <summary>When triage's duty chain reached the step that asked the worker (default on grants stored before it was kept).</summary>
    public DateTimeOffset EscalatedAt { get; init; }

    public static DutyReadGrant Create(DutyWorkerAsked e) => new()
    {
        Id = e.GrantId,
        EscalationId = e.EscalationId,
        ReferralId = e.ReferralId,
        ProgrammeId = e.ProgrammeId,
        LinkWorkerId = e.LinkWorkerId,
        AskedAt = e.AskedAt,
        EscalatedAt = e.EscalatedAt,
    };

    // Asked again (a later step or round of the same escalation) changes nothing: the first asking stands.
    public DutyReadGrant Apply(DutyWorkerAsked e) => this;
}

/// <summary>
/// Pure rules of the duty worker's read (HAZ-001 C15). A link worker triage's duty chain asks about an escalation may read the
/// journey working from the escalated referral (the referral the journey was registered or reopened from, or a further referral
/// linked to it), so that they can reach the person within minutes without finding a team lead first. The grant is bounded:
/// read only (writes keep <see cref="JourneyAccess.Evaluate"/>), for <see cref="JourneyPolicy.DutyWorkerRead"/> from when
/// support-plan heard they were asked (at the latest <see cref="LateNoticeAllowance"/> after triage's step), only while the grant's programme is the journey's and one their token names, and each
/// read is audited with the escalation as its basis.
/// </summary>
public static class DutyWorkerReads
{
    /// <summary>
    /// How late after triage's step a notice may arrive and still start the full period when support-plan hears of it. A notice
    /// consumed later (replayed from an error queue, behind a backlog) must not open a fresh period days after the asking.
    /// </summary>
    public static readonly TimeSpan LateNoticeAllowance = TimeSpan.FromHours(1);

    /// <summary>One stream per (escalation, worker): redeliveries and further rounds find it and add nothing.</summary>
    public static Guid GrantIdFor(Guid escalationId, string linkWorkerId) =>
        NameBasedGuid.Create("duty-worker-read\n" + escalationId.ToString("N") + "\n" + linkWorkerId);

    /// <summary>
    /// Records that the duty chain asked a link worker about the referral, once per (escalation, worker). Only a duty worker
    /// recipient: team leads read their programme's journeys already, and practices and referrers never read them here.
    /// Whether or not the message carries triage's tier, priority and version: the worker must act either way.
    /// </summary>
    public static IReadOnlyList<object> Ask(DutyReadGrant? existing, ReferralEscalated escalation, DateTimeOffset now)
    {
        if (escalation.RecipientKind != EscalationRecipientKind.DutyWorker || string.IsNullOrWhiteSpace(escalation.RecipientId) ||
            string.IsNullOrWhiteSpace(escalation.ProgrammeId) || existing is not null)
        {
            return [];
        }

        return
        [
            new DutyWorkerAsked(GrantIdFor(escalation.EscalationId, escalation.RecipientId), escalation.EscalationId, escalation.ReferralId,
                escalation.PersonId, escalation.ProgrammeId, escalation.RecipientId, escalation.Step, escalation.EscalatedAt, now),
        ];
    }

    /// <summary>Whether the grant lets this link worker read this journey now.</summary>
    public static bool Allows(DutyReadGrant grant, string linkWorkerId, Journey journey, DateTimeOffset now, TimeSpan period) =>
        string.Equals(grant.LinkWorkerId, linkWorkerId, StringComparison.Ordinal) &&
        string.Equals(grant.ProgrammeId, journey.ProgrammeId, StringComparison.Ordinal) &&
        (journey.ReferralIds.Contains(grant.ReferralId) || journey.FurtherReferrals.Exists(f => f.ReferralId == grant.ReferralId)) &&
        now >= grant.AskedAt && now < PeriodStart(grant) + period;

    /// <summary>When support-plan heard of the asking, but never later than the allowance after triage's step.</summary>
    private static DateTimeOffset PeriodStart(DutyReadGrant grant) =>
        grant.EscalatedAt == default || grant.AskedAt <= grant.EscalatedAt + LateNoticeAllowance
            ? grant.AskedAt
            : grant.EscalatedAt + LateNoticeAllowance;

    /// <summary>The audit's basis of a read this grant allowed.</summary>
    public static string Basis(DutyReadGrant grant) => $"duty worker asked about escalation {grant.EscalationId}";

    /// <summary>The grants a reader's query should consider for this journey: its referrals and further referrals.</summary>
    public static string[] ReferralIdsOf(Journey journey) =>
        [.. journey.ReferralIds.Concat(journey.FurtherReferrals.Select(f => f.ReferralId)).Distinct().Select(id => id.ToString())];
}
