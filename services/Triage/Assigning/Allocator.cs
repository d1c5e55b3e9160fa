using System.Globalization;
using Referrals.Contracts;
using Referrals.Triage.Programmes;

namespace Referrals.Triage.Assigning;

/// <summary>A referral to place: a new one, one waiting in the queue, or one being re-placed.</summary>
public sealed record AllocationCandidate(Guid ReferralId, QueueNeeds Needs, bool Escalated, bool Waiting);

public abstract record Placement(Guid ReferralId);

/// <summary>Offer the referral to this worker.</summary>
public sealed record AssignTo(Guid ReferralId, LinkWorkerProfile Worker, bool Continuity, bool OverCapacity, QueueNeeds Needs,
    bool Escalated, IReadOnlyList<string> Reasons) : Placement(ReferralId);

/// <summary>
/// Take an unaccepted routine offer back to make room for an escalated referral; the caller places it again (it is then
/// routine work like any other, so it is offered elsewhere or queued).
/// </summary>
public sealed record DeferForEscalation(Guid ReferralId, Guid AssignmentId, string LinkWorkerId, Guid EscalatedReferralId) : Placement(ReferralId);

/// <summary>Put (or, when <paramref name="AlreadyQueued"/>, keep) the referral in the programme queue at this position.</summary>
public sealed record PlaceInQueue(Guid ReferralId, int Position, QueueNeeds Needs, bool AlreadyQueued, IReadOnlyList<string> Reasons)
    : Placement(ReferralId);

/// <summary>An escalated referral no worker of the required tier covers: with the team lead, never in the routine queue.</summary>
public sealed record HoldForTeamLead(Guid ReferralId, QueueNeeds Needs, IReadOnlyList<string> Reasons) : Placement(ReferralId);

/// <summary>
/// Pure allocation for one programme. Candidates are placed in queue order (escalated, then priority, then the longest
/// wait). A worker is suitable when they are active, cover the referral's practice (or postcode district), hold the
/// required tier or a higher one (never lower) and have not declined it. Among suitable workers with capacity (yearly
/// intake and active caseload under their limits) the previous worker is chosen for continuity, otherwise the one with the
/// lowest load, where each tier above the one required counts as <see cref="TierGapPenalty"/> extra load so that
/// higher-tier capacity is kept for complex work. Nobody is assigned beyond capacity: a routine referral queues instead.
/// An escalated referral never queues: if nobody suitable has room, the least urgent offer not yet accepted is deferred
/// back to the queue to make room; only when there is nothing to defer is the worker taken over their limit (flagged
/// for the team lead).
/// </summary>
public static class Allocator
{
    public const double TierGapPenalty = 0.2;

    private sealed class WorkerState(LinkWorkerProfile profile, WorkerCaseload caseload, DateTimeOffset now)
    {
        public LinkWorkerProfile Profile { get; } = profile;
        public List<CaseloadEntry> Entries { get; } = [.. caseload.Active];
        public int YearlyIntake { get; set; } = caseload.YearlyIntake(now);
        public int Active => Entries.Count;

        public bool HasCapacity => YearlyIntake < Profile.YearlyIntakeLimit &&
                                   (Profile.ActiveCaseloadLimit is not { } limit || Active < limit);

        public double Load => Math.Max(
            (double)YearlyIntake / Math.Max(1, Profile.YearlyIntakeLimit),
            Profile.ActiveCaseloadLimit is { } limit ? (double)Active / Math.Max(1, limit) : 0);

        public string Describe()
        {
            var held = Profile.ActiveCaseloadLimit is { } limit
                ? string.Create(CultureInfo.InvariantCulture, $"{Active}/{limit}")
                : Active.ToString(CultureInfo.InvariantCulture);
            return string.Create(CultureInfo.InvariantCulture,
                $"{Profile.LinkWorkerId} ({Tiers.Describe(Profile.Tier)}) {YearlyIntake}/{Profile.YearlyIntakeLimit} this year, {held} held now");
        }
    }

