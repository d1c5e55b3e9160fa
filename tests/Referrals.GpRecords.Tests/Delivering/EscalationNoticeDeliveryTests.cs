using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.Contracts.Triage;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// HAZ-002: triage's notice to the registered practice reaches the practice through gp-records, end to end through the
/// consumers and the practice's stand-in FHIR endpoint, also when someone other than the practice referred.
/// </summary>
public sealed class EscalationNoticeDeliveryTests : PracticeDeliveryTest
{
    private const string Practice = "B82011";
    private const string ReferrerPractice = "C83012";

    protected override Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver) =>
        GpRecordsHarness.StartAsync(receiver, [Practice, ReferrerPractice]);

    private static string NoticeKey(JourneyScript script, int step) =>
        "Observation/" + ResourceIds.EscalationNotice(script.JourneyId, script.EscalationId, step);

    private Task HeldAsync(JourneyScript script, params string[] keys) =>
        Eventually.TrueAsync(() => Task.FromResult(keys.All(k => Receiver.StoreBySenderIdOf(Practice).ContainsKey(k))), string.Join(", ", keys) + " at " + Practice,
            diagnose: () => Harness.DiagnoseAsync(script.JourneyId, script.PersonId));

    [Fact]
    public async Task An_escalation_of_an_agency_referral_reaches_the_registered_practice_as_a_restricted_observation_with_the_statement()
    {
        var script = new JourneyScript(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");
        var notice = script.Escalated();
        await Harness.PublishAsync(script.Submitted(), script.Registered(), notice);

        await HeldAsync(script, NoticeKey(script, 1));
        await Harness.QuietAsync(script.JourneyId, [script.Submitted(), script.Registered(), notice]);
        var observation = JsonNode.Parse(Receiver.StoreBySenderIdOf(Practice)[NoticeKey(script, 1)].Json)!;
        Assert.Equal("R", observation["meta"]!["security"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(JourneyScript.EscalationStatementText, observation["valueString"]!.GetValue<string>());
        Assert.Equal(JourneyRecordMapper.EscalationNoticeText, observation["code"]!["text"]!.GetValue<string>());
        Assert.All(Receiver.Transactions, t => Emitted.AssertValid(t.BundleJson));
        Assert.All(await Harness.DeliveriesAsync(script.JourneyId), d => Assert.Equal(Practice, d.PracticeOds));
        Assert.All(await Harness.DeliveriesAsync(script.JourneyId), d => Assert.Equal(DeliveryState.Filed, d.State));
        await Harness.Probe.WaitForAsync<GpRecordFiled>(f => f.JourneyId == script.JourneyId);
    }

    [Fact]
    public async Task An_escalation_of_a_practice_referral_goes_to_the_registered_practice_never_the_referring_one()
    {
        var script = new JourneyScript(Practice, ReferrerKind.GpPractice, ReferrerPractice);
        await Harness.PublishAsync(script.Submitted(), script.Registered(), script.Escalated(step: 5));

        await HeldAsync(script, NoticeKey(script, 5));
        await Harness.QuietAsync(script.JourneyId, [script.Submitted(), script.Registered(), script.Escalated(step: 5)]);
        Assert.DoesNotContain(Receiver.Transactions, t => t.Practice != Practice);
        Assert.False(Receiver.StoreBySenderIdOf(ReferrerPractice).ContainsKey(NoticeKey(script, 5)));
    }

    [Fact]
    public async Task An_escalation_for_a_journey_not_yet_registered_waits_and_reaches_the_practice_once_it_is()
    {
        var script = new JourneyScript(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");
        var notice = await Harness.PublishOneAsync(script.Escalated());
        await Harness.PublishAsync(script.Submitted());
        await Harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), [notice]);
        await Task.Delay(300);
        Assert.Empty(Receiver.Transactions);

        await Harness.PublishAsync(script.Registered());
        await HeldAsync(script, NoticeKey(script, 1), "ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId));
    }

    [Fact]
    public async Task Notices_to_the_duty_worker_team_lead_and_referrer_produce_nothing_for_the_practice()
    {
        var script = new JourneyScript(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");
        await Harness.PublishAsync(script.Submitted(), script.Registered());
        await Harness.QuietAsync(script.JourneyId, [script.Submitted(), script.Registered()]);
        var deliveriesBefore = (await Harness.DeliveriesAsync(script.JourneyId)).Count;

        var others = new List<Guid>
        {
            await Harness.PublishOneAsync(script.Escalated(EscalationRecipientKind.DutyWorker, 1, script.At(0, 3), outsideRotaHours: false)),
            await Harness.PublishOneAsync(script.Escalated(EscalationRecipientKind.Referrer, 1, outsideRotaHours: false)),
            await Harness.PublishOneAsync(script.Escalated(EscalationRecipientKind.TeamLead, 2, script.At(0, 4), outsideRotaHours: false)),
        };
        var practiceNotice = script.Escalated(step: 3, outsideRotaHours: false);
        await Harness.PublishAsync(practiceNotice);
        await Harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), others);
        await HeldAsync(script, NoticeKey(script, 3));
        await Harness.QuietAsync(script.JourneyId, [script.Submitted(), script.Registered(), practiceNotice]);

        foreach (var step in new[] { 1, 2 })
        {
            Assert.False(Receiver.StoreBySenderIdOf(Practice).ContainsKey(NoticeKey(script, step)));
        }

        await using var session = Harness.Store.QuerySession();
        var journey = await session.Events.AggregateStreamAsync<GpJourney>(script.JourneyId);
        Assert.Equal([JourneyFacts.KeyOf(practiceNotice)], journey!.Facts.Keys.Where(k => k.StartsWith("escalation:", StringComparison.Ordinal)));
        Assert.Equal(deliveriesBefore + 1, (await Harness.DeliveriesAsync(script.JourneyId)).Count);
    }
}
