using System.Net.Http.Json;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.Triage.Assigning;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Tests.Journeys;

/// <summary>Support-plan's and intake's later events: capacity freed by closure and withdrawal, continuity, erasure.</summary>
public sealed class JourneyTests(SharedHost host) : IClassFixture<SharedHost>
{
    private TriageHost Triage => host.Triage;

    /// <summary>One worker who may hold one person at a time.</summary>
    private async Task<string> OneAtATimeAsync()
    {
        var id = Fixtures.UniqueId("single");
        await Triage.DefineAsync(new DefineProgramme(id, "One at a time", null, null, Fixtures.WeekdayRota("solo"), null,
            [Fixtures.Worker("solo", Tier.PsychosocialLinkWorker, [], yearly: 250, active: 1)]));
        return id;
    }

    private static JourneyRegistered Registered(ReferralSubmitted s) => new(s.JourneyId, s.PersonId, s.ReferralId, s.ProgrammeId, s.RegisteredPracticeOds,
        s.Referrer, s.Needs, Tier.LinkWorker, Priority.Routine, true, false, ConsentScope.Full, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_closed_journey_frees_the_worker_and_the_queue_moves()
    {
        var programme = await OneAtATimeAsync();
        var first = Fixtures.Referral(programme, "P1");
        var offer = await Triage.PublishAndWaitAsync<ReferralAssigned>(first, a => a.ReferralId == first.ReferralId);
        using var worker = Triage.LinkWorker(programme, "solo");
        (await worker.PostAsync($"/assignments/{offer.AssignmentId}/accept", null)).EnsureSuccessStatusCode();
        var second = Fixtures.Referral(programme, "P1");
        await Triage.PublishAndWaitAsync<ReferralQueued>(second, q => q.ReferralId == second.ReferralId);

        await Triage.PublishAsync(Registered(first));
        await Triage.PublishAsync(new JourneyClosed(first.JourneyId, first.PersonId, programme, ClosureReason.GoalsMet, null, DateTimeOffset.UtcNow));

        var next = await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == second.ReferralId);
        Assert.Equal("solo", next.LinkWorkerId);
        var view = await worker.GetFromJsonAsync<ReferralView>($"/referrals/{first.ReferralId}", TriageHost.Json);
        Assert.Equal(ReferralStatus.Closed, view!.Status);
    }

    [Fact]
    public async Task A_withdrawn_referral_frees_its_place_and_the_queue_moves()
    {
        var programme = await OneAtATimeAsync();
        var first = Fixtures.Referral(programme, "P1");
        await Triage.PublishAndWaitAsync<ReferralAssigned>(first, a => a.ReferralId == first.ReferralId);
        var second = Fixtures.Referral(programme, "P1");
        await Triage.PublishAndWaitAsync<ReferralQueued>(second, q => q.ReferralId == second.ReferralId);

        await Triage.PublishAsync(new ReferralWithdrawn(first.ReferralId, first.JourneyId, first.PersonId, "Moved away.", DateTimeOffset.UtcNow));
        await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == second.ReferralId);