    public static IReadOnlyList<Placement> Allocate(Programme programme, IReadOnlyDictionary<string, WorkerCaseload> caseloads,
        IEnumerable<AllocationCandidate> candidates, DateTimeOffset now)
    {
        var workers = Workers(programme, caseloads, now);
        var pending = new List<AllocationCandidate>(Order(candidates));
        var originals = pending.ToDictionary(c => c.ReferralId);
        var placements = new List<Placement>();
        var queued = new List<(AllocationCandidate Candidate, IReadOnlyList<string> Reasons)>();

        while (pending.Count > 0)
        {
            var candidate = pending[0];
            pending.RemoveAt(0);
            var needs = candidate.Needs;
            var suitable = Suitable(workers, needs);
            if (suitable.Count == 0)
            {
                var reason = NobodySuitable(needs);
                if (candidate.Escalated)
                {
                    placements.Add(new HoldForTeamLead(candidate.ReferralId, needs, [reason, "Escalated: held for the team lead to allocate, not queued."]));
                }
                else
                {
                    queued.Add((candidate, [reason]));
                }

                continue;
            }

            var withCapacity = suitable.Where(w => w.HasCapacity).ToList();
            if (withCapacity.Count > 0)
            {
                var previous = withCapacity.FirstOrDefault(w => w.Profile.LinkWorkerId == needs.PreviousWorkerId);
                var chosen = previous ?? withCapacity.OrderBy(w => w.Load + TierGapPenalty * (w.Profile.Tier - needs.RequiredTier))
                    .ThenBy(w => w.Active).ThenBy(w => w.Profile.LinkWorkerId, StringComparer.Ordinal).First();
                var reasons = AssignmentReasons(candidate, chosen, suitable, withCapacity, continuity: previous is not null);
                Assign(chosen, candidate, continuity: previous is not null, overCapacity: false, reasons);
                continue;
            }

            if (!candidate.Escalated)
            {
                queued.Add((candidate, [NoCapacity(suitable)]));
                continue;
            }

            var deferrable = suitable
                .SelectMany(w => w.Entries.Where(e => !e.Accepted && !e.Escalated).Select(e => (Worker: w, Entry: e)))
                .OrderBy(x => x.Entry.Priority).ThenByDescending(x => x.Entry.AssignedAt).ThenBy(x => x.Entry.ReferralId)
                .FirstOrDefault();
            if (deferrable.Worker is not null)
            {
                var (worker, entry) = deferrable;
                worker.Entries.Remove(entry);
                worker.YearlyIntake--;
                if (originals.TryGetValue(entry.ReferralId, out var original))
                {
                    // Offered earlier in this same allocation: nothing was stored yet, so it simply goes round again.
                    placements.RemoveAll(p => p.ReferralId == entry.ReferralId);
                    Insert(pending, original);
                }
                else
                {
                    // A stored offer: it is taken back here and placed again by the caller (which knows its needs).
                    placements.Add(new DeferForEscalation(entry.ReferralId, entry.AssignmentId, worker.Profile.LinkWorkerId, candidate.ReferralId));
                }

                var reasons = AssignmentReasons(candidate, worker, suitable, [], continuity: false);
                reasons.Add("Escalated and nobody suitable had capacity: a routine offer not yet accepted was deferred to the queue to make room.");
                Assign(worker, candidate, continuity: false, overCapacity: false, reasons);
                continue;
            }

            var least = suitable.OrderBy(w => w.Load).ThenBy(w => w.Profile.LinkWorkerId, StringComparer.Ordinal).First();
            var overReasons = AssignmentReasons(candidate, least, suitable, [], continuity: false);
            overReasons.Add("Escalated and every suitable worker is at capacity with nothing to defer: assigned over capacity for the team lead to rebalance.");
            Assign(least, candidate, continuity: false, overCapacity: true, overReasons);
        }

        // Queue positions over the whole queue as it now stands (routine referrals only).
        var positions = new Dictionary<Guid, int>();
        foreach (var (waiting, index) in Order(queued.Select(q => q.Candidate)).Select((c, i) => (c, i)))
        {
            positions.TryAdd(waiting.ReferralId, index + 1);
        }

        foreach (var (candidate, reasons) in queued)
        {
            var position = positions[candidate.ReferralId];
            placements.Add(new PlaceInQueue(candidate.ReferralId, position, candidate.Needs, candidate.Waiting,
                [.. reasons, string.Create(CultureInfo.InvariantCulture, $"Queued at position {position}.")]));
        }

        return placements;

        void Assign(WorkerState worker, AllocationCandidate candidate, bool continuity, bool overCapacity, IReadOnlyList<string> reasons)
        {
            worker.Entries.Add(new CaseloadEntry(candidate.ReferralId, Guid.Empty, candidate.Needs.Priority, candidate.Escalated, false, now));
            worker.YearlyIntake++;
            placements.RemoveAll(p => p.ReferralId == candidate.ReferralId && p is not DeferForEscalation);
            placements.Add(new AssignTo(candidate.ReferralId, worker.Profile, continuity, overCapacity, candidate.Needs, candidate.Escalated, reasons));
        }
    }

