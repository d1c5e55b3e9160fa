using System.Globalization;
using System.Text.Json;
using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Assigning;

/// <summary>
/// Runs the allocator against the store: loads the programme's caseloads and queue (the caller holds the programme lock),
/// adds what this session already changed, places the candidates and the whole queue, and appends the resulting events
/// and messages. Used whenever a referral needs a worker or capacity may have freed up.
/// </summary>
public sealed class AllocationService(TimeProvider clock)
{
    public async Task<IReadOnlyList<Placement>> AllocateAsync(IDocumentSession session, ReferralChanges referrals, Programme programme,
        IReadOnlyList<AllocationCandidate> candidates, string actor, CancellationToken ct)
    {
        var all = new List<Placement>();
        var queuedHere = new List<AllocationCandidate>();
        var next = candidates;
        // Deferring offers for escalated referrals hands them back for another pass. Only offers that are not escalated now
        // are deferred (see WithCurrentOffersAsync), so a second pass cannot defer again; the loop still runs until every
        // offer taken back is placed, since stopping early would leave a referral with no offer and no queue place.
        for (var pass = 0; pass == 0 || next.Count > 0; pass++)
        {
            if (pass == MaxPasses)
            {
                throw new InvalidOperationException($"Allocation in programme {programme.ProgrammeId} still deferring offers after {MaxPasses} passes.");
            }

            var placements = await AllocateOnceAsync(session, referrals, programme, [.. next, .. queuedHere], actor, ct);
            all.AddRange(placements);
            queuedHere.AddRange(placements.OfType<PlaceInQueue>().Where(q => !q.AlreadyQueued)
                .Select(q => new AllocationCandidate(q.ReferralId, q.Needs, false, Waiting: true)));
            var deferred = new List<AllocationCandidate>();
            foreach (var defer in placements.OfType<DeferForEscalation>())
            {
                var current = (await referrals.GetAsync(defer.ReferralId, ct))!;
                deferred.Add(new AllocationCandidate(current.Id, current.QueueNeeds(), current.Escalated, Waiting: false));
            }

            next = deferred;
        }

        return all;
    }

    /// <summary>A defect guard: two passes are the most a correct allocation needs.</summary>
    private const int MaxPasses = 10;

    private async Task<IReadOnlyList<Placement>> AllocateOnceAsync(IDocumentSession session, ReferralChanges referrals, Programme programme,
        IReadOnlyList<AllocationCandidate> candidates, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var caseloads = (await session.QueryAsync<WorkerCaseload>(WorkerCaseload.InProgramme, [programme.ProgrammeId], ct))
            .ToDictionary(c => c.LinkWorkerId, StringComparer.Ordinal);
        foreach (var e in referrals.CaseloadEvents)
        {
            Track(caseloads, e);
        }

        var explicitIds = candidates.Select(c => c.ReferralId).ToHashSet();
        if (candidates.Count > 0 && candidates.All(c => !c.Escalated && !c.Waiting) && referrals.TouchedOnly(explicitIds) &&
            await PlacesIfQueueCannotMoveAsync(session, programme, caseloads, candidates, now, ct) is { } ahead)
        {
            // The new referrals only join the queue. Reading the whole of it (it grows with the backlog, and this runs under
            // the programme lock) would only tell them their places, which a count gives.
            var joined = Allocator.JoinQueue(programme, caseloads, candidates, c => ahead[c.ReferralId], now);
            foreach (var placement in joined)
            {
                await ApplyAsync(session, referrals, programme, placement, actor, now, ct);
            }

            return joined;
        }

        var queue = (await session.QueryAsync<QueueEntry>(QueueEntry.Sql.InProgramme, [programme.ProgrammeId], ct))
            .Where(q => !explicitIds.Contains(q.Id))
            .ToList();
        var waiting = new List<AllocationCandidate>();
        foreach (var entry in queue)
        {
            if (referrals.IsTouched(entry.Id))
            {
                // Changed in this session (e.g. withdrawn, overridden): use its current state, not the stored entry.
                var current = await referrals.GetAsync(entry.Id, ct);
                if (current is null || !current.IsWaiting)
                {
                    continue;
                }

                waiting.Add(new AllocationCandidate(entry.Id, current.QueueNeeds(), current.Escalated, Waiting: true));
            }
            else
            {
                waiting.Add(new AllocationCandidate(entry.Id, entry.Needs, entry.Escalated, Waiting: true));
            }
        }

        if (candidates.Any(c => c.Escalated) || waiting.Any(c => c.Escalated))
        {
            caseloads = await WithCurrentOffersAsync(session, referrals, caseloads, ct);
        }

        var placements = Allocator.Allocate(programme, caseloads, [.. candidates, .. waiting], now);
        foreach (var placement in placements)
        {
            await ApplyAsync(session, referrals, programme, placement, actor, now, ct);
        }

        return placements;
    }

