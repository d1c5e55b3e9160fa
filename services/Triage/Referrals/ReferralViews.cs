using Referrals.Contracts;
using Referrals.Triage.Assigning;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Referrals;

/// <summary>The triage decision as recorded (with the configuration version it used).</summary>
public sealed record TriageView(
    bool Eligible,
    IReadOnlyList<string> Reasons,
    string? Signposting,
    int ComplexityScore,
    IReadOnlyList<string> ContributingFactors,
    Tier RequiredTier,
    Priority Priority,
    bool Escalated,
    IReadOnlyList<string> Indicators,
    int ConfigurationVersion)
{
    public static TriageView From(TriageOutcome o) => new(o.Eligible, o.Reasons, o.Signposting, o.ComplexityScore, o.ContributingFactors,
        o.RequiredTier, o.Priority, o.Escalated, o.Indicators.Select(i => i.Explain()).ToList(), o.ConfigurationVersion);
}

public enum AssignmentState
{
    Offered,
    Accepted,
}

public sealed record AssignmentView(Guid AssignmentId, string LinkWorkerId, Tier WorkerTier, AssignmentState State, DateTimeOffset AssignedAt,
    IReadOnlyList<string> Reasons);

/// <summary>Where a waiting referral stands: its position (routine queue), when it started waiting and why.</summary>
public sealed record QueuePlaceView(int? Position, bool WithTeamLead, DateTimeOffset WaitingSince, long WaitingMinutes, IReadOnlyList<string> Reasons);

public sealed record ServiceLevelView(DateTimeOffset? FirstContactDueAt, DateTimeOffset? FirstContactAt, bool Breached);

/// <summary>GET /referrals/{referralId}: everything triage knows and decided about a referral (no personal details).</summary>
public sealed record ReferralView(
    Guid ReferralId,
    Guid JourneyId,
    Guid? PreviousJourneyId,
    string ProgrammeId,
    string RegisteredPracticeOds,
    ReferrerKind ReferrerKind,
    string ReferrerOrganisationId,
    ReferralStatus Status,
    bool Eligible,
    bool Escalated,
    bool Overridden,
    Tier RequiredTier,
    Priority Priority,
    IReadOnlyList<NeedCategory> Needs,
    DateTimeOffset SubmittedAt,
    TriageView? Triage,
    AssignmentView? Assignment,
    QueuePlaceView? Queue,
    ServiceLevelView ServiceLevel,
    long Version)
{
    public static ReferralView From(Referral r, int? queuePosition, DateTimeOffset now) =>
        new(r.Id, r.RegisteredJourneyId ?? r.JourneyId, r.PreviousJourneyId, r.ProgrammeId, r.RegisteredPracticeOds, r.ReferrerKind,
            r.ReferrerOrganisationId, r.Status, r.Eligible, r.Escalated, r.Overridden, r.RequiredTier, r.Priority, r.Needs, r.SubmittedAt,
            r.Triage is null ? null : TriageView.From(r.Triage),
            r is { IsWithWorker: true, AssignmentId: { } id, AssignedWorkerId: { } worker }
                ? new AssignmentView(id, worker, r.AssignedWorkerTier ?? Tier.LinkWorker,
                    r.Status == ReferralStatus.Accepted ? AssignmentState.Accepted : AssignmentState.Offered, r.AssignedAt ?? r.SubmittedAt,
                    r.AssignmentReasons)
                : null,
            r.IsWaiting
                ? new QueuePlaceView(queuePosition, r.Status == ReferralStatus.AwaitingTeamLead, r.WaitingSince, Minutes(now - r.WaitingSince), r.QueueReasons)
                : null,
            new ServiceLevelView(r.ServiceLevelDueAt, r.FirstContactAt, r.ServiceLevelBreached),
            r.Version);

    public static long Minutes(TimeSpan span) => Math.Max(0, (long)span.TotalMinutes);
}

/// <summary>A programme queue in order, with positions (routine referrals only; escalated ones are never queued).</summary>
public static class ProgrammeQueue
{
    public static IReadOnlyList<QueueEntry> Routine(IEnumerable<QueueEntry> entries) =>
        QueueEntry.InQueueOrder(entries.Where(e => !e.Escalated), e => e.Escalated, e => e.Needs.Priority, e => e.Needs.WaitingSince, e => e.Id).ToList();

    public static int? PositionOf(IReadOnlyList<QueueEntry> routine, Guid referralId)
    {
        for (var i = 0; i < routine.Count; i++)
        {
            if (routine[i].Id == referralId)
            {
                return i + 1;
            }
        }

        return null;
    }
}