    /// <summary>
    /// True when some active worker with room for one more referral (yearly intake and caseload) would be suitable for any
    /// of these needs; when false, none of them can be assigned.
    /// </summary>
    /// <summary>Whether any active worker of the programme has room on their caseload.</summary>
    public static bool AnyoneHasCapacity(Programme programme, IReadOnlyDictionary<string, WorkerCaseload> caseloads, DateTimeOffset now) =>
        Workers(programme, caseloads, now).Any(w => w.HasCapacity);

    public static bool AnyoneWithCapacitySuits(Programme programme, IReadOnlyDictionary<string, WorkerCaseload> caseloads,
        IEnumerable<QueueNeeds> needs, DateTimeOffset now)
    {
        var withCapacity = Workers(programme, caseloads, now).Where(w => w.HasCapacity).ToList();
        return withCapacity.Count > 0 && needs.Any(n => Suitable(withCapacity, n).Count > 0);
    }

    /// <summary>
    /// Placement when the queue cannot move: no worker with capacity suits the candidates or anyone waiting, and nothing is
    /// escalated, so routine referrals only join the queue. Each candidate is placed behind <paramref name="waitingAhead"/>
    /// of the referrals already waiting, and behind the other candidates ordered before it. This is what <see cref="Allocate"/> decides for these
    /// candidates given the whole queue, without reading every waiting referral.
    /// </summary>
    public static IReadOnlyList<Placement> JoinQueue(Programme programme, IReadOnlyDictionary<string, WorkerCaseload> caseloads,
        IReadOnlyList<AllocationCandidate> candidates, Func<AllocationCandidate, int> waitingAhead, DateTimeOffset now)
    {
        if (candidates.Any(c => c.Escalated) || AnyoneWithCapacitySuits(programme, caseloads, candidates.Select(c => c.Needs), now))
        {
            throw new InvalidOperationException("Only routine candidates join a queue that cannot move.");
        }

        var workers = Workers(programme, caseloads, now);
        return Order(candidates).Select((candidate, index) =>
        {
            var suitable = Suitable(workers, candidate.Needs);
            var position = waitingAhead(candidate) + index + 1;
            return (Placement)new PlaceInQueue(candidate.ReferralId, position, candidate.Needs, candidate.Waiting,
                [suitable.Count == 0 ? NobodySuitable(candidate.Needs) : NoCapacity(suitable),
                    string.Create(CultureInfo.InvariantCulture, $"Queued at position {position}.")]);
        }).ToList();
    }