    /// <summary>
    /// The caseloads with each open offer's escalation and priority as its referral holds them now. A caseload entry records
    /// them as at the offer; a concern or an override since then changes them, and an escalated referral may only take back
    /// an offer that is not escalated now (HAZ-001).
    /// </summary>
    private static async Task<Dictionary<string, WorkerCaseload>> WithCurrentOffersAsync(IDocumentSession session, ReferralChanges referrals,
        Dictionary<string, WorkerCaseload> caseloads, CancellationToken ct)
    {
        var offered = caseloads.Values.SelectMany(c => c.Active).Where(a => !a.Accepted).Select(a => a.ReferralId).ToList();
        if (offered.Count == 0)
        {
            return caseloads;
        }

        var current = (await session.LoadManyAsync<Referral>(offered.Where(id => !referrals.IsTouched(id)).Cast<object>(), ct))
            .ToDictionary(r => r.Id);
        foreach (var id in offered.Where(referrals.IsTouched))
        {
            if (await referrals.GetAsync(id, ct) is { } changed)
            {
                current[id] = changed;
            }
        }

        return caseloads.ToDictionary(c => c.Key, c => c.Value with
        {
            Active = c.Value.Active.Select(a => !a.Accepted && current.TryGetValue(a.ReferralId, out var referral)
                ? a with { Escalated = a.Escalated || referral.Escalated, Priority = referral.Priority }
                : a).ToList(),
        }, StringComparer.Ordinal);
    }

    private static readonly JsonSerializerOptions StoredJson = EventStoreOptions.CreateSerializerOptions();

    // The fields the queue pass reads, as the queue's computed indexes hold them (QueueEntry.Sql.Indexes), so that counting the
    // referrals ahead of a new one reads the index instead of every entry's JSON: the pass runs under the programme lock
    // and the queue grows with the backlog. Timestamps are compared as PostgreSQL reads them from the JSON text,
    // candidate's included, so rounding cannot reorder them; entries that tie on both are read and ordered exactly like
    // the allocator does (which breaks ties by id).
    private static readonly Dictionary<string, string> QueueFields = new(StringComparer.Ordinal)
    {
        ["escalated"] = QueueEntry.Sql.Escalated,
        ["order_rank"] = QueueEntry.Sql.OrderRank,
        ["waiting_since"] = QueueEntry.Sql.WaitingSince,
        ["shape"] = QueueEntry.Sql.Shape,
    };

    // The distinct shapes, read by stepping through the shapes index from one shape to the next (a queue holds many
    // entries but few shapes) rather than reading every entry.
    private const string DistinctShapes = """
        with recursive shapes as (
            (select shape from document order by shape limit 1)
            union all
            select (select next.shape from document as next where next.shape > previous.shape order by next.shape limit 1)
              from shapes as previous where previous.shape is not null)
        select coalesce(jsonb_agg(shape || '{"excludedWorkers": []}'), '[]') from shapes where shape is not null
        """;

    /// <summary>
    /// When the queue cannot move, how many wait ahead of each candidate; otherwise null. It cannot move when nothing
    /// waiting is escalated and no worker with room suits the candidates or any waiting referral; waiting referrals are
    /// compared by the distinct shapes of their needs (practice, district, tier, declined workers), not one by one. All of
    /// it is read in one round trip.
    /// </summary>
    private static async Task<Dictionary<Guid, int>?> PlacesIfQueueCannotMoveAsync(IDocumentSession session, Programme programme,
        IReadOnlyDictionary<string, WorkerCaseload> caseloads, IReadOnlyList<AllocationCandidate> candidates, DateTimeOffset now,
        CancellationToken ct)
    {
        if (Allocator.AnyoneWithCapacitySuits(programme, caseloads, candidates.Select(c => c.Needs), now))
        {
            return null;
        }

        // While no worker has room, no waiting referral could move whatever its needs, so their shapes are not read (the
        // usual case when a queue is long).
        var parameters = new List<object?> { programme.ProgrammeId };
        var queries = new List<string>
        {
            "select count(*) from document where escalated",
            Allocator.AnyoneHasCapacity(programme, caseloads, now)
                ? DistinctShapes
                : "select '[]'::jsonb",
        };
        var others = candidates.Select(c => c.ReferralId.ToString("D")).ToArray();
        foreach (var candidate in candidates)
        {
            var since = JsonSerializer.Serialize(candidate.Needs.WaitingSince).Trim('"');
            queries.Add("select count(*) from document where not escalated and (order_rank, waiting_since) < (?, ?::timestamptz) and id <> all(?)");
            parameters.AddRange([QueueEntry.OrderRankOf(candidate.Needs.Priority), since, others]);
            queries.Add("select coalesce(jsonb_agg(data), '[]') from document where not escalated and (order_rank, waiting_since) = (?, ?::timestamptz) and id <> all(?)");
            parameters.AddRange([QueueEntry.OrderRankOf(candidate.Needs.Priority), since, others]);
        }

        var row = await session.ScalarsAsync<QueueEntry>(QueueFields, queries, QueueEntry.Sql.InProgramme, [.. parameters], ct);
        var shapes = JsonSerializer.Deserialize<List<QueueNeeds>>(row[1]!, StoredJson)!;
        if (long.Parse(row[0]!, CultureInfo.InvariantCulture) > 0 || Allocator.AnyoneWithCapacitySuits(programme, caseloads, shapes, now))
        {
            return null;
        }

        var ahead = new Dictionary<Guid, int>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var strictlyAhead = long.Parse(row[2 + 2 * i]!, CultureInfo.InvariantCulture);
            var tiedAhead = JsonSerializer.Deserialize<List<QueueEntry>>(row[3 + 2 * i]!, StoredJson)!.Count(entry =>
            {
                var waiting = new AllocationCandidate(entry.Id, entry.Needs, entry.Escalated, Waiting: true);
                return Allocator.Order([waiting, candidate]).First() == waiting;
            });
            ahead[candidate.ReferralId] = (int)strictlyAhead + tiedAhead;
        }

