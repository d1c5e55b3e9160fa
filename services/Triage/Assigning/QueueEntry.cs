using Referrals.Contracts;
using Referrals.Triage.Journeys;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Assigning;

/// <summary>
/// One referral waiting in a programme queue: a small inline projection of the referral stream, so allocation can match
/// the whole queue cheaply. It disappears when the referral is assigned, withdrawn or leaves the routine queue. It holds
/// nothing about the person (deliberately no PersonId), so reading the queue needs no key look-up.
/// </summary>
public sealed record QueueEntry(Guid Id, string ProgrammeId, QueueNeeds Needs, bool Escalated, DateTimeOffset QueuedAt)
{
    public long Version { get; set; }

    public static QueueEntry Create(PlacedInQueue e) => new(e.ReferralId, e.ProgrammeId, e.Needs, false, e.QueuedAt);

    public static QueueEntry Create(HeldForTeamLead e) => new(e.ReferralId, e.ProgrammeId, e.Needs, true, e.HeldAt);

    public QueueEntry Apply(PlacedInQueue e) => this with { Needs = e.Needs, Escalated = false };

    public QueueEntry Apply(HeldForTeamLead e) => this with { Needs = e.Needs, Escalated = true };

    public QueueEntry Apply(TriageDecisionOverridden e) => this with { Needs = Needs with { RequiredTier = e.RequiredTier, Priority = e.Priority } };

    public static bool ShouldDelete(WorkerAssigned e) => true;

    public static bool ShouldDelete(ReferralWithdrawalRecorded e) => !e.AfterFirstContact;

    public static bool ShouldDelete(TriageDecisionOverridden e) => e.Eligible == false;

    public static bool ShouldDelete(ReferralEscalationRaised e) => true;

    public static bool ShouldDelete(JourneyClosureRecorded e) => true;

    /// <summary>Queue order: escalated first (they are never routine), then priority, then the longest wait.</summary>
    public static IOrderedEnumerable<T> InQueueOrder<T>(IEnumerable<T> entries, Func<T, bool> escalated, Func<T, Priority> priority,
        Func<T, DateTimeOffset> waitingSince, Func<T, Guid> id) =>
        entries.OrderByDescending(escalated).ThenByDescending(priority).ThenBy(waitingSince).ThenBy(id);
}