    private static List<WorkerState> Workers(Programme programme, IReadOnlyDictionary<string, WorkerCaseload> caseloads, DateTimeOffset now) =>
        programme.ActiveWorkers
            .Select(w => new WorkerState(w, caseloads.GetValueOrDefault(w.LinkWorkerId) ?? WorkerCaseload.Empty(programme.ProgrammeId, w.LinkWorkerId), now))
            .ToList();

    private static List<WorkerState> Suitable(IEnumerable<WorkerState> workers, QueueNeeds needs) =>
        workers.Where(w => w.Profile.Tier >= needs.RequiredTier
                           && w.Profile.Covers(needs.RegisteredPracticeOds, needs.PostcodeDistrict)
                           && !needs.ExcludedWorkers.Contains(w.Profile.LinkWorkerId, StringComparer.Ordinal))
            .ToList();

    private static string NobodySuitable(QueueNeeds needs) =>
        $"No active link worker of tier {Tiers.Describe(needs.RequiredTier)} or above covers practice " +
        $"{needs.RegisteredPracticeOds}" + (needs.ExcludedWorkers.Count > 0 ? " (other than those who declined it)" : string.Empty) + ".";

    private static string NoCapacity(IEnumerable<WorkerState> suitable) =>
        "No suitable worker has capacity: " + string.Join("; ", suitable.Select(w => w.Describe())) + ".";

    public static IEnumerable<AllocationCandidate> Order(IEnumerable<AllocationCandidate> candidates) =>
        QueueEntry.InQueueOrder(candidates, c => c.Escalated, c => c.Needs.Priority, c => c.Needs.WaitingSince, c => c.ReferralId);

    private static void Insert(List<AllocationCandidate> pending, AllocationCandidate candidate)
    {
        pending.Add(candidate);
        var ordered = Order(pending).ToList();
        pending.Clear();
        pending.AddRange(ordered);
    }

    private static List<string> AssignmentReasons(AllocationCandidate candidate, WorkerState chosen, IReadOnlyList<WorkerState> suitable,
        IReadOnlyList<WorkerState> withCapacity, bool continuity)
    {
        var needs = candidate.Needs;
        var profile = chosen.Profile;
        var reasons = new List<string>
        {
            profile.Practices.Contains(needs.RegisteredPracticeOds, StringComparer.OrdinalIgnoreCase)
                ? $"{profile.LinkWorkerId} covers practice {needs.RegisteredPracticeOds}."
                : profile.Practices.Count == 0 && profile.PostcodeDistricts.Count == 0
                    ? $"{profile.LinkWorkerId} covers the whole programme."
                    : $"{profile.LinkWorkerId} covers postcode district {needs.PostcodeDistrict}.",
            profile.Tier == needs.RequiredTier
                ? $"Tier {Tiers.Describe(profile.Tier)} matches the tier required."
                : $"Tier {Tiers.Describe(profile.Tier)} for {Tiers.Describe(needs.RequiredTier)} work (a higher tier may take lower-tier work).",
            "Capacity before this assignment: " + chosen.Describe() + ".",
        };

        if (continuity)
        {
            reasons.Add($"Continuity: {profile.LinkWorkerId} supported the person on their previous journey.");
        }
        else if (needs.PreviousWorkerId is { } previous)
        {
            reasons.Add(suitable.Any(w => w.Profile.LinkWorkerId == previous)
                ? $"Continuity not possible: the previous worker {previous} has no capacity."
                : $"Continuity not possible: the previous worker {previous} is not active or does not cover this work.");
        }

        if (!continuity && withCapacity.Count > 1)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"Fair spread: the lowest load of {withCapacity.Count} suitable workers with capacity."));
        }

        return reasons;
    }
}

public static class Tiers
{
    public static string Describe(Tier tier) => tier switch
    {
        Tier.LinkWorker => "Link Worker",
        Tier.LinkWorkerCoach => "Link Worker Coach",
        _ => "Psychosocial Link Worker",
    };
}
