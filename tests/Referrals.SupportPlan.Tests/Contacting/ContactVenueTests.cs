using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;
using Referrals.Testing;

namespace Referrals.SupportPlan.Tests.Contacting;

/// <summary>Where a contact happened is free text typed by the worker ("Where?", possibly a home address): personal data.</summary>
public sealed class ContactVenueTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task A_contacts_venue_is_shown_to_the_worker_kept_out_of_the_timeline_summary_and_stored_nowhere_in_plain_text()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var venue = "Zqvenue" + Guid.NewGuid().ToString("N")[..8] + " 12 Acacia Avenue";
        using var worker = _scenario.Worker(c);

        await worker.Post($"/journeys/{journey.JourneyId}/contacts",
            new { kind = "SupportedVisit", outcome = "Attended", durationMinutes = 40, venue, note = "Talked about the allotment" }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/contacts",
            new { kind = "FaceToFaceCommunity", outcome = "Attended", durationMinutes = 20, venue = venue + " library" }).Ok();

        var view = await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        Assert.Equal([venue, venue + " library"], view.Contacts.Select(x => x.Venue));
        Assert.Equal("Talked about the allotment", view.Contacts[0].Note);

        var contacts = (await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries.Where(e => e.Kind == "Contact").ToList();
        Assert.Equal(["SupportedVisit: Attended, 40 min", "FaceToFaceCommunity: Attended, 20 min"], contacts.Select(e => e.Summary));
        Assert.Equal([$"At {venue}. Talked about the allotment", $"At {venue} library"], contacts.Select(e => e.Detail));

        Assert.Empty(await TablesHoldingAsync(venue[..15]));
    }

    /// <summary>Support-plan's tables (events, documents, outbox, timers, …) with a row holding the text.</summary>
    private Task<List<string>> TablesHoldingAsync(string text) =>
        PlainText.TablesHoldingAsync(fixture.Infrastructure.PostgresConnectionString, fixture.Schema, text);
}
