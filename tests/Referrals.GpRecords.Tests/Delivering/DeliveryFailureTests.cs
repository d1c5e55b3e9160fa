using Referrals.Deploy.Practice;
using System.Net;
using System.Net.Http.Json;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>Receiver outages, poison deliveries, consent changes and missing endpoints, on a test clock for the retry timers.</summary>
public sealed class DeliveryFailureTests : PracticeDeliveryTest
{
    private const string Practice = "E85001";
    private const string Unconfigured = "F86001";
    private readonly TestClock _clock = new();

    protected override Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver) =>
        GpRecordsHarness.StartAsync(receiver, [Practice], _clock, [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000]);

    private Task HeadAsync(Guid journeyId, Func<DeliveryStatusDocument, bool> condition, string what) => Eventually.TrueAsync(async () =>
        (await Harness.DeliveriesAsync(journeyId)).FirstOrDefault() is { } head && condition(head), what, null,
        () => Harness.DiagnoseAsync(journeyId, Guid.Empty));

    /// <summary>A journey whose contact the practice rejects (parked, reported), with later deliveries queued behind it.</summary>
    private async Task<(JourneyScript Script, GpRecordDeliveryParked Parked)> ParkTheContactWithDeliveriesQueuedBehindItAsync()
    {
        var script = new JourneyScript(Practice);
        Receiver.RejectWhen = json => json.Contains(script.NhsNumber, StringComparison.Ordinal) && json.Contains("\"Encounter\"", StringComparison.Ordinal);
        await Harness.PublishAsync(script.Submitted(), script.Registered());
        await Harness.QuietAsync(script.JourneyId, [script.Registered()], _clock);
        await Harness.PublishAsync(script.Contact());
        var parked = await Harness.Probe.WaitForAsync<GpRecordDeliveryParked>(p => p.JourneyId == script.JourneyId);
        await Harness.PublishAsync(script.Opened(), script.Agreed());
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)).Count >= 4, "deliveries queued behind the parked one");
        return (script, parked);
    }

    private IReadOnlyList<string?> Received(JourneyScript script) =>
        [.. Receiver.Transactions.Where(t => t.BundleJson.Contains(script.NhsNumber, StringComparison.Ordinal)).Select(t => t.DeliveryId)];

    [Fact]
    public async Task With_the_receiver_down_for_a_while_nothing_is_lost_and_deliveries_resume_in_order_per_journey()
    {
        Receiver.Down = true;
        var journeys = new[] { new JourneyScript(Practice), new JourneyScript(Practice) };
        foreach (var script in journeys)
        {
            await Harness.PublishAsync(script.Submitted(), script.Registered());
            await HeadAsync(script.JourneyId, d => d.State == DeliveryState.Retrying, "the first delivery to be retrying");
            await Harness.PublishAsync(script.FullHistory().Skip(2));
        }

        // Down for a while: the retry timers fire and fail again.
        for (var i = 0; i < 2; i++)
        {
            var attempts = (await Harness.DeliveriesAsync(journeys[0].JourneyId))[0].Attempts;
            _clock.Advance(TimeSpan.FromSeconds(10));
            await HeadAsync(journeys[0].JourneyId, d => d.Attempts > attempts, "another failed attempt");
        }

        Assert.Empty(Receiver.Transactions);
        Receiver.Down = false;
        _clock.Advance(TimeSpan.FromSeconds(60));
        foreach (var script in journeys)
        {
            await Harness.QuietAsync(script.JourneyId, script.FullHistory(), _clock);
            var deliveries = await Harness.DeliveriesAsync(script.JourneyId);
            Assert.All(deliveries, d => Assert.Equal(DeliveryState.Filed, d.State));
            var expectedOrder = deliveries.Select(d => (string?)d.Id.ToString("D")).ToList();
            Assert.Equal(expectedOrder, Received(script));
            Assert.Contains("Bundle/" + ResourceIds.Document(script.JourneyId, script.ReferralId, JourneyRecordMapper.ClosureMessage),
                Receiver.StoreBySenderIdOf(Practice).Keys);
        }
    }

    [Fact]
    public async Task A_poison_delivery_is_parked_holds_back_its_journey_while_others_proceed_and_can_be_replayed()
    {
        var poisoned = new JourneyScript(Practice);
        var healthy = new JourneyScript(Practice);
        Receiver.RejectWhen = json => json.Contains(poisoned.NhsNumber, StringComparison.Ordinal) && json.Contains("\"Encounter\"", StringComparison.Ordinal);
        await Harness.PublishAsync(poisoned.Submitted(), poisoned.Registered());
        await Harness.QuietAsync(poisoned.JourneyId, [poisoned.Registered()], _clock);
        await Harness.PublishAsync(poisoned.Contact());
        await HeadAsync(poisoned.JourneyId, _ => true, "a delivery");
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(poisoned.JourneyId)).Any(d => d.State == DeliveryState.Parked), "parking");
        var parkedEvent = await Harness.Probe.WaitForAsync<GpRecordDeliveryParked>(p => p.JourneyId == poisoned.JourneyId);
        Assert.DoesNotContain(poisoned.NhsNumber, parkedEvent.Reason, StringComparison.Ordinal);

        await Harness.PublishAsync(poisoned.Opened(), poisoned.Agreed());
        await Harness.PublishAsync(healthy.Submitted(), healthy.Registered(), healthy.Opened(), healthy.Agreed());
        await Harness.QuietAsync(healthy.JourneyId, [healthy.Registered(), healthy.Opened(), healthy.Agreed()], _clock);
        await Harness.QuietAsync(poisoned.JourneyId, [poisoned.Registered(), poisoned.Contact(), poisoned.Opened(), poisoned.Agreed()], _clock, heldBehindParked: true);
        Assert.Contains("Procedure/" + ResourceIds.AgreementProcedure(healthy.JourneyId, healthy.ReferralId), Receiver.StoreBySenderIdOf(Practice).Keys);
        Assert.DoesNotContain("Procedure/" + ResourceIds.AgreementProcedure(poisoned.JourneyId, poisoned.ReferralId), Receiver.StoreBySenderIdOf(Practice).Keys);
        var held = await Harness.DeliveriesAsync(poisoned.JourneyId);
        Assert.Equal(DeliveryState.Parked, held[1].State);
        Assert.All(held.Skip(2), d => Assert.Equal(DeliveryState.Queued, d.State));

        using var admin = Harness.Host.ClientFor(Roles.ProgrammeAdmin);
        var parked = await admin.GetFromJsonAsync<List<DeliveryView>>("/deliveries/parked");
        var listed = Assert.Single(parked!, p => p.JourneyId == poisoned.JourneyId);
        Assert.Equal(held[1].Id, listed.DeliveryId);
        Assert.Equal(HttpStatusCode.Forbidden, (await Harness.Host.ClientFor(Roles.LinkWorker).GetAsync("/deliveries/parked")).StatusCode);

        Receiver.RejectWhen = null;
        var replay = await admin.PostAsync($"/deliveries/{listed.DeliveryId}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(poisoned.JourneyId)).All(d => d.State == DeliveryState.Filed), "the replay");
        var after = await Harness.DeliveriesAsync(poisoned.JourneyId);
        Assert.All(after, d => Assert.Equal(DeliveryState.Filed, d.State));
        Assert.Equal(after.Select(d => (string?)d.Id.ToString("D")), Received(poisoned));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/deliveries/{listed.DeliveryId}/replay", null)).StatusCode);
    }

    [Fact]
    public async Task A_parked_delivery_withheld_when_consent_is_withdrawn_is_reported_withheld_and_withholds_of_deliveries_never_parked_are_not()
    {
        var (script, parked) = await ParkTheContactWithDeliveriesQueuedBehindItAsync();

        await Harness.PublishAsync(script.ConsentChanged(ConsentScope.None, withdrawn: true, day: 3));

        var withheld = await Harness.Probe.WaitForAsync<GpRecordDeliveryWithheld>(w => w.JourneyId == script.JourneyId);
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)).All(d =>
            d.State is not (DeliveryState.Queued or DeliveryState.Retrying or DeliveryState.Parked)), "every delivery to be done");
        var deliveries = await Harness.DeliveriesAsync(script.JourneyId);
        var parkedDelivery = Assert.Single(deliveries, d => d.Id == parked.DeliveryId);
        Assert.Equal((parked.DeliveryId, parkedDelivery.Sequence, GpRecordDeliveryWithheldReasons.Consent, parked.PersonId),
            (withheld.DeliveryId, withheld.Sequence, withheld.ReasonCategory, withheld.PersonId));
        Assert.Equal(parkedDelivery.Sequence, parked.Sequence);
        Assert.True(deliveries.Count(d => d.State == DeliveryState.Withheld && d.Id != parked.DeliveryId) >= 2, "deliveries never parked withheld too");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(Harness.Probe.All<GpRecordDeliveryWithheld>(), w => w.JourneyId == script.JourneyId);
    }

    [Fact]
    public async Task A_parked_delivery_accepted_after_a_replay_is_reported_as_a_parked_delivery_accepted_and_acceptances_of_deliveries_never_parked_are_not()
    {
        var (script, parked) = await ParkTheContactWithDeliveriesQueuedBehindItAsync();

        Receiver.RejectWhen = null;
        using var admin = Harness.Host.ClientFor(Roles.ProgrammeAdmin);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/deliveries/{parked.DeliveryId}/replay", null)).StatusCode);

        var parkOver = await Harness.Probe.WaitForAsync<GpRecordParkedDeliveryAccepted>(a => a.JourneyId == script.JourneyId);
        var accepted = await Harness.Probe.WaitForAsync<GpRecordDeliveryAccepted>(a => a.DeliveryId == parked.DeliveryId);
        Assert.Equal((parked.DeliveryId, parked.Sequence, parked.PersonId, Practice, accepted.AcceptedAt),
            (parkOver.DeliveryId, (int?)parkOver.Sequence, parkOver.PersonId, parkOver.PracticeOds, parkOver.AcceptedAt));
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)).All(d => d.State == DeliveryState.Filed), "every delivery to be filed");

        // Every delivery of the journey was accepted and reported so as before; only the parked one's acceptance ends a park.
        var deliveries = await Harness.DeliveriesAsync(script.JourneyId);
        await Eventually.TrueAsync(() => Task.FromResult(Harness.Probe.All<GpRecordDeliveryAccepted>().Count(a => a.JourneyId == script.JourneyId) == deliveries.Count),
            "every acceptance to be reported");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(Harness.Probe.All<GpRecordParkedDeliveryAccepted>(), a => a.JourneyId == script.JourneyId);
    }

    [Fact]
    public async Task Withdrawing_consent_while_deliveries_are_queued_stops_them_all()
    {
        var script = new JourneyScript(Practice);
        Receiver.Down = true;
        await Harness.PublishAsync(script.Submitted(), script.Registered());
        await HeadAsync(script.JourneyId, d => d.State == DeliveryState.Retrying, "the first delivery to be retrying");
        await Harness.PublishAsync(script.Opened(), script.Agreed(), script.Contact(), script.WhatMatters(), script.SwemwbsBaseline());
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)).Count >= 2, "more deliveries to queue");

        await Harness.PublishAsync(script.ConsentChanged(ConsentScope.None, withdrawn: true, day: 3));
        await Harness.PublishAsync(script.Plan(), script.Closed());
        await Harness.QuietAsync(script.JourneyId, [script.Registered(), script.Opened(), script.Agreed(), script.Contact(), script.WhatMatters(),
            script.SwemwbsBaseline(), script.ConsentChanged(ConsentScope.None, withdrawn: true, day: 3), script.Plan(), script.Closed()]);

        Receiver.Down = false;
        _clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(Received(script));
        Assert.All(await Harness.DeliveriesAsync(script.JourneyId), d => Assert.Equal(DeliveryState.Withheld, d.State));
    }

    [Fact]
    public async Task Narrowing_consent_to_coded_only_while_deliveries_are_queued_sends_no_free_text()
    {
        var script = new JourneyScript(Practice);
        Receiver.Down = true;
        await Harness.PublishAsync(script.Submitted(), script.Registered());
        await HeadAsync(script.JourneyId, d => d.State == DeliveryState.Retrying, "the first delivery to be retrying");
        await Harness.PublishAsync(script.Opened(), script.Agreed(), script.WhatMatters(), script.Plan(), script.Connection(), script.Safeguarding(), script.Closed());
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)).Any(d => d.MessageKinds.Contains(JourneyRecordMapper.ClosureMessage)),
            "the closure to be produced");

        await Harness.PublishAsync(script.ConsentChanged(ConsentScope.CodedOnly, day: 30));
        await Eventually.TrueAsync(async () => (await Harness.Store.QuerySession().Events.AggregateStreamAsync<DeliveryQueue>(ResourceIds.DeliveryQueue(script.JourneyId)))?.Scope
            == ConsentScope.CodedOnly, "the narrower scope to be recorded");
        Receiver.Down = false;
        await Harness.QuietAsync(script.JourneyId, [script.Registered(), script.Opened(), script.Agreed(), script.WhatMatters(), script.Plan(), script.Connection(),
            script.Safeguarding(), script.Closed(), script.ConsentChanged(ConsentScope.CodedOnly, day: 30)], _clock);

        var sent = string.Join("\n", Receiver.Transactions.Where(t => t.BundleJson.Contains(script.NhsNumber, StringComparison.Ordinal)).Select(t => t.BundleJson));
        Assert.Contains("871731000000106", sent, StringComparison.Ordinal);
        foreach (var text in new[] { JourneyScript.WhatMattersText, JourneyScript.GoalText, JourneyScript.SafeguardingDetailsText })
        {
            Assert.DoesNotContain(text, sent, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Receiver.StoreBySenderIdOf(Practice).Keys, k => k.StartsWith("Goal/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_practice_without_an_endpoint_is_retried_with_back_off_and_then_parked_while_the_service_keeps_running()
    {
        var script = new JourneyScript(Unconfigured);
        await Harness.PublishAsync(script.Submitted(), script.Registered());
        await HeadAsync(script.JourneyId, d => d.State == DeliveryState.Retrying, "the first attempt to fail");
        var first = (await Harness.DeliveriesAsync(script.JourneyId))[0];
        Assert.Equal(_clock.UtcNow + TimeSpan.FromSeconds(1), first.NextAttemptAt);
        Assert.Contains("No endpoint", first.LastReason, StringComparison.Ordinal);

        for (var i = 0; i < 10 && (await Harness.DeliveriesAsync(script.JourneyId))[0].State != DeliveryState.Parked; i++)
        {
            var attempts = (await Harness.DeliveriesAsync(script.JourneyId))[0].Attempts;
            _clock.Advance(TimeSpan.FromSeconds(65));
            await HeadAsync(script.JourneyId, d => d.Attempts > attempts || d.State == DeliveryState.Parked, "the next attempt");
        }

        var parked = (await Harness.DeliveriesAsync(script.JourneyId))[0];
        Assert.Equal(DeliveryState.Parked, parked.State);
        Assert.Equal(8, parked.Attempts);
        Assert.Equal(HttpStatusCode.OK, (await Harness.Host.AnonymousClient().GetAsync("/health/live")).StatusCode);
    }
}
