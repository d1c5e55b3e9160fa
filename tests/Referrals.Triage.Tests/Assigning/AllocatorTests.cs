using Referrals.Contracts;
using Referrals.Triage.Assigning;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.Assigning;

public sealed class AllocatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static AllocationCandidate Candidate(string practice, Tier tier = Tier.LinkWorker, Priority priority = Priority.Routine,
        bool escalated = false, string? previous = null, IReadOnlyList<string>? excluded = null, DateTimeOffset? since = null, Guid? id = null) =>
        new(id ?? Guid.CreateVersion7(), new QueueNeeds(practice, null, tier, priority, previous, excluded ?? [], since ?? Now), escalated, Waiting: false);

    [Theory]
    [InlineData("G52")]
    [InlineData(null)]
    public void A_worker_who_covers_postcode_districts_takes_referrals_from_any_practice_in_them_or_without_a_postcode(string? district)
    {
        var programme = ProgrammeBuilder.Build(Fixtures.OverSixtiesAndCarersInPostcodes("cc"));
        var candidate = new AllocationCandidate(Guid.CreateVersion7(),
            new QueueNeeds("G99999", district, Tier.LinkWorker, Priority.Routine, null, [], Now), false, Waiting: false);
        var placement = Assert.IsType<AssignTo>(Assert.Single(Allocate(programme, [candidate])));
        Assert.Equal("ccp-1", placement.Worker.LinkWorkerId);
    }

    [Fact]
    public void A_worker_who_covers_postcode_districts_does_not_take_a_referral_from_another_district()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.OverSixtiesAndCarersInPostcodes("cc"));
        var candidate = new AllocationCandidate(Guid.CreateVersion7(),
            new QueueNeeds("G99999", "G12", Tier.LinkWorker, Priority.Routine, null, [], Now), false, Waiting: false);
        Assert.IsNotType<AssignTo>(Assert.Single(Allocate(programme, [candidate])));
    }

    private static WorkerCaseload Load(string programme, string worker, int offered, int accepted = 0, Priority priority = Priority.Routine)
    {
        var caseload = WorkerCaseload.Empty(programme, worker);
        var entries = Enumerable.Range(0, offered + accepted)
            .Select(i => new CaseloadEntry(Guid.CreateVersion7(), Guid.CreateVersion7(), priority, false, i >= offered, Now.AddDays(-1).AddMinutes(i)))
            .ToList();
        return caseload with { Active = entries, Intake = entries.Select(e => new IntakeEntry(e.ReferralId, e.AssignedAt)).ToList() };
    }

    private static List<Placement> Allocate(Programme programme, IEnumerable<AllocationCandidate> candidates, params WorkerCaseload[] loads) =>
        Allocator.Allocate(programme, loads.ToDictionary(l => l.LinkWorkerId), candidates, Now).ToList();

    [Fact]
    public void Joining_a_queue_that_cannot_move_places_new_referrals_exactly_as_allocating_the_whole_queue_does()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.OneWorkerPerPractice("de", yearly: 3));
        // Everyone is full except clp-1, whose practice none of these referrals comes from.
        var full = programme.ActiveWorkers.Where(w => w.LinkWorkerId != "clp-1").Select(w => Load("de", w.LinkWorkerId, offered: 3))
            .ToDictionary(l => l.LinkWorkerId);
        var practices = programme.ActiveWorkers.SelectMany(w => w.Practices).Where(p => p != "G85001").Append("G99999").ToArray();
        var random = new Random(20261206);
        for (var scenario = 0; scenario < 200; scenario++)
        {
            // Few distinct times and priorities, so ties (broken by id) are common.
            AllocationCandidate Any(bool waiting) => new(Guid.NewGuid(), new QueueNeeds(practices[random.Next(practices.Length)], null,
                (Tier)random.Next(3), (Priority)random.Next(3), null, [], Now.AddMinutes(-random.Next(4))), false, waiting);
            var queue = Enumerable.Range(0, random.Next(0, 12)).Select(_ => Any(waiting: true)).ToList();
            var candidates = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Any(waiting: false)).ToList();
            var candidateIds = candidates.Select(c => c.ReferralId).ToHashSet();
            Assert.False(Allocator.AnyoneWithCapacitySuits(programme, full, candidates.Concat(queue).Select(c => c.Needs), Now));

            var expected = Allocator.Allocate(programme, full, [.. candidates, .. queue], Now)
                .Where(p => candidateIds.Contains(p.ReferralId)).Cast<PlaceInQueue>().ToList();
            var joined = Allocator.JoinQueue(programme, full, candidates,
                c => queue.Count(w => Allocator.Order([w, c]).First() == w), Now).Cast<PlaceInQueue>().ToList();

            Assert.Equal(expected.Select(p => (p.ReferralId, p.Position, string.Join("|", p.Reasons))),
                joined.Select(p => (p.ReferralId, p.Position, string.Join("|", p.Reasons))));
        }
    }

    [Fact]
    public void With_one_worker_per_practice_the_practice_worker_takes_the_referral()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.OneWorkerPerPractice("de"));
        var placement = Assert.IsType<AssignTo>(Assert.Single(Allocate(programme, [Candidate("G85004")])));
        Assert.Equal("clp-4", placement.Worker.LinkWorkerId);
        Assert.Contains("clp-4 covers practice G85004.", placement.Reasons);
    }

    [Fact]
    public void With_one_worker_per_practice_a_full_worker_means_the_queue_even_when_others_have_room()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.OneWorkerPerPractice("de", yearly: 3));
        var placement = Assert.IsType<PlaceInQueue>(Assert.Single(Allocate(programme, [Candidate("G85002")], Load("de", "clp-2", 3))));
        Assert.Equal(1, placement.Position);
        Assert.Contains(placement.Reasons, r => r.Contains("clp-2 (Link Worker) 3/3 this year", StringComparison.Ordinal));
    }

    [Fact]
    public void Three_workers_across_four_practices_share_routine_work_evenly()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos", yearly: 10));
        string[] practices = ["F11001", "F11002", "F11003", "F11004"];
        var placements = Allocate(programme, Enumerable.Range(0, 24).Select(i => Candidate(practices[i % 4], since: Now.AddMinutes(i))));
        var counts = placements.OfType<AssignTo>().GroupBy(a => a.Worker.LinkWorkerId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(24, counts.Values.Sum());
        // The link worker takes most routine work; higher tiers take some once the lower tier is relatively fuller.
        Assert.All(counts.Values, c => Assert.InRange(c, 5, 10));
        Assert.True(counts["sos-1"] >= counts["sos-2"] && counts["sos-2"] >= counts["sos-3"]);
    }

    [Fact]
    public void A_higher_tier_may_take_lower_tier_work_but_never_the_reverse()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos"));
        var coachWork = Assert.IsType<AssignTo>(Assert.Single(Allocate(programme, [Candidate("F11001", Tier.LinkWorkerCoach)])));
        Assert.True(coachWork.Worker.Tier >= Tier.LinkWorkerCoach);

        var full = Allocate(programme, [Candidate("F11001", Tier.PsychosocialLinkWorker)], Load("sos", "sos-3", 250));
        Assert.IsType<PlaceInQueue>(Assert.Single(full));
    }

    [Fact]
    public void A_re_referral_goes_back_to_the_previous_worker_where_possible()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos"));
        var placement = Assert.IsType<AssignTo>(Assert.Single(Allocate(programme, [Candidate("F11002", previous: "sos-3")], Load("sos", "sos-3", 40))));
        Assert.Equal("sos-3", placement.Worker.LinkWorkerId);
        Assert.True(placement.Continuity);
    }

    [Fact]
    public void Continuity_gives_way_to_capacity_and_says_so()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos", yearly: 5));
        var placement = Assert.IsType<AssignTo>(Assert.Single(Allocate(programme, [Candidate("F11002", previous: "sos-3")], Load("sos", "sos-3", 5))));
        Assert.NotEqual("sos-3", placement.Worker.LinkWorkerId);
        Assert.Contains("Continuity not possible: the previous worker sos-3 has no capacity.", placement.Reasons);
    }

    [Fact]
    public void The_active_caseload_limit_counts_as_well_as_the_yearly_intake()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos", yearly: 250, active: 2));
        var placements = Allocate(programme, [Candidate("F11001")], Load("sos", "sos-1", 0, 2), Load("sos", "sos-2", 2), Load("sos", "sos-3", 1, 1));
        Assert.IsType<PlaceInQueue>(Assert.Single(placements));
    }

    [Fact]
    public void A_worker_who_declined_is_not_offered_it_again()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.OneWorkerPerPractice("de"));
        var placement = Assert.IsType<PlaceInQueue>(Assert.Single(Allocate(programme, [Candidate("G85001", excluded: ["clp-1"])])));
        Assert.Contains(placement.Reasons, r => r.Contains("other than those who declined it", StringComparison.Ordinal));
    }

    [Fact]
    public void The_queue_is_served_first_in_priority_then_waiting_order()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.OneWorkerPerPractice("de", yearly: 1));
        var oldRoutine = Candidate("G85001", since: Now.AddDays(-10)) with { Waiting = true };
        var newHigh = Candidate("G85001", priority: Priority.High, since: Now.AddDays(-1)) with { Waiting = true };
        var newest = Candidate("G85001", since: Now);
        var placements = Allocate(programme, [newest, oldRoutine, newHigh]);
        Assert.Equal(newHigh.ReferralId, placements.OfType<AssignTo>().Single().ReferralId);
        var queued = placements.OfType<PlaceInQueue>().OrderBy(q => q.Position).ToList();
        Assert.Equal([oldRoutine.ReferralId, newest.ReferralId], queued.Select(q => q.ReferralId).ToArray());
        Assert.True(queued[0].AlreadyQueued);
        Assert.False(queued[1].AlreadyQueued);
    }

    [Fact]
    public void An_escalated_referral_never_queues_an_unaccepted_routine_offer_is_deferred_instead()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos", yearly: 2));
        var loads = new[] { Load("sos", "sos-1", 2), Load("sos", "sos-2", 2), Load("sos", "sos-3", 1, 1) };
        var escalated = Candidate("F11001", Tier.PsychosocialLinkWorker, Priority.Urgent, escalated: true);
        var placements = Allocate(programme, [escalated], loads);
        var assigned = placements.OfType<AssignTo>().Single(a => a.ReferralId == escalated.ReferralId);
        Assert.Equal("sos-3", assigned.Worker.LinkWorkerId);
        Assert.False(assigned.OverCapacity);
        var deferred = Assert.Single(placements.OfType<DeferForEscalation>());
        Assert.Equal("sos-3", deferred.LinkWorkerId);
        Assert.Equal(escalated.ReferralId, deferred.EscalatedReferralId);
        Assert.Equal(2, placements.Count);
    }

    [Fact]
    public void In_one_allocation_escalated_referrals_are_placed_before_routine_ones()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos", yearly: 1));
        var routine = Candidate("F11001", Tier.PsychosocialLinkWorker, since: Now.AddDays(-1));
        var escalated = Candidate("F11001", Tier.PsychosocialLinkWorker, Priority.Urgent, escalated: true);
        var placements = Allocate(programme, [routine, escalated]);
        Assert.Equal("sos-3", placements.OfType<AssignTo>().Single().Worker.LinkWorkerId);
        Assert.Equal(escalated.ReferralId, placements.OfType<AssignTo>().Single().ReferralId);
        Assert.Equal(routine.ReferralId, placements.OfType<PlaceInQueue>().Single().ReferralId);
        Assert.Empty(placements.OfType<DeferForEscalation>());
    }

    [Fact]
    public void With_nothing_to_defer_an_escalated_referral_is_assigned_over_capacity_and_flagged()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.ThreeWorkersFourPractices("sos", yearly: 2));
        var escalated = Candidate("F11001", Tier.PsychosocialLinkWorker, Priority.Urgent, escalated: true);
        var placement = Assert.IsType<AssignTo>(Assert.Single(Allocate(programme, [escalated], Load("sos", "sos-3", 0, 2))));
        Assert.True(placement.OverCapacity);
    }

    [Fact]
    public void An_escalated_referral_nobody_suitable_covers_is_held_for_the_team_lead_not_queued()
    {
        var programme = ProgrammeBuilder.Build(Fixtures.OneWorkerPerPractice("de"));
        var placement = Assert.Single(Allocate(programme, [Candidate("G85001", Tier.PsychosocialLinkWorker, Priority.Urgent, escalated: true)]));
        Assert.IsType<HoldForTeamLead>(placement);
    }

    [Fact]
    public void A_retired_worker_gets_no_new_work()
    {
        var definition = Fixtures.OneWorkerPerPractice("de");
        var programme = ProgrammeBuilder.Build(definition with
        {
            LinkWorkers = definition.LinkWorkers!.Select(w => w.LinkWorkerId == "clp-1" ? w with { Active = false } : w).ToList(),
        });
        Assert.IsType<PlaceInQueue>(Assert.Single(Allocate(programme, [Candidate("G85001")])));
    }
}
