using System.Net;
using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.Tests.Tracking;

public sealed class StatusTrackingTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    private async Task<Upstream> SubmitAsync(MessageProbeScope scope, string? nhs = null, string ods = TestData.Practice, string sharing = "Full")
    {
        var response = await App.Referrer(ods).PostJsonAsync("/referrals",
            TestData.Referral(nhs, referrerOds: ods).With("consent.sharingScope", sharing));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();
        return new Upstream(await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id));
    }

    private async Task<JsonObject> ViewAsync(Guid id, string ods = TestData.Practice) =>
        await (await App.Referrer(ods).GetAsync(new Uri($"/referrals/{id}", UriKind.Relative))).ReadObjectAsync();

    [Fact]
    public async Task The_referrer_sees_each_stage_from_triage_to_closure_with_an_outcome_summary()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope);
        var id = up.Referral.ReferralId;

        await scope.Bus.PublishAsync(up.Triaged(2));
        await App.WaitForReferralAsync(id, r => r.Status == ReferralStatus.Triaged);
        await scope.Bus.PublishAsync(up.Assigned(3));
        await App.WaitForReferralAsync(id, r => r.Status == ReferralStatus.Assigned);
        await scope.Bus.PublishAsync(up.Accepted(4));
        await App.WaitForReferralAsync(id, r => r.Status == ReferralStatus.Accepted);
        await scope.Bus.PublishAsync(up.Registered(1));
        await scope.Bus.PublishAsync(up.Opened(2));
        await App.WaitForReferralAsync(id, r => r.Status == ReferralStatus.JourneyOpened);
        await scope.Bus.PublishAsync(up.Agreed(3));
        await App.WaitForReferralAsync(id, r => r.Status == ReferralStatus.Agreed);
        await scope.Bus.PublishAsync(up.Closed(9));
        await App.WaitForReferralAsync(id, r => r.Status == ReferralStatus.Closed);

        var view = await ViewAsync(id);
        Assert.Equal("Closed", view["status"]!.GetValue<string>());
        Assert.Equal("GoalsMet", view["closureReason"]!.GetValue<string>());
        Assert.Equal("Chapeltown Allotment Society", view["outcome"]!["connections"]![0]!["serviceName"]!.GetValue<string>());
        Assert.Equal(5.78m, view["outcome"]!["outcomeChanges"]![0]!["change"]!.GetValue<decimal>());
        Assert.DoesNotContain("Visit the allotment weekly", view.ToJsonString(), StringComparison.Ordinal); // goals stay with support-plan
        Assert.Equal(["Submitted", "Triaged", "Assigned", "Accepted", "JourneyOpened", "Agreed", "Closed"],
            view["history"]!.AsArray().Select(h => h!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task After_the_person_withdrew_consent_during_the_journey_the_referrer_sees_only_the_closure_reason()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope, sharing: "Full");
        await scope.Bus.PublishAsync(up.Closed(9) with { SharingScope = ConsentScope.None });
        await App.WaitForReferralAsync(up.Referral.ReferralId, r => r.Status == ReferralStatus.Closed);

        var view = await ViewAsync(up.Referral.ReferralId);
        Assert.Empty(view["outcome"]!["connections"]!.AsArray());
        Assert.Empty(view["outcome"]!["outcomeChanges"]!.AsArray());
        Assert.Equal("GoalsMet", view["outcome"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_consent_to_share_the_referrer_sees_only_the_closure_reason()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope, sharing: "None");
        await scope.Bus.PublishAsync(up.Closed(9));
        await App.WaitForReferralAsync(up.Referral.ReferralId, r => r.Status == ReferralStatus.Closed);

        var view = await ViewAsync(up.Referral.ReferralId);
        Assert.Empty(view["outcome"]!["connections"]!.AsArray());
        Assert.Empty(view["outcome"]!["outcomeChanges"]!.AsArray());
        Assert.Equal("GoalsMet", view["outcome"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_arriving_out_of_order_never_move_the_status_backwards()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope);
        var id = up.Referral.ReferralId;

        // Assigned (triage stream version 3) overtakes Triaged (version 2); agreement overtakes the opening.
        await scope.Bus.PublishAsync(up.Assigned(3));
        await App.WaitForReferralAsync(id, r => r.Status == ReferralStatus.Assigned);
        var stale = new List<Guid> { await scope.Bus.PublishAsync(up.Triaged(2)) };
        await scope.Bus.PublishAsync(up.Agreed(3));
        await App.WaitForReferralAsync(id, r => r.Status == ReferralStatus.Agreed);
        stale.Add(await scope.Bus.PublishAsync(up.Opened(2)));
        stale.Add(await scope.Bus.PublishAsync(up.Queued(1)));

        // The stale facts are consumed (each claims its inbox row) without changing anything.
        await WaitForInboxAsync(stale);
        var referral = await App.LoadReferralAsync(id);
        Assert.Equal(ReferralStatus.Agreed, referral!.Status);
        Assert.Equal(ReferralStatus.Assigned, referral.TriageMark!.Status);
        Assert.Equal(["Submitted", "Assigned", "Agreed"], referral.History.Select(h => h.Status.ToString()));
    }

    [Fact]
    public async Task Triage_s_decision_and_its_queueing_published_in_one_transaction_with_one_version_show_the_referrer_queued()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope);
        var id = up.Referral.ReferralId;

        // As triage emits them: one commit, so both carry the referral stream's version after it; Triaged is relayed first.
        await scope.Bus.PublishAsync(up.Triaged(3));
        await App.WaitForReferralAsync(id, r => r.Status == ReferralStatus.Triaged);
        await scope.Bus.PublishAsync(up.Queued(3));

        var referral = await App.WaitForReferralAsync(id, r => r.Status == ReferralStatus.Queued);
        Assert.Equal(["Submitted", "Triaged", "Queued"], referral.History.Select(h => h.Status.ToString()));
        Assert.Equal("Queued", (await ViewAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_redelivered_message_changes_nothing_more()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope);
        var messageId = Guid.NewGuid();
        var triaged = up.Triaged(2);

        await scope.Bus.PublishAsync(triaged, messageId);
        await scope.Bus.PublishAsync(triaged, messageId);
        await WaitForInboxAsync([messageId]);
        await scope.Bus.PublishAsync(up.Assigned(3));
        await App.WaitForReferralAsync(up.Referral.ReferralId, r => r.Status == ReferralStatus.Assigned);

        Assert.Equal(1, await App.ScalarAsync(
            $"select count(*) from {{schema}}.mt_events where stream_id = '{up.Referral.ReferralId}' and data->>'status' = 'Triaged'"));
    }

    [Fact]
    public async Task An_escalation_shows_as_a_flag_on_the_referral()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope);

        await scope.Bus.PublishAsync(up.Escalated(2));
        await App.WaitForReferralAsync(up.Referral.ReferralId, r => r.Escalated);

        var view = await ViewAsync(up.Referral.ReferralId);
        Assert.True(view["escalated"]!.GetValue<bool>());
        Assert.Equal("Submitted", view["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_escalation_notice_for_the_referrer_at_the_end_of_the_chain_shows_on_the_referral_once()
    {
        const string statement = "This referral shows possible risk and nobody in the link worker team acknowledged it in time. " +
                                 "The social prescribing link worker service is not a crisis service and cannot act on this now. The case needs your action.";
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope);
        var id = up.Referral.ReferralId;
        var escalationId = Guid.NewGuid();

        // Step 1 went to the duty worker (the flag); nobody acknowledged, so step 3 reaches the referrer and the practice.
        await scope.Bus.PublishAsync(up.EscalatedTo(EscalationRecipientKind.DutyWorker, "lw-1", escalationId, 1, "Review now", 2));
        await App.WaitForReferralAsync(id, r => r.Escalated);
        var notice = up.EscalatedTo(EscalationRecipientKind.Referrer, TestData.Practice, escalationId, 3, statement, 4);
        var deliveries = new List<Guid>
        {
            await scope.Bus.PublishAsync(up.EscalatedTo(EscalationRecipientKind.RegisteredPractice, TestData.Practice, escalationId, 3, statement, 3)),
            await scope.Bus.PublishAsync(notice),
            await scope.Bus.PublishAsync(notice), // a redelivery under a new message id (e.g. a replay)
        };
        await WaitForInboxAsync(deliveries);

        var view = await ViewAsync(id);
        var shown = Assert.Single(view["escalationNotices"]!.AsArray())!.AsObject();
        Assert.Equal(escalationId, shown["escalationId"]!.GetValue<Guid>());
        Assert.Equal(3, shown["step"]!.GetValue<int>());
        Assert.Equal(statement, shown["statement"]!.GetValue<string>());
        Assert.False(shown["outsideRotaHours"]!.GetValue<bool>());
        Assert.Null(shown["acknowledgeBy"]);
        Assert.Equal(notice.EscalatedAt, shown["sentAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(["escalationId", "step", "statement", "outsideRotaHours", "acknowledgeBy", "sentAt"], shown.Select(p => p.Key));
        Assert.True(view["escalated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_referral_after_the_journey_closed_opens_a_new_journey_naming_the_previous_one()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        await scope.Bus.PublishAsync(first.Closed(9));
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.Closed);

        var second = await SubmitAsync(scope, nhs);
        Assert.Equal(first.Referral.PersonId, second.Referral.PersonId);
        Assert.NotEqual(first.Referral.JourneyId, second.Referral.JourneyId);
        Assert.Equal(first.Referral.JourneyId, second.Referral.PreviousJourneyId);
    }

    [Fact]
    public async Task A_referral_found_not_eligible_shows_the_referrer_triage_s_reasons_and_where_to_direct_the_person()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var submitted = await SubmitAsync(scope);
        Assert.Null((await ViewAsync(submitted.Referral.ReferralId))["signposting"]);

        await scope.Bus.PublishAsync(submitted.Triaged(2, eligible: false));
        await App.WaitForReferralAsync(submitted.Referral.ReferralId, r => r.Status == ReferralStatus.NotEligible);

        var view = await ViewAsync(submitted.Referral.ReferralId);
        Assert.Equal("NotEligible", view["status"]!.GetValue<string>());
        Assert.Equal(["Outside the catchment"], view["notEligibleReasons"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("Try the local community hub", view["signposting"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_referral_after_an_ineligible_triage_opens_a_new_journey()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        await scope.Bus.PublishAsync(first.Triaged(2, eligible: false));
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.NotEligible);

        var second = await SubmitAsync(scope, nhs);
        Assert.Equal(first.Referral.JourneyId, second.Referral.PreviousJourneyId);
    }

    [Fact]
    public async Task A_closure_published_with_the_decline_that_caused_it_and_arriving_after_it_shows_the_referral_closed()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope);
        await scope.Bus.PublishAsync(up.Declined(4));
        await App.WaitForReferralAsync(up.Referral.ReferralId, r => r.Status == ReferralStatus.Declined);

        // Support-plan closes the journey in the decline's own transaction: both carry the journey stream's version 4.
        await scope.Bus.PublishAsync(up.Closed(4) with { Reason = ClosureReason.Declined });

        var closed = await App.WaitForReferralAsync(up.Referral.ReferralId, r => r.Status == ReferralStatus.Closed);
        Assert.Equal(ClosureReason.Declined, closed.ClosureReason);
    }

    [Fact]
    public async Task A_referral_after_a_team_lead_brought_an_ineligible_one_back_into_scope_joins_its_journey_not_a_second()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        await scope.Bus.PublishAsync(first.Triaged(2, eligible: false));
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.NotEligible);
        // The team lead's override reaches intake as triage's newer decision.
        await scope.Bus.PublishAsync(first.Triaged(3, eligible: true));
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.Triaged);

        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs, referrerOds: TestData.Practice));

        var body = await response.ReadObjectAsync();
        Assert.Equal("LinkedToOpenJourney", body["status"]!.GetValue<string>());
        var linked = await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.ReferralId == body.ReferralId());
        Assert.Equal(first.Referral.JourneyId, linked.JourneyId);
    }

    [Fact]
    public async Task A_referral_after_the_person_declined_opens_a_new_journey()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        await scope.Bus.PublishAsync(first.Declined(4));
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.Declined);

        var second = await SubmitAsync(scope, nhs);
        Assert.Equal(first.Referral.JourneyId, second.Referral.PreviousJourneyId);
    }

    [Fact]
    public async Task When_support_plan_reopens_the_previous_journey_intake_follows_its_journey_id()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        await scope.Bus.PublishAsync(first.Closed(9));
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.Closed);

        var second = await SubmitAsync(scope, nhs);
        var reopened = new Upstream(second.Referral) { JourneyId = first.JourneyId };

        // The agreement on the reopened journey arrives before intake learns the journey was reopened: it waits (retried).
        await scope.Bus.PublishAsync(new global::Referrals.Contracts.SupportPlan.PersonAgreedToSocialPrescribing(first.JourneyId, second.Referral.PersonId,
            second.Referral.ProgrammeId, 2, "lw-7", DateTimeOffset.UtcNow) { Source = new global::Referrals.Contracts.EventSource(first.JourneyStream, 12) });
        await Task.Delay(150);
        await scope.Bus.PublishAsync(reopened.Registered(10));

        var referral = await App.WaitForReferralAsync(second.Referral.ReferralId, r => r.Status == ReferralStatus.Agreed);
        Assert.Equal(first.JourneyId, referral.JourneyId);
        Assert.Equal(ReferralStatus.Closed, (await App.LoadReferralAsync(first.Referral.ReferralId))!.Status);

        // The person index follows: a third referral joins the reopened journey.
        var third = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs));
        Assert.Equal("LinkedToOpenJourney", (await third.ReadObjectAsync())["status"]!.GetValue<string>());
        var linked = await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.PersonId == second.Referral.PersonId);
        Assert.Equal(first.JourneyId, linked.JourneyId);
    }

    [Fact]
    public async Task A_referral_that_joined_an_open_journey_follows_that_journey()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs, ods: TestData.Practice);
        var joined = await App.Referrer("B86003").PostJsonAsync("/referrals", TestData.Referral(nhs, referrerOds: "B86003"));
        var joinedId = (await joined.ReadObjectAsync()).ReferralId();

        await scope.Bus.PublishAsync(first.Agreed(3));
        await App.WaitForReferralAsync(joinedId, r => r.Status == ReferralStatus.Agreed);
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.Agreed);
        Assert.Equal("Agreed", (await ViewAsync(joinedId, "B86003"))["status"]!.GetValue<string>());
    }

    private async Task WaitForInboxAsync(IReadOnlyCollection<Guid> messageIds)
    {
        var ids = string.Join(",", messageIds.Select(m => $"'{m}'"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await App.ScalarAsync($"select count(*) from {{schema}}.mt_inbox where message_id in ({ids})") < messageIds.Count)
        {
            Assert.True(DateTime.UtcNow < deadline, "The stale messages were not consumed.");
            await Task.Delay(50);
        }
    }
}
