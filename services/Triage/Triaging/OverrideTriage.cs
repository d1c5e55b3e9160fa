using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Problems;
using Referrals.Triage.Assigning;
using Referrals.Triage.Common;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.ServiceLevels;

namespace Referrals.Triage.Triaging;

/// <summary>
/// A team lead overrides the triage decision (tier, priority and, optionally, eligibility) with a reason, recorded as an
/// event and published. The consequences follow at once: a worker below the new tier no longer holds it, a referral made
/// eligible is allocated, one made out of scope leaves the queue, and the first-contact clock follows the new priority.
/// A changed eligibility is also published as the referral's triage decision, which intake and support-plan follow.
/// </summary>
public sealed class OverrideTriage(IDocumentStore store, TimeProvider clock, AllocationService allocation)
{
    /// <summary>The reason the referrer is given: a rule's words, never the team lead's own (which may describe the person).</summary>
    public const string ReviewedOutOfScope = "Out of scope for this programme on a team lead's review";

    public const string ReviewedIntoScope = "Taken on by this programme on a team lead's review";

    public const string OpenedByAWorker = "A worker has taken the person on, so their journey is open in support-plan (a hand-back does not close it): " +
        "ruling the referral out of scope now would tell the referrer and the GP different things. Close the journey in " +
        "support-plan with a reason instead.";

    /// <summary>Why the override cannot be made on the referral as it stands, or null when it can (pure: no store, no clock).</summary>
    public static string? Refusal(Referral before, bool? eligible, bool programmeConfigured)
    {
        if (before.Status is ReferralStatus.Withdrawn or ReferralStatus.Closed)
        {
            return $"The referral is {before.Status.ToString().ToLowerInvariant()}; there is nothing left to triage.";
        }

        // Ever accepted, not only accepted now: support-plan opened the journey on acceptance and does not close it on a
        // hand-back, and gp-records keeps the Task accepted (HAZ-005 C8).
        if (eligible == false && (before.Status == ReferralStatus.Accepted || before.LastAcceptedWorkerId is not null))
        {
            return OpenedByAWorker;
        }

        if (eligible == true && !programmeConfigured)
        {
            return "The referral's programme is not configured in triage, so nobody could take it.";
        }

        return null;
    }

    public Task<CommandResult<Referral>> HandleAsync(Guid referralId, Tier tier, Priority priority, bool? eligible, string reason,
        string teamLead, IReadOnlyList<string> programmes, long? expectedVersion, CancellationToken ct) =>
        RetryWithoutIfMatch.RunAsync(expectedVersion, () => HandleOnceAsync(referralId, tier, priority, eligible, reason, teamLead, programmes, expectedVersion, ct));

    private async Task<CommandResult<Referral>> HandleOnceAsync(Guid referralId, Tier tier, Priority priority, bool? eligible, string reason,
        string teamLead, IReadOnlyList<string> programmes, long? expectedVersion, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var found = await session.LoadAsync<Referral>(referralId, ct);
        if (found is null)
        {
            return CommandResult<Referral>.NotFound;
        }

        if (!programmes.Contains(found.ProgrammeId, StringComparer.Ordinal))
        {
            return CommandResult<Referral>.Forbidden;
        }

        var programme = await ProgrammeLock.AcquireAsync(session, found.ProgrammeId, ct);
        var referrals = new ReferralChanges(session);
        var before = (await referrals.GetAsync(referralId, expectedVersion, ct))!;
        if (Refusal(before, eligible, programme is not null) is { } refused)
        {
            throw new DomainRuleException(refused);
        }

        var now = clock.GetUtcNow();
        var after = referrals.Append(referralId, new TriageDecisionOverridden(referralId, before.PersonId, tier, priority, eligible, reason, teamLead, now));
        session.Outbox.Publish(new TriageOverridden(referralId, before.RegisteredJourneyId ?? before.JourneyId, before.PersonId, tier, priority,
            reason, teamLead, now) { Eligible = eligible }, referralId);
        if (eligible is { } ruled && ruled != before.Eligible && before.Triage is { } decided)
        {
            // Intake and support-plan follow triage decisions: a changed eligibility also goes out as the referral's triage
            // decision now, so the referrer sees the outcome and the journey follows. A tier or priority alone does not: a
            // newer decision would move the referrer's status back from Queued or Assigned to Triaged.
            session.Outbox.Publish(new ReferralTriaged(referralId, after.JourneyId, after.PersonId, after.ProgrammeId, ruled,
                [ruled ? ReviewedIntoScope : ReviewedOutOfScope], ruled ? null : decided.Signposting, decided.ComplexityScore,
                decided.ContributingFactors, after.RequiredTier, after.Priority, after.Escalated, decided.ConfigurationVersion, now), referralId);
        }

        if (!after.Eligible)
        {
            if (after is { Status: ReferralStatus.Offered, AssignmentId: { } offered, AssignedWorkerId: { } worker })
            {
                referrals.Append(referralId, new AssignmentEnded(referralId, after.PersonId, offered, after.ProgrammeId, worker,
                    AssignmentEndReason.Overridden, null, false, teamLead, now));
            }

            ServiceLevelClock.Stop(session, after);
        }
        else if (programme is not null)
        {
            if (!before.Eligible || before.Priority != after.Priority)
            {
                ServiceLevelClock.Start(session, referrals, after, programme, now);
            }

            var candidates = new List<AllocationCandidate>();
            if (after is { IsWithWorker: true, AssignedWorkerTier: { } held, AssignmentId: { } assignment, AssignedWorkerId: { } worker } && held < after.RequiredTier)
            {
                referrals.Append(referralId, new AssignmentEnded(referralId, after.PersonId, assignment, after.ProgrammeId, worker,
                    AssignmentEndReason.Overridden, null, after.Status == ReferralStatus.Accepted, teamLead, now));
            }

            var current = (await referrals.GetAsync(referralId, ct))!;
            if (current.Status == ReferralStatus.Received)
            {
                candidates.Add(new AllocationCandidate(referralId, current.QueueNeeds(), current.Escalated, Waiting: false));
            }

            await allocation.AllocateAsync(session, referrals, programme, candidates, teamLead, ct);
        }

        await session.SaveChangesAsync(ct);
        return (await referrals.GetAsync(referralId, ct))!;
    }
}