        using var lead = Triage.TeamLead(programme);
        var queue = (await lead.GetFromJsonAsync<ProgrammeQueueResponse>($"/programmes/{programme}/queue", TriageHost.Json))!;
        Assert.Empty(queue.Queue);
        var solo = Assert.Single(queue.Workers);
        Assert.Equal(1, solo.ActiveCaseload);
        Assert.Equal(1, solo.YearlyIntake);
    }

    [Fact]
    public async Task A_withdrawal_shows_as_withdrawn_whether_it_arrives_before_or_after_the_journey_closure_it_caused()
    {
        var programme = await OneAtATimeAsync();
        var closedFirst = Fixtures.Referral(programme, "P1");
        await Triage.PublishAndWaitAsync<ReferralAssigned>(closedFirst, a => a.ReferralId == closedFirst.ReferralId);
        var withdrawnFirst = Fixtures.Referral(programme, "P1");
        await Triage.PublishAndWaitAsync<ReferralQueued>(withdrawnFirst, q => q.ReferralId == withdrawnFirst.ReferralId);
        using var lead = Triage.TeamLead(programme);

        // Support-plan's closure (reason: withdrawn) overtakes intake's withdrawal.
        await Triage.PublishAsync(Registered(closedFirst));
        await Triage.PublishAsync(new JourneyClosed(closedFirst.JourneyId, closedFirst.PersonId, programme, ClosureReason.Withdrawn, null, DateTimeOffset.UtcNow));
        await TriageHost.EventuallyAsync(async () => await StatusOfAsync(lead, closedFirst.ReferralId) == ReferralStatus.Closed, because: "the closure");
        await Triage.PublishAsync(new ReferralWithdrawn(closedFirst.ReferralId, closedFirst.JourneyId, closedFirst.PersonId, "Moved away.", DateTimeOffset.UtcNow));

        // And the usual order: withdrawal, then closure.
        await Triage.PublishAsync(Registered(withdrawnFirst));
        await Triage.PublishAsync(new ReferralWithdrawn(withdrawnFirst.ReferralId, withdrawnFirst.JourneyId, withdrawnFirst.PersonId, "Moved away.", DateTimeOffset.UtcNow));
        await TriageHost.EventuallyAsync(async () => await StatusOfAsync(lead, withdrawnFirst.ReferralId) == ReferralStatus.Withdrawn, because: "the withdrawal");
        await Triage.PublishAsync(new JourneyClosed(withdrawnFirst.JourneyId, withdrawnFirst.PersonId, programme, ClosureReason.Withdrawn, null, DateTimeOffset.UtcNow));

        // Each ends withdrawn, not closed: the late withdrawal is recorded, and the late closure keeps the withdrawal.
        await TriageHost.EventuallyAsync(async () => await StatusOfAsync(lead, closedFirst.ReferralId) == ReferralStatus.Withdrawn,
            because: "the late withdrawal");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(ReferralStatus.Withdrawn, await StatusOfAsync(lead, withdrawnFirst.ReferralId));
    }

    private static async Task<ReferralStatus> StatusOfAsync(HttpClient client, Guid referralId) =>
        (await client.GetFromJsonAsync<ReferralView>($"/referrals/{referralId}", TriageHost.Json))!.Status;

    [Fact]
    public async Task A_re_referral_goes_back_to_the_worker_who_supported_the_person_before()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        // A coach-level first referral, accepted by the coach.
        var first = Fixtures.Referral(programme.ProgrammeId, "F11002", needs: [NeedCategory.MentalWellbeing, NeedCategory.Bereavement, NeedCategory.Other]);
        var offer = await Triage.PublishAndWaitAsync<ReferralAssigned>(first, a => a.ReferralId == first.ReferralId);
        Assert.Equal("sos-2", offer.LinkWorkerId);
        using var coach = Triage.LinkWorker(programme.ProgrammeId, "sos-2");
        (await coach.PostAsync($"/assignments/{offer.AssignmentId}/accept", null)).EnsureSuccessStatusCode();

        // A simple routine re-referral would go to the link worker by fair spread; continuity sends it back to the coach.
        var again = Fixtures.Referral(programme.ProgrammeId, "F11002", previousJourneyId: first.JourneyId) with { PersonId = first.PersonId };
        var second = await Triage.PublishAndWaitAsync<ReferralAssigned>(again, a => a.ReferralId == again.ReferralId);
        Assert.Equal("sos-2", second.LinkWorkerId);
        var view = await coach.GetFromJsonAsync<ReferralView>($"/referrals/{again.ReferralId}", TriageHost.Json);
        Assert.Contains(view!.Assignment!.Reasons, r => r.StartsWith("Continuity", StringComparison.Ordinal));

        var control = Fixtures.Referral(programme.ProgrammeId, "F11002");
        Assert.Equal("sos-1", (await Triage.PublishAndWaitAsync<ReferralAssigned>(control, a => a.ReferralId == control.ReferralId)).LinkWorkerId);
    }

    [Fact]
    public async Task Erasing_a_person_shreds_the_reasons_recorded_about_them()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "F11003");
        var offer = await Triage.PublishAndWaitAsync<ReferralAssigned>(submitted, a => a.ReferralId == submitted.ReferralId);
        using var worker = Triage.LinkWorker(programme.ProgrammeId, offer.LinkWorkerId);
        (await worker.PostAsJsonAsync($"/assignments/{offer.AssignmentId}/decline", new ReasonRequest("She is my neighbour."), TriageHost.Json))
            .EnsureSuccessStatusCode();

        async Task<string?> NoteAsync()
        {
            await using var session = Triage.Store.QuerySession();
            var events = await session.Events.FetchStreamAsync(submitted.ReferralId);
            return events.Select(e => e.Data).OfType<AssignmentEnded>().Single().Note;
        }

        Assert.Equal("She is my neighbour.", await NoteAsync());
        await Triage.PublishAsync(new PersonErased(submitted.PersonId, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await TriageHost.EventuallyAsync(async () => await NoteAsync() is null, because: "the note should read as null once the person is erased");
    }
}
