using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Triage.Assigning;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.Assigning;

/// <summary>
/// When a new referral arrives, whoever is waiting and now has a suitable worker with room moves first. A referral that
/// can only join the queue is told its place from a count of those ahead of it, not a read of the whole queue, and the
/// count must agree with the allocator's own order, ties on the same instant included.
/// </summary>
public sealed class QueueMovementTests(SharedHost host) : IClassFixture<SharedHost>
{
    private TriageHost Triage => host.Triage;

    [Fact]
    public async Task A_place_freed_without_an_allocation_goes_to_the_referral_waiting_for_it_when_any_referral_arrives()
    {
        var id = Fixtures.UniqueId("freed");
        await Triage.DefineAsync(new DefineProgramme(id, "Two practices, one worker each", null, null, Fixtures.WeekdayRota("p1-worker"), null,
        [
            Fixtures.Worker("p1-worker", Tier.PsychosocialLinkWorker, ["P1"], yearly: 250, active: 1),
            Fixtures.Worker("p2-worker", Tier.PsychosocialLinkWorker, ["P2"], yearly: 250, active: 1),
        ]));
        foreach (var practice in new[] { "P1", "P2" })
        {
            var filling = Fixtures.Referral(id, practice);
            await Triage.PublishAndWaitAsync<ReferralAssigned>(filling, a => a.ReferralId == filling.ReferralId);
        }

        var waiting = Fixtures.Referral(id, "P1");
        await Triage.PublishAndWaitAsync<ReferralQueued>(waiting, q => q.ReferralId == waiting.ReferralId);

        // p1-worker's place frees with no event that runs allocation (as when a year's intake leaves the window).
        await using (var session = Triage.Store.LightweightSession())
        {
            session.Store(WorkerCaseload.Empty(id, "p1-worker"));
            await session.SaveChangesAsync();
        }

        // The newcomer's own worker is full, so it can only queue; allocation still moves the queue for the one waiting.
        var newcomer = Fixtures.Referral(id, "P2");
        await Triage.PublishAndWaitAsync<ReferralQueued>(newcomer, q => q.ReferralId == newcomer.ReferralId);
        var moved = await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == waiting.ReferralId);
        Assert.Equal("p1-worker", moved.LinkWorkerId);
    }

    [Fact]
    public async Task A_place_freed_for_one_of_several_kinds_of_waiting_referral_goes_to_that_kind_when_a_referral_of_another_arrives()
    {
        var id = Fixtures.UniqueId("freed-kinds");
        string[] practices = ["P1", "P2", "P3", "P4"];
        await Triage.DefineAsync(new DefineProgramme(id, "Four practices, one worker each", null, null, Fixtures.WeekdayRota("p1-worker"), null,
            [.. practices.Select(p => Fixtures.Worker($"{p.ToLowerInvariant()}-worker", Tier.PsychosocialLinkWorker, [p], yearly: 250, active: 1))]));
        foreach (var practice in practices)
        {
            var filling = Fixtures.Referral(id, practice);
            await Triage.PublishAndWaitAsync<ReferralAssigned>(filling, a => a.ReferralId == filling.ReferralId);
        }

        // Three kinds of need wait; the queue pass reads their distinct shapes, and P3's comes last in the shapes index.
        var waiting = new Dictionary<string, Guid>();
        foreach (var practice in practices[..3])
        {
            var referral = Fixtures.Referral(id, practice);
            await Triage.PublishAndWaitAsync<ReferralQueued>(referral, q => q.ReferralId == referral.ReferralId);
            waiting[practice] = referral.ReferralId;
        }

        await using (var session = Triage.Store.LightweightSession())
        {
            session.Store(WorkerCaseload.Empty(id, "p3-worker"));
            await session.SaveChangesAsync();
        }

        var newcomer = Fixtures.Referral(id, "P4");
        await Triage.PublishAndWaitAsync<ReferralQueued>(newcomer, q => q.ReferralId == newcomer.ReferralId);
        var moved = await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == waiting["P3"]);
        Assert.Equal("p3-worker", moved.LinkWorkerId);
    }

    [Fact]
    public async Task Each_referral_joins_a_full_queue_behind_those_the_allocator_orders_first_including_ties_at_the_same_instant_in_another_offset()
    {
        var id = Fixtures.UniqueId("placement");
        await Triage.DefineAsync(new DefineProgramme(id, "One worker, full", null, null, Fixtures.WeekdayRota("only-worker"), null,
            [Fixtures.Worker("only-worker", Tier.PsychosocialLinkWorker, ["P1"], yearly: 250, active: 1)]));
        var filling = Fixtures.Referral(id, "P1");
        await Triage.PublishAndWaitAsync<ReferralAssigned>(filling, a => a.ReferralId == filling.ReferralId);

        var t0 = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-2).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var india = TimeSpan.FromHours(5.5);
        (Urgency Urgency, DateTimeOffset At)[] arrivals =
        [
            (Urgency.Routine, t0),
            (Urgency.Urgent, t0.AddSeconds(1)),
            (Urgency.Routine, t0),
            (Urgency.Soon, t0.AddHours(-1)),
            (Urgency.Routine, t0.ToOffset(india)),
            (Urgency.Routine, t0.AddTicks(10)),
            (Urgency.Soon, t0.AddHours(-1).ToOffset(india)),
            (Urgency.Routine, t0.AddSeconds(-1)),
        ];

        var waiting = new List<AllocationCandidate>();
        foreach (var (urgency, at) in arrivals)
        {
            var referral = Fixtures.Referral(id, "P1", urgency: urgency, submittedAt: at);
            var queued = await Triage.PublishAndWaitAsync<ReferralQueued>(referral, q => q.ReferralId == referral.ReferralId);

            await using var query = Triage.Store.QuerySession();
            var placed = (PlacedInQueue)(await query.Events.FetchStreamAsync(referral.ReferralId)).Single(e => e.Data is PlacedInQueue).Data;
            var joining = new AllocationCandidate(referral.ReferralId, placed.Needs, false, Waiting: false);
            var expected = waiting.Count(w => Allocator.Order([w, joining]).First() == w) + 1;
            Assert.Equal(expected, placed.Position);
            Assert.Equal(expected, queued.Position);
            waiting.Add(joining with { Waiting = true });
        }

        // The arrivals cover every case the count handles: a higher priority, an earlier wait, and ties on the instant.
        Assert.Contains(waiting, w => w.Needs.Priority == Priority.Urgent);
        Assert.Equal(3, waiting.Count(w => w.Needs.Priority == Priority.Routine && w.Needs.WaitingSince == t0));
    }
}
