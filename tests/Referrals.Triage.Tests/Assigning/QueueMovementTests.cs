using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Triage.Assigning;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.Assigning;

/// <summary>When a new referral arrives, whoever is waiting and now has a suitable worker with room moves first.</summary>
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
}
