using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Contacting;

/// <summary>Dormancy on a test clock: no contact for the configured weeks makes a journey dormant, never closed; contact reactivates it.</summary>
public sealed class DormancyTests(DormancyTests.FourWeekDormancy fixture) : IClassFixture<DormancyTests.FourWeekDormancy>
{
    public sealed class FourWeekDormancy : SupportPlanHost
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["SupportPlan:DormancyWeeks"] = "4" };
    }

    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task A_journey_without_contact_for_the_configured_weeks_goes_dormant_stays_open_and_contact_reactivates_it()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var id = journey.JourneyId;
        using var worker = _scenario.Worker(c);

        // A contact a week in restarts the count.
        fixture.Clock.Advance(TimeSpan.FromDays(7));
        await worker.Post($"/journeys/{id}/contacts", new { kind = "Video", outcome = "Attended", durationMinutes = 20 }).Ok();
        fixture.Clock.Advance(TimeSpan.FromDays(22)); // 4 weeks + 1 day after opening, 3 weeks + 1 day after the contact
        await Task.Delay(1500);
        Assert.Equal(JourneyStatus.Active, (await worker.Get<JourneyView>($"/journeys/{id}")).Status);

        // Failed attempts are not contact with the person.
        await worker.Post($"/journeys/{id}/contacts", new { kind = "Phone", outcome = "UnableToContact", durationMinutes = 0 }).Ok();
        fixture.Clock.Advance(TimeSpan.FromDays(7));
        var dormant = await fixture.Probe.WaitForAsync<Integration.JourneyWentDormant>(e => e.JourneyId == id);
        Assert.Equal(TestJourneyTimes.Start.AddDays(7), dormant.LastContactAt);

        // Dormant journeys stay in the caseload and are never closed, however long the silence.
        fixture.Clock.Advance(TimeSpan.FromDays(365));
        await Task.Delay(1500);
        var view = await worker.Get<JourneyView>($"/journeys/{id}");
        Assert.Equal(JourneyStatus.Dormant, view.Status);
        Assert.DoesNotContain(fixture.Probe.All<Integration.JourneyClosed>(), e => e.JourneyId == id);
        var caseload = await worker.Get<List<JourneySummary>>("/caseload");
        Assert.Equal(JourneyStatus.Dormant, caseload.Single(j => j.JourneyId == id).Status);

        // The person gets back in touch.
        await worker.Post($"/journeys/{id}/contacts", new { kind = "FaceToFaceCommunity", outcome = "Attended", durationMinutes = 50, venue = "Library" }).Ok();
        await fixture.Probe.WaitForAsync<Integration.JourneyReactivated>(e => e.JourneyId == id);
        Assert.Equal(JourneyStatus.Active, (await worker.Get<JourneyView>($"/journeys/{id}")).Status);

        // And the count starts again from that contact.
        fixture.Clock.Advance(TimeSpan.FromDays(29));
        await fixture.Probe.WaitForAsync<Integration.JourneyWentDormant>(e => e.JourneyId == id && e.DormantAt > dormant.DormantAt);
    }
}

/// <summary>Dormancy after a reactivation, on a clock of its own (the tests above assume theirs starts at the default start).</summary>
public sealed class ReactivatedDormancyTests(DormancyTests.FourWeekDormancy fixture) : IClassFixture<DormancyTests.FourWeekDormancy>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task A_journey_reactivated_by_a_contact_recorded_late_goes_dormant_again_the_configured_weeks_after_the_reactivation()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var id = journey.JourneyId;
        using var worker = _scenario.Worker(c);

        fixture.Clock.Advance(TimeSpan.FromDays(7));
        await worker.Post($"/journeys/{id}/contacts", new { kind = "Video", outcome = "Attended", durationMinutes = 20 }).Ok();
        var lastContact = fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(TimeSpan.FromDays(29));
        var dormant = await fixture.Probe.WaitForAsync<Integration.JourneyWentDormant>(e => e.JourneyId == id);

        // A contact from before the last one, recorded late: contact with the person, so the journey is reactivated, but the
        // last contact stays where it was.
        await worker.Post($"/journeys/{id}/contacts",
            new { kind = "Phone", outcome = "Attended", durationMinutes = 15, occurredAt = lastContact.AddDays(-2) }).Ok();
        await fixture.Probe.WaitForAsync<Integration.JourneyReactivated>(e => e.JourneyId == id);
        var reactivated = await worker.Get<JourneyView>($"/journeys/{id}");
        Assert.Equal(JourneyStatus.Active, reactivated.Status);
        Assert.Equal(lastContact, reactivated.Engagement.LastContactAt);

        // The count runs again from the reactivation: not dormant before the configured weeks...
        fixture.Clock.Advance(TimeSpan.FromDays(27));
        await Task.Delay(1500);
        Assert.Equal(JourneyStatus.Active, (await worker.Get<JourneyView>($"/journeys/{id}")).Status);

        // ...and dormant again once they have passed with no contact.
        fixture.Clock.Advance(TimeSpan.FromDays(365));
        var again = await fixture.Probe.WaitForAsync<Integration.JourneyWentDormant>(e => e.JourneyId == id && e.DormantAt > dormant.DormantAt);
        Assert.Equal(lastContact, again.LastContactAt);
        Assert.Equal(JourneyStatus.Dormant, (await worker.Get<JourneyView>($"/journeys/{id}")).Status);
    }
}

internal static class TestJourneyTimes
{
    public static readonly DateTimeOffset Start = Referrals.Testing.TestClock.DefaultStart;
}
