using Referrals.Deploy.Practice;
using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>Thin slice of issue 2 and the whole journey, end to end through the consumers and the test receiver.</summary>
public sealed class ReferralDeliveryTests : PracticeDeliveryTest
{
    private const string Practice = "B82001";
    private const string OtherPractice = "C83002";

    protected override Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver) =>
        GpRecordsHarness.StartAsync(receiver, [Practice, OtherPractice]);

    private JourneyScript? _current;

    private JourneyScript Track(JourneyScript script) => _current = script;

    private async Task HeldAsync(string practice, params string[] keys)
    {
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(keys.All(k => Receiver.StoreBySenderIdOf(practice).ContainsKey(k))), string.Join(", ", keys) + " at " + practice);
        }
        catch (TimeoutException) when (_current is { } script)
        {
            throw new TimeoutException($"Not held: {await Harness.DiagnoseAsync(script.JourneyId, script.PersonId)} transactions={Receiver.Transactions.Count}");
        }
    }

    [Fact]
    public async Task A_registered_journey_reaches_the_registered_practice_as_a_service_request_and_a_requested_task()
    {
        var script = Track(new JourneyScript(Practice));
        await Harness.PublishAsync(script.Registered(), script.Submitted());

        var serviceRequest = "ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId);
        var task = "Task/" + ResourceIds.Task(script.JourneyId, script.ReferralId);
        await HeldAsync(Practice, serviceRequest, task);
        await Harness.QuietAsync(script.JourneyId, [script.Registered()]);
        var store = Receiver.StoreBySenderIdOf(Practice);
        var request = JsonNode.Parse(store[serviceRequest].Json)!;
        Assert.Equal("871731000000106", request["code"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(script.NhsNumber, request["subject"]!["identifier"]!["value"]!.GetValue<string>());
        Assert.StartsWith("Patient/", request["subject"]!["reference"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("requested", JsonNode.Parse(store[task].Json)!["status"]!.GetValue<string>());
        Assert.Single(store.Keys, k => k.StartsWith("Patient/", StringComparison.Ordinal));

        await Harness.Probe.WaitForAsync<GpRecordFiled>(f => f.JourneyId == script.JourneyId);
        await Harness.Probe.WaitForAsync<GpRecordDeliveryAccepted>(a => a.JourneyId == script.JourneyId);
        Assert.All(Receiver.Transactions, t => Emitted.AssertValid(t.BundleJson));
    }

    [Fact]
    public async Task The_person_s_details_may_arrive_before_the_journey_is_registered()
    {
        var script = Track(new JourneyScript(Practice));
        await Harness.PublishAsync(script.Submitted());
        await Task.Delay(300);
        await Harness.PublishAsync(script.Registered(), script.Opened());

        await Harness.QuietAsync(script.JourneyId, [script.Registered(), script.Opened()]);
        var task = JsonNode.Parse(Receiver.StoreBySenderIdOf(Practice)["Task/" + ResourceIds.Task(script.JourneyId, script.ReferralId)].Json)!;
        Assert.Equal("accepted", task["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_journey_may_be_registered_before_the_person_s_details_arrive()
    {
        var script = Track(new JourneyScript(Practice));
        await Harness.PublishAsync(script.Registered());
        await Task.Delay(300);
        Assert.Empty(Receiver.Transactions);
        await Harness.PublishAsync(script.Submitted());

        await HeldAsync(Practice, "ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId));
    }

    [Fact]
    public async Task A_whole_journey_is_delivered_schema_valid_with_messages_back_on_agreement_and_closure()
    {
        var script = Track(new JourneyScript(Practice));
        await Harness.PublishAsync(script.FullHistory());

        var closing = "Bundle/" + ResourceIds.Document(script.JourneyId, script.ReferralId, JourneyRecordMapper.ClosureMessage);
        var agreed = "Procedure/" + ResourceIds.AgreementProcedure(script.JourneyId, script.ReferralId);
        await HeldAsync(Practice, closing, agreed, "Goal/" + ResourceIds.Goal(script.JourneyId, script.GoalId),
            "Observation/" + ResourceIds.Safeguarding(script.JourneyId, script.ConcernId));
        await Harness.QuietAsync(script.JourneyId, script.FullHistory());

        var store = Receiver.StoreBySenderIdOf(Practice);
        var task = JsonNode.Parse(store["Task/" + ResourceIds.Task(script.JourneyId, script.ReferralId)].Json)!;
        Assert.Equal("completed", task["status"]!.GetValue<string>());
        Assert.Contains("\"code\":\"R\"", store["Observation/" + ResourceIds.Safeguarding(script.JourneyId, script.ConcernId)].Json, StringComparison.Ordinal);
        foreach (var transaction in Receiver.Transactions)
        {
            Emitted.AssertValid(transaction.BundleJson);
        }

        var agreement = await Harness.Probe.WaitForAsync<GpMessageSent>(m => m.JourneyId == script.JourneyId && m.Kind == JourneyRecordMapper.AgreementMessage);
        var closure = await Harness.Probe.WaitForAsync<GpMessageSent>(m => m.JourneyId == script.JourneyId && m.Kind == JourneyRecordMapper.ClosureMessage);
        Assert.Equal(Practice, closure.PracticeOds);
        Assert.Equal(script.Referrer.OrganisationId, agreement.ReferrerOrganisationId);
        Assert.All(await Harness.DeliveriesAsync(script.JourneyId), d => Assert.Equal(DeliveryState.Filed, d.State));
    }

    [Fact]
    public async Task An_agency_referral_for_a_person_registered_at_a_practice_is_delivered_to_that_practice_only()
    {
        var script = Track(new JourneyScript(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE"));
        await Harness.PublishAsync(script.Submitted(), script.Registered(), script.Opened(), script.Agreed());

        var request = "ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId);
        await HeldAsync(Practice, request, "Procedure/" + ResourceIds.AgreementProcedure(script.JourneyId, script.ReferralId));
        await Harness.QuietAsync(script.JourneyId, [script.Registered(), script.Opened(), script.Agreed()]);

        Assert.DoesNotContain(Receiver.Transactions, t => t.Practice != Practice && t.BundleJson.Contains(script.NhsNumber, StringComparison.Ordinal));
        Assert.All(await Harness.DeliveriesAsync(script.JourneyId), d => Assert.Equal(Practice, d.PracticeOds));
        var requester = JsonNode.Parse(Receiver.StoreBySenderIdOf(Practice)[request].Json)!["requester"]!;
        Assert.Equal("AGENCY-CITIZENS-ADVICE", requester["identifier"]!["value"]!.GetValue<string>());
    }
}
