using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>The measure page on a journey reopened by a re-referral: a new period of support, measured from a new baseline.</summary>
[Collection(WebAppCollection.Name)]
public sealed class OutcomeMeasureTests(WebAppFixture fixture)
{
    [Fact]
    public async Task On_a_reopened_journey_the_measure_page_asks_for_a_new_baseline_and_shows_no_earlier_one()
    {
        var nhsNumber = ReferralForms.NewNhsNumber();
        var first = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86001", WebAppFixture.Programme, nhsNumber));
        await fixture.Client.JourneyCommandAsync(first.JourneyId, first.Worker, "agreement", null);
        await fixture.Client.JourneyCommandAsync(first.JourneyId, first.Worker, "outcome-measures",
            new { instrument = "Swemwbs", point = "Baseline", items = new[] { 3, 3, 3, 3, 3, 3, 3 } });
        await fixture.Client.JourneyCommandAsync(first.JourneyId, first.Worker, "closure", new { reason = "MovedAway" });
        await fixture.Client.WaitForStatusAsync(first.ReferralId, "B86001", s => s == "Closed");

        var again = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86001", WebAppFixture.Programme, nhsNumber));
        Assert.Equal(first.JourneyId, again.JourneyId);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.SignInAsync(again.Worker.Id);
        await browser.GotoAsync($"/journeys/{again.JourneyId}/measures/Swemwbs");

        await Assertions.Expect(browser.Page.Locator("input[name='Input.Point'][value='Baseline']")).ToBeCheckedAsync();
        await Assertions.Expect(browser.Page.GetByText("Baseline: ")).ToHaveCountAsync(0);
    }
}
