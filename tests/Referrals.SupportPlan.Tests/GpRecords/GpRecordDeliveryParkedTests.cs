using Referrals.Contracts.GpRecords;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.GpRecords;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;
using Referrals.Testing;

namespace Referrals.SupportPlan.Tests.GpRecords;

/// <summary>
/// HAZ-005 C12 through the real store and broker: gp-records' report of a parked delivery marks the journey "not yet in the GP
/// record" for its worker and team lead, off the journey's version, and its report of that parked delivery accepted after a replay
/// (<see cref="GpRecordParkedDeliveryAccepted"/>) clears it.
/// </summary>
public sealed class GpRecordDeliveryParkedTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    private GpRecordDeliveryParked Parked(ReferralCase c, Guid journeyId, Guid deliveryId, DateTimeOffset at) =>
        new(deliveryId, journeyId, c.PersonId, "B82005", "Rejected by the practice system: canary-practice-error-text", at);

    [Fact]
    public async Task A_parked_delivery_marks_the_journey_and_its_caseload_line_once_however_often_it_is_delivered_and_its_acceptance_after_a_replay_clears_the_mark()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var delivery = Guid.NewGuid();
        var parked = Parked(c, journey.JourneyId, delivery, fixture.Clock.UtcNow) with { Sequence = 2 };
        var messageId = Guid.NewGuid();

        await fixture.Bus.PublishAsync(parked, messageId);
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, messageId);
        await fixture.Bus.PublishAsync(parked, messageId); // redelivered
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, await fixture.Bus.PublishAsync(parked)); // published again

        using var worker = _scenario.Worker(c);
        var marked = await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        var mark = Assert.IsType<NotYetInGpRecordView>(marked.NotYetInGpRecord);
        Assert.Equal((parked.ParkedAt, delivery, "B82005"), (mark.Since, Assert.Single(mark.ParkedDeliveries).DeliveryId, mark.ParkedDeliveries[0].PracticeOds));
        Assert.Single(await _scenario.EventsOnAsync<GpRecordDeliveryParkedRecorded>(GpRecordDelivery.StreamIdFor(journey.JourneyId)));
        // The mark is kept off the journey's stream: its version (the ETag a worker's next change sends) has not moved.
        Assert.Equal(journey.Version, marked.Version);
        Assert.DoesNotContain("canary-practice-error-text", await worker.GetStringAsync(new Uri($"/journeys/{journey.JourneyId}", UriKind.Relative)),
            StringComparison.Ordinal);

        Assert.True(await OnCaseloadAsync(worker, journey.JourneyId));

        // A programme admin replays it and the practice accepts it.
        await fixture.Bus.PublishAsync(new GpRecordParkedDeliveryAccepted(delivery, journey.JourneyId, c.PersonId, "B82005", 2, parked.ParkedAt.AddHours(2)));

        var cleared = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.NotYetInGpRecord is null);
        Assert.Equal(journey.Version, cleared.Version);
        Assert.False(await OnCaseloadAsync(worker, journey.JourneyId));
    }

    private static async Task<bool> OnCaseloadAsync(HttpClient worker, Guid journeyId) =>
        (await worker.Get<IReadOnlyList<JourneySummary>>("/caseload")).Single(j => j.JourneyId == journeyId).NotYetInGpRecord;

    [Fact]
    public async Task A_parked_delivery_reported_before_support_plan_holds_the_journey_marks_it_once_registered()
    {
        var c = ReferralCase.New();
        var parked = Parked(c, c.JourneyId, Guid.NewGuid(), fixture.Clock.UtcNow);

        await Inbox.WaitUntilAppliedAsync(fixture.Schema, await fixture.Bus.PublishAsync(parked));
        var journey = await _scenario.OpenAsync(c);

        Assert.Equal(c.JourneyId, journey.JourneyId);
        Assert.Equal(parked.DeliveryId, Assert.Single(journey.NotYetInGpRecord!.ParkedDeliveries).DeliveryId);
    }

    [Fact]
    public async Task An_acceptance_that_arrives_before_the_park_it_follows_leaves_the_journey_unmarked()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var delivery = Guid.NewGuid();
        var parkedAt = fixture.Clock.UtcNow;

        await Inbox.WaitUntilAppliedAsync(fixture.Schema,
            await fixture.Bus.PublishAsync(new GpRecordParkedDeliveryAccepted(delivery, journey.JourneyId, c.PersonId, "B82005", 1, parkedAt.AddMinutes(30))));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, await fixture.Bus.PublishAsync(Parked(c, journey.JourneyId, delivery, parkedAt) with { Sequence = 1 }));

        Assert.Null((await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true)).NotYetInGpRecord);
    }

    [Fact]
    public async Task A_parked_delivery_gp_records_then_withholds_clears_the_mark_with_nothing_accepted()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var parked = Parked(c, journey.JourneyId, Guid.NewGuid(), fixture.Clock.UtcNow) with { Sequence = 1 };
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, await fixture.Bus.PublishAsync(parked));
        Assert.NotNull((await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true)).NotYetInGpRecord);

        await fixture.Bus.PublishAsync(new GpRecordDeliveryWithheld(parked.DeliveryId, journey.JourneyId, c.PersonId, 1,
            GpRecordDeliveryWithheldReasons.Consent, parked.ParkedAt.AddHours(1)));

        var cleared = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.NotYetInGpRecord is null);
        Assert.Equal(journey.Version, cleared.Version);
        using var worker = _scenario.Worker(c);
        Assert.False(await OnCaseloadAsync(worker, journey.JourneyId));
    }

    [Fact]
    public async Task A_park_stamped_before_the_previous_deliverys_acceptance_by_a_clock_behind_marks_the_journey_as_the_queue_orders_them()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var t = fixture.Clock.UtcNow;

        await Inbox.WaitUntilAppliedAsync(fixture.Schema, await fixture.Bus.PublishAsync(
            new GpRecordParkedDeliveryAccepted(Guid.NewGuid(), journey.JourneyId, c.PersonId, "B82005", 4, t.AddMilliseconds(300))));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, await fixture.Bus.PublishAsync(
            Parked(c, journey.JourneyId, Guid.NewGuid(), t.AddMilliseconds(100)) with { Sequence = 5 }));

        Assert.NotNull((await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true)).NotYetInGpRecord);
    }
}