        return ahead;
    }

    private static async Task ApplyAsync(IDocumentSession session, ReferralChanges referrals, Programme programme, Placement placement,
        string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (placement is PlaceInQueue { AlreadyQueued: true })
        {
            return;
        }

        var referral = await referrals.GetAsync(placement.ReferralId, ct)
                       ?? throw new InvalidOperationException($"Referral {placement.ReferralId} vanished during allocation.");
        var journeyId = referral.RegisteredJourneyId ?? referral.JourneyId;
        switch (placement)
        {
            case AssignTo assign:
                var assigned = new WorkerAssigned(referral.Id, referral.PersonId, Guid.CreateVersion7(), programme.ProgrammeId,
                    assign.Worker.LinkWorkerId, assign.Worker.Tier, assign.Needs, assign.Escalated, assign.Continuity, assign.OverCapacity,
                    assign.Reasons, (int)programme.Version, actor, now);
                referrals.Append(referral.Id, assigned);
                session.Outbox.Publish(new ReferralAssigned(assigned.AssignmentId, referral.Id, journeyId, referral.PersonId,
                    programme.ProgrammeId, assigned.LinkWorkerId, assigned.WorkerTier, now), referral.Id);
                break;
            case DeferForEscalation defer:
                if (referral.AssignmentId != defer.AssignmentId || referral.Status != ReferralStatus.Offered)
                {
                    throw new InvalidOperationException("A deferred assignment must still be an open offer.");
                }

                referrals.Append(referral.Id, new AssignmentEnded(referral.Id, referral.PersonId, defer.AssignmentId, programme.ProgrammeId,
                    defer.LinkWorkerId, AssignmentEndReason.DeferredForEscalation, null, false, actor, now));
                break;
            case PlaceInQueue queue:
                referrals.Append(referral.Id, new PlacedInQueue(referral.Id, referral.PersonId, programme.ProgrammeId, queue.Position,
                    queue.Needs, queue.Reasons, (int)programme.Version, now));
                session.Outbox.Publish(new ReferralQueued(referral.Id, journeyId, referral.PersonId, programme.ProgrammeId, queue.Position, now),
                    referral.Id);
                break;
            case HoldForTeamLead hold when referral.Status != ReferralStatus.AwaitingTeamLead:
                referrals.Append(referral.Id, new HeldForTeamLead(referral.Id, referral.PersonId, programme.ProgrammeId, hold.Needs, hold.Reasons, now));
                break;
        }
    }

    private static void Track(Dictionary<string, WorkerCaseload> caseloads, object e)
    {
        switch (e)
        {
            case WorkerAssigned assigned:
                caseloads[assigned.LinkWorkerId] = caseloads.TryGetValue(assigned.LinkWorkerId, out var existing)
                    ? existing.Apply(assigned)
                    : WorkerCaseload.Create(assigned);
                break;
            case AssignmentEnded ended when caseloads.TryGetValue(ended.LinkWorkerId, out var caseload):
                caseloads[ended.LinkWorkerId] = caseload.Apply(ended);
                break;
            case AssignmentAcceptedByWorker accepted when caseloads.TryGetValue(accepted.LinkWorkerId, out var caseload):
                caseloads[accepted.LinkWorkerId] = caseload.Apply(accepted);
                break;
        }
    }
}
