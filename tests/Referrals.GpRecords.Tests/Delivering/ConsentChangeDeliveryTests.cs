using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// What the practice holds after the consent scope changes (HAZ-006, HAZ-021): a widening sends what the narrower scope kept
/// back; a withdrawal reaches a practice that was sent the journey as an inactive Consent, and nothing else.
/// </summary>
public sealed class ConsentChangeDeliveryTests : PracticeDeliveryTest
{
    private const string Practice = "E85021";

    protected override Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver) => GpRecordsHarness.StartAsync(receiver, [Practice]);

    private IReadOnlyCollection<string> Held => [.. Receiver.StoreBySenderIdOf(Practice).Keys];

    private int SentTo(JourneyScript script) => Receiver.Transactions.Count(t => t.Practice == Practice && t.BundleJson.Contains(script.NhsNumber, StringComparison.Ordinal));

    [Fact]
    public async Task Records_produced_while_consent_was_none_reach_the_practice_once_consent_is_given()
    {
        var script = new JourneyScript(Practice);
        object[] first = [script.Submitted(), script.Registered(ConsentScope.None), script.Opened(), script.Agreed(), script.Contact()];
        await Harness.PublishAsync(first);
        await Harness.QuietAsync(script.JourneyId, first);
        Assert.Equal(0, SentTo(script));

        var given = script.ConsentChanged(ConsentScope.Full, day: 3);
        await Harness.PublishAsync(given);
        await Harness.QuietAsync(script.JourneyId, [.. first, given]);

        Assert.Contains("ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId), Held);
        Assert.Contains("Task/" + ResourceIds.Task(script.JourneyId, script.ReferralId), Held);
        Assert.Contains("Procedure/" + ResourceIds.AgreementProcedure(script.JourneyId, script.ReferralId), Held);
        Assert.Contains("Encounter/" + ResourceIds.Encounter(script.JourneyId, script.ContactId), Held);
        var consent = JsonNode.Parse(Receiver.StoreBySenderIdOf(Practice)["Consent/" + ResourceIds.Consent(script.JourneyId)].Json)!;
        Assert.Equal("active", consent["status"]!.GetValue<string>());
        Assert.Single(Receiver.StoreBySenderIdOf(Practice).Keys, k => k.StartsWith("Patient/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Widening_coded_only_to_full_sends_the_goals_already_agreed()
    {
        var script = new JourneyScript(Practice);
        object[] first = [script.Submitted(), script.Registered(ConsentScope.CodedOnly), script.Opened(), script.Agreed(), script.Plan()];
        await Harness.PublishAsync(first);
        await Harness.QuietAsync(script.JourneyId, first);
        var goal = "Goal/" + ResourceIds.Goal(script.JourneyId, script.GoalId);
        Assert.DoesNotContain(goal, Held);

        var widened = script.ConsentChanged(ConsentScope.Full, day: 4);
        await Harness.PublishAsync(widened);
        await Harness.QuietAsync(script.JourneyId, [.. first, widened]);

        Assert.Contains(goal, Held);
        Assert.Contains(JourneyScript.GoalText, Receiver.StoreBySenderIdOf(Practice)[goal].Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_widening_withholds_the_deliveries_not_yet_sent_in_its_own_transaction_before_the_complete_one_is_queued()
    {
        var script = new JourneyScript(Practice);
        Receiver.Down = true;
        await Harness.PublishAsync(script.Submitted(), script.Registered(ConsentScope.CodedOnly));
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)) is [{ State: DeliveryState.Retrying }],
            "the coded-only delivery to be retrying at a practice that is down");

        await Harness.PublishAsync(script.ConsentChanged(ConsentScope.Full, day: 4));
        await Eventually.TrueAsync(async () => (await Harness.DeliveriesAsync(script.JourneyId)) is [{ State: DeliveryState.Withheld }, _],
            "the retrying delivery to be superseded by the complete one");
        Receiver.Down = false;

        // Withheld before the complete delivery was queued: a step in between (the change's own GpDeliveriesDue, a retry)
        // could not send it alone under the wider scope.
        await Harness.AssertSupersededBeforeTheCompleteDeliveryAsync(script.JourneyId);
    }

    [Fact]
    public async Task A_withdrawal_of_consent_reaches_the_practice_as_an_inactive_consent_and_nothing_recorded_after_it_does()
    {
        var script = new JourneyScript(Practice);
        object[] first = [script.Submitted(), script.Registered(), script.Opened()];
        await Harness.PublishAsync(first);
        await Harness.QuietAsync(script.JourneyId, first);

        // One after the other: facts travel on queues of their own, so an agreement published with the withdrawal could be sent first.
        var withdrawn = script.ConsentChanged(ConsentScope.None, withdrawn: true, day: 3);
        await Harness.PublishAsync(withdrawn);
        await Harness.QuietAsync(script.JourneyId, [.. first, withdrawn]);
        object[] later = [script.Agreed(), script.Contact()];
        await Harness.PublishAsync(later);
        await Harness.QuietAsync(script.JourneyId, [.. first, withdrawn, .. later]);

        var consent = JsonNode.Parse(Receiver.StoreBySenderIdOf(Practice)["Consent/" + ResourceIds.Consent(script.JourneyId)].Json)!;
        Assert.Equal("inactive", consent["status"]!.GetValue<string>());
        Assert.Equal("deny", consent["provision"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain("Procedure/" + ResourceIds.AgreementProcedure(script.JourneyId, script.ReferralId), Held);
        Assert.DoesNotContain("Encounter/" + ResourceIds.Encounter(script.JourneyId, script.ContactId), Held);
        var last = Receiver.Transactions.Last(t => t.Practice == Practice && t.BundleJson.Contains(script.NhsNumber, StringComparison.Ordinal));
        Assert.Equal(["Patient", "Consent"], JsonNode.Parse(last.BundleJson)!["entry"]!.AsArray()
            .Select(e => e!["resource"]!["resourceType"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_practice_never_sent_the_journey_is_not_told_of_it_when_the_person_never_consented()
    {
        var script = new JourneyScript(Practice);
        object[] facts = [script.Submitted(), script.Registered(ConsentScope.None), script.Opened()];
        await Harness.PublishAsync(facts);
        await Harness.QuietAsync(script.JourneyId, facts);

        Assert.Equal(0, SentTo(script));
        Assert.All(await Harness.DeliveriesAsync(script.JourneyId), d => Assert.Equal(DeliveryState.Withheld, d.State));
    }
}
