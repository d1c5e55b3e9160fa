using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.EventStore.Daemon;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;

namespace Referrals.SupportPlan.Tests.Timeline;

/// <summary>The timeline (a rebuildable projection), what went to the GP record, caseloads and the team lead's list.</summary>
public sealed class ViewsTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task The_timeline_shows_what_was_filed_to_the_GP_record()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var delivery = Guid.NewGuid();

        await fixture.Bus.PublishAsync(new GpRecordFiled(delivery, journey.JourneyId, c.PersonId, "B82005", fixture.Clock.UtcNow));

        using var worker = _scenario.Worker(c);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        TimelineView timeline;
        do
        {
            timeline = await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline");
        }
        while (!timeline.Entries.Any(e => e.Kind == "GpRecordFiled") && DateTime.UtcNow < deadline && await Delay());

        var filed = timeline.Entries.Single(e => e.Kind == "GpRecordFiled");
        Assert.Equal(GpSharing.Filed, filed.GpRecord!.Sharing);
        Assert.Contains("B82005", filed.Summary, StringComparison.Ordinal);
        Assert.Equal(journey.Version, (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Version);
    }

    [Fact]
    public async Task The_timeline_follows_the_persons_consent_for_what_is_coded_to_the_GP_record()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c, scope: ConsentScope.CodedOnly);
        using var worker = _scenario.Worker(c);
        await worker.Post($"/journeys/{journey.JourneyId}/agreement", new { }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/consent", new { scope = "None", withdrawn = true, reason = "Does not want the GP told" }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/outcome-measures", new { instrument = "Pam", point = "Baseline", pamScore = 51.3 }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns", new { crisis = false, indicators = new[] { "self-neglect" } }).Ok();

        var timeline = await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline");

        Assert.Equal(GpSharing.CodedOnly, timeline.Entries.Single(e => e.Kind == "PersonAgreed").GpRecord!.Sharing);
        var pam = timeline.Entries.Single(e => e.Kind == "OutcomeMeasured");
        Assert.Equal(("962851000000103", GpSharing.NotShared), (pam.GpRecord!.Code, pam.GpRecord.Sharing));
        Assert.Contains("level 2", pam.Summary, StringComparison.Ordinal);
        Assert.Equal(GpSharing.Restricted, timeline.Entries.Single(e => e.Kind == "SafeguardingConcern").GpRecord!.Sharing);
    }

    [Fact]
    public async Task The_timeline_rebuilt_from_events_is_the_same_timeline()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        await worker.PutAsRead($"/journeys/{journey.JourneyId}", $"/journeys/{journey.JourneyId}/assessment/what-matters", new { narrative = "My garden" }).Ok();
        var goal = await worker.Post($"/journeys/{journey.JourneyId}/plan/goals", new { description = "Plant the beds" }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/plan/goals/{goal.Id}/progress", new { status = "InProgress", note = "Bought seeds" }).Ok();
        await fixture.Bus.PublishAsync(new GpRecordFiled(Guid.NewGuid(), journey.JourneyId, c.PersonId, "B82005", fixture.Clock.UtcNow));
        await WaitUntilAsync(async () => (await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries.Any(e => e.Kind == "GpRecordFiled"));
        var before = Serialise(await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline"));

        await new ProjectionDaemon(fixture.Store).RebuildAsync(JourneyTimelineProjection.ProjectionName);

        var after = Serialise(await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline"));
        Assert.Equal(before, after);
        Assert.Contains("Bought seeds", after, StringComparison.Ordinal);
    }

    /// <summary>Never opened and turned down: the timeline says so, not that a referral was raised for the practice to expect.</summary>
    [Fact]
    public async Task The_timeline_of_a_journey_registered_not_eligible_says_triage_found_it_not_eligible_and_not_that_a_referral_was_raised()
    {
        var c = ReferralCase.New();
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow));
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, eligible: false, at: fixture.Clock.UtcNow));
        await _scenario.WaitForJourneyAsync(c.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.NotEligible);
        using var lead = _scenario.TeamLead(c.ProgrammeId);

        var registered = (await lead.Get<TimelineView>($"/journeys/{c.JourneyId}/timeline")).Entries.Single(e => e.Kind == "JourneyRegistered");

        Assert.Equal("Triage found the referral not eligible: the journey was recorded but not opened, and the referral will not go ahead",
            registered.Summary);
        Assert.Equal((null, "Referral found not eligible by triage: it will not go ahead"), (registered.GpRecord!.Code, registered.GpRecord.Term));
        Assert.Null(registered.Detail);
    }

    /// <summary>A team lead ruled a registered referral out of scope: the timeline's re-triage entry says so, not only its tier.</summary>
    [Fact]
    public async Task The_timeline_of_a_referral_triaged_again_as_not_eligible_says_it_will_not_go_ahead()
    {
        var c = ReferralCase.New();
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow));
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, at: fixture.Clock.UtcNow) with { Source = new EventSource(c.ReferralId, 2) });
        await _scenario.WaitForJourneyAsync(c.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.AwaitingAcceptance);

        await fixture.Bus.PublishAsync(Scenario.Triaged(c, eligible: false, at: fixture.Clock.UtcNow) with { Source = new EventSource(c.ReferralId, 5) });
        await _scenario.WaitForJourneyAsync(c.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.NotEligible);
        using var lead = _scenario.TeamLead(c.ProgrammeId);

        var retriaged = (await lead.Get<TimelineView>($"/journeys/{c.JourneyId}/timeline")).Entries.Single(e => e.Kind == "ReferralRetriaged");
        Assert.StartsWith("Triaged again: not eligible, the referral will not go ahead, tier LinkWorker", retriaged.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caseload_lists_the_workers_open_journeys_including_dormant_ones_and_closed_ones_on_request()
    {
        var first = ReferralCase.New();
        var second = ReferralCase.New(first.ProgrammeId) with { WorkerId = first.WorkerId };
        var a = await _scenario.OpenAndAgreeAsync(first);
        var b = await _scenario.OpenAsync(second);
        using var worker = _scenario.Worker(first);
        await worker.Post($"/journeys/{b.JourneyId}/decline", new { reason = "Not now" }).Ok();

        var open = await worker.Get<List<JourneySummary>>("/caseload");
        var all = await worker.Get<List<JourneySummary>>("/caseload?includeClosed=true");

        Assert.Equal([a.JourneyId], open.Select(j => j.JourneyId).ToArray());
        Assert.Equal(new[] { a.JourneyId, b.JourneyId }.Order(), all.Select(j => j.JourneyId).Order());
        Assert.Equal(ClosureReason.Declined, all.Single(j => j.JourneyId == b.JourneyId).ClosureReason);
    }

    [Fact]
    public async Task A_team_lead_filters_the_programmes_journeys()
    {
        var programme = "prog-" + Guid.NewGuid().ToString("N")[..8];
        var urgent = ReferralCase.New(programme);
        var waiting = ReferralCase.New(programme);
        var concern = ReferralCase.New(programme);
        await _scenario.OpenAsync(urgent);
        await fixture.Bus.PublishAsync(Scenario.Triaged(urgent, priority: Priority.Urgent, sourceVersion: 7));
        await _scenario.WaitForJourneyAsync(urgent.JourneyId, programme, j => j.Referral.Priority == Priority.Urgent);
        await fixture.Bus.PublishAsync(Scenario.Submitted(waiting, submittedAt: fixture.Clock.UtcNow));
        await fixture.Bus.PublishAsync(Scenario.Triaged(waiting));
        await _scenario.WaitForJourneyAsync(waiting.JourneyId, programme, _ => true);
        await _scenario.OpenAndAgreeAsync(concern);
        using var lead = _scenario.TeamLead(programme);
        await lead.Post($"/journeys/{concern.JourneyId}/safeguarding-concerns", new { crisis = true, indicators = new[] { "suicidal-ideation" } }).Ok();

        Assert.Equal([urgent.JourneyId], await Ids(lead, $"/journeys?priority=Urgent"));
        Assert.Equal([waiting.JourneyId], await Ids(lead, $"/journeys?status=AwaitingAcceptance"));
        Assert.Equal([waiting.JourneyId], await Ids(lead, $"/journeys?unassigned=true"));
        Assert.Equal([concern.JourneyId], await Ids(lead, $"/journeys?safeguarding=true"));
        Assert.Equal([concern.JourneyId], await Ids(lead, $"/journeys?linkWorkerId={concern.WorkerId}"));
        Assert.Equal(3, (await Ids(lead, "/journeys?practice=b82005")).Count);
        var page = await lead.Get<JourneyPage>("/journeys?pageSize=2");
        Assert.True(page.HasMore);
        Assert.Equal(2, page.Journeys.Count);
        var summary = (await lead.Get<JourneyPage>($"/journeys?safeguarding=true")).Journeys.Single();
        Assert.True(summary.Crisis);
    }

    private static async Task<IReadOnlyList<Guid>> Ids(HttpClient client, string url) =>
        (await client.Get<JourneyPage>(url)).Journeys.Select(j => j.JourneyId).ToList();

    private static string Serialise(TimelineView view) => System.Text.Json.JsonSerializer.Serialize(view, Api.Json);

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(50);
        }
    }
}
