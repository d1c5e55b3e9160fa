using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Intake.ConfirmingTriage;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.Tests.Tracking;

/// <summary>
/// Referrals linked to a journey that ends before anyone took it on (the first referral not eligible, or withdrawn before
/// the person started with a worker) are released: admitted again, published as <c>ReferralSubmitted</c> and triaged on
/// their own (HAZ-007, HAZ-014). A journey that ends after being taken on finishes its linked referrals with it.
/// </summary>
public sealed class LinkedReferralReleaseTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    private async Task<Upstream> SubmitAsync(MessageProbeScope scope, string nhs)
    {
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();
        return new Upstream(await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id));
    }

    /// <summary>Another referrer's referral for the same person, for a different reason: linked to the open journey.</summary>
    private async Task<Guid> SubmitLinkedAsync(MessageProbeScope scope, string nhs, string ods, Guid journeyId)
    {
        var response = await App.Referrer(ods).PostJsonAsync("/referrals", TestData.Referral(nhs, referrerOds: ods)
            .With("needs", new JsonArray("DebtOrBenefits")).With("reasonText", "Rent arrears since the bereavement."));
        var body = await response.ReadObjectAsync();
        Assert.Equal("LinkedToOpenJourney", body["status"]!.GetValue<string>());
        var linked = await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.ReferralId == body.ReferralId());
        Assert.Equal(journeyId, linked.JourneyId);
        return body.ReferralId();
    }

    private static HttpRequestMessage Withdraw(Guid id) =>
        new(HttpMethod.Post, $"/referrals/{id}/withdraw") { Content = Http.Json(new JsonObject { ["reason"] = "Sent to the wrong service" }) };

    private Task<long> ReleasesAsync(Guid referralId) =>
        App.ScalarAsync($"select count(*) from {{schema}}.mt_events where stream_id = '{referralId}' and type ilike '%linked%referral%released%'");

    private Task<long> TriageChecksAsync(Guid referralId) =>
        App.ScalarAsync($"select count(*) from {{schema}}.mt_timers where key = '{TriageConfirmationDecider.TimerKey(referralId, 1)}' and cancelled_at is null");

    /// <summary>
    /// The released referral's submission: a new journey naming the ended one, under the MessageId derived from the referral
    /// (so the triage confirmation check can send it again), with its own needs; the referral shows Submitted again.
    /// </summary>
    private async Task<ReferralSubmitted> AssertReleasedAsync(MessageProbeScope scope, Guid referralId, Upstream ended)
    {
        var released = await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == referralId);
        Assert.NotEqual(ended.Referral.JourneyId, released.JourneyId);
        Assert.Equal(ended.Referral.JourneyId, released.PreviousJourneyId);
        Assert.Equal(ended.Referral.PersonId, released.PersonId);
        Assert.Equal([NeedCategory.DebtOrBenefits], released.Needs);
        Assert.Equal("Rent arrears since the bereavement.", released.ReasonText);
        Assert.Equal(TriageConfirmationDecider.SubmissionMessageId(referralId),
            scope.Probe.Messages.Single(m => m.Message is ReferralSubmitted s && s.ReferralId == referralId).MessageId);

        var referral = await App.WaitForReferralAsync(referralId, r => r.Status == ReferralStatus.Submitted);
        Assert.False(referral.LinkedToOpenJourney);
        Assert.Equal(released.JourneyId, referral.JourneyId);
        Assert.Equal([ReferralStatus.LinkedToOpenJourney, ReferralStatus.Submitted], referral.History.Select(h => h.Status));
        Assert.Equal(1, await ReleasesAsync(referralId));
        Assert.Equal(1, await TriageChecksAsync(referralId)); // the triage confirmation check is armed, as for a submission
        return released;
    }

    [Fact]
    public async Task Referrals_linked_to_a_journey_whose_first_referral_is_not_eligible_are_released_the_first_triaged_on_its_own_the_next_linked_to_it()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        var linked = await SubmitLinkedAsync(scope, nhs, "B86003", first.Referral.JourneyId);
        var next = await SubmitLinkedAsync(scope, nhs, "B86004", first.Referral.JourneyId);

        await scope.Bus.PublishAsync(first.Triaged(2, eligible: false));

        var released = await AssertReleasedAsync(scope, linked, first);
        // The next one joins the released referral's journey (published again, so triage reads it for risk against that one).
        var relinked = await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.ReferralId == next && m.JourneyId == released.JourneyId);
        Assert.Equal("B86004", relinked.Referrer.OrganisationId);
        var waiting = await App.WaitForReferralAsync(next, r => r.JourneyId == released.JourneyId);
        Assert.Equal(ReferralStatus.LinkedToOpenJourney, waiting.Status);
        Assert.Equal(1, await ReleasesAsync(next));
        Assert.Equal(0, await TriageChecksAsync(next));
        Assert.DoesNotContain(scope.Probe.All<ReferralSubmitted>(), m => m.ReferralId == next);
        // That linking is a message of its own (its own MessageId) whose receipt from triage is checked (HAZ-001 C18).
        Assert.Equal(LinkedReferralReceiptDecider.LinkedMessageId(next, released.JourneyId),
            scope.Probe.Messages.Single(m => m.Message is ReferralLinkedToOpenJourney l && l.ReferralId == next && l.JourneyId == released.JourneyId).MessageId);
        Assert.Equal(1, await App.ScalarAsync(
            $"select count(*) from {{schema}}.mt_timers where key = '{LinkedReferralReceiptDecider.TimerKey(next, released.JourneyId, 1)}' and cancelled_at is null"));
        Assert.Equal(released.JourneyId, waiting.LinkedTriageReceipt?.JourneyId);

        // Triage's decision on the released referral reaches it; the new journey's events reach both; a later referral joins it too.
        var upstream = new Upstream(released);
        await scope.Bus.PublishAsync(upstream.Triaged(2));
        await App.WaitForReferralAsync(linked, r => r.Status == ReferralStatus.Triaged);
        await scope.Bus.PublishAsync(upstream.Agreed(3));
        await App.WaitForReferralAsync(linked, r => r.Status == ReferralStatus.Agreed);
        await App.WaitForReferralAsync(next, r => r.Status == ReferralStatus.Agreed);
        var later = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs));
        var laterId = (await later.ReadObjectAsync()).ReferralId();
        Assert.Equal(released.JourneyId, (await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.ReferralId == laterId)).JourneyId);
        Assert.Equal(ReferralStatus.NotEligible, (await App.LoadReferralAsync(first.Referral.ReferralId))!.Status);
    }

    [Fact]
    public async Task A_linked_referral_is_released_when_a_team_lead_s_override_rules_the_first_referral_out()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        var linked = await SubmitLinkedAsync(scope, nhs, "B86003", first.Referral.JourneyId);
        await scope.Bus.PublishAsync(first.Triaged(2));
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.Triaged);
        Assert.Equal(ReferralStatus.LinkedToOpenJourney, (await App.LoadReferralAsync(linked))!.Status);

        // The override reaches intake as triage's newer decision.
        await scope.Bus.PublishAsync(first.Triaged(3, eligible: false));

        await AssertReleasedAsync(scope, linked, first);
    }

    [Fact]
    public async Task A_linked_referral_is_released_when_the_first_referral_is_withdrawn_before_the_person_started_with_a_worker()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        var linked = await SubmitLinkedAsync(scope, nhs, "B86003", first.Referral.JourneyId);
        var next = await SubmitLinkedAsync(scope, nhs, "B86004", first.Referral.JourneyId);

        Assert.Equal(HttpStatusCode.OK, (await App.Referrer(TestData.Practice).SendAsync(Withdraw(first.Referral.ReferralId))).StatusCode);

        var released = await AssertReleasedAsync(scope, linked, first);
        await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.ReferralId == next && m.JourneyId == released.JourneyId);
        Assert.Equal(ReferralStatus.LinkedToOpenJourney, (await App.WaitForReferralAsync(next, r => r.JourneyId == released.JourneyId)).Status);
    }

    [Fact]
    public async Task A_redelivered_not_eligible_decision_releases_nothing_twice()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        var linked = await SubmitLinkedAsync(scope, nhs, "B86003", first.Referral.JourneyId);
        var notEligible = first.Triaged(2, eligible: false);
        var messageId = Guid.NewGuid();

        await scope.Bus.PublishAsync(notEligible, messageId);
        await AssertReleasedAsync(scope, linked, first);
        var deliveries = new List<Guid>
        {
            await scope.Bus.PublishAsync(notEligible, messageId), // the same delivery again
            await scope.Bus.PublishAsync(notEligible), // a replay under a new message id
            await scope.Bus.PublishAsync(first.Triaged(3, eligible: false)), // triage's newer decision, still not eligible
        };
        await WaitForInboxAsync(deliveries);

        Assert.Equal(1, await ReleasesAsync(linked));
        Assert.Equal(ReferralStatus.Submitted, (await App.LoadReferralAsync(linked))!.Status);
        var indexId = (await App.LoadReferralAsync(first.Referral.ReferralId))!.PersonIndexId;
        Assert.Equal(1, await App.ScalarAsync(
            $"select count(*) from {{schema}}.mt_events where stream_id = '{indexId}' and type ilike '%journey%started%' and data->>'referralId' = '{linked}'"));
        Assert.Single(scope.Probe.All<ReferralSubmitted>(), m => m.ReferralId == linked);
    }

    [Fact]
    public async Task Linked_referrals_finish_with_a_journey_that_ends_after_being_taken_on_and_are_not_released()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var declinedNhs = TestData.NhsNumber();
        var declined = await SubmitAsync(scope, declinedNhs);
        var linkedToDeclined = await SubmitLinkedAsync(scope, declinedNhs, "B86003", declined.Referral.JourneyId);
        var closedNhs = TestData.NhsNumber();
        var closed = await SubmitAsync(scope, closedNhs);
        var linkedToClosed = await SubmitLinkedAsync(scope, closedNhs, "B86003", closed.Referral.JourneyId);

        await scope.Bus.PublishAsync(declined.Declined(4));
        await scope.Bus.PublishAsync(closed.Closed(9));

        await App.WaitForReferralAsync(linkedToDeclined, r => r.Status == ReferralStatus.Declined);
        await App.WaitForReferralAsync(linkedToClosed, r => r.Status == ReferralStatus.Closed);
        await App.WaitForReferralAsync(declined.Referral.ReferralId, r => r.Status == ReferralStatus.Declined);
        await App.WaitForReferralAsync(closed.Referral.ReferralId, r => r.Status == ReferralStatus.Closed);
        Assert.Equal(0, await ReleasesAsync(linkedToDeclined));
        Assert.Equal(0, await ReleasesAsync(linkedToClosed));
        Assert.Equal(declined.Referral.JourneyId, (await App.LoadReferralAsync(linkedToDeclined))!.JourneyId);
        Assert.DoesNotContain(scope.Probe.All<ReferralSubmitted>(), m => m.ReferralId == linkedToDeclined || m.ReferralId == linkedToClosed);
    }

    [Fact]
    public async Task A_linked_referral_stays_with_a_journey_whose_first_referral_is_withdrawn_after_the_person_started_with_a_worker()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        var linked = await SubmitLinkedAsync(scope, nhs, "B86003", first.Referral.JourneyId);
        await scope.Bus.PublishAsync(first.Opened(2));
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.JourneyOpened);

        Assert.Equal(HttpStatusCode.OK, (await App.Referrer(TestData.Practice).SendAsync(Withdraw(first.Referral.ReferralId))).StatusCode);

        Assert.Equal(0, await ReleasesAsync(linked));
        var referral = await App.LoadReferralAsync(linked);
        Assert.Equal((ReferralStatus.LinkedToOpenJourney, first.Referral.JourneyId), (referral!.Status, referral.JourneyId));
    }

    [Fact]
    public async Task A_linked_referral_is_released_when_support_plan_closes_the_journey_as_withdrawn_because_the_person_had_not_agreed()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        var linked = await SubmitLinkedAsync(scope, nhs, "B86003", first.Referral.JourneyId);
        var next = await SubmitLinkedAsync(scope, nhs, "B86004", first.Referral.JourneyId);
        await scope.Bus.PublishAsync(first.Opened(2));
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.JourneyOpened);

        // Support-plan opened the journey, so it decides what the withdrawal does: intake ends nothing itself.
        Assert.Equal(HttpStatusCode.OK, (await App.Referrer(TestData.Practice).SendAsync(Withdraw(first.Referral.ReferralId))).StatusCode);
        Assert.Equal(0, await ReleasesAsync(linked));
        Assert.Equal(ReferralStatus.LinkedToOpenJourney, (await App.LoadReferralAsync(linked))!.Status);

        // The person had not agreed: support-plan closes the journey as withdrawn (ReferralDecider.Withdraw).
        await scope.Bus.PublishAsync(first.ClosedAsWithdrawn(3));

        var released = await AssertReleasedAsync(scope, linked, first); // its history: LinkedToOpenJourney, Submitted; never Closed
        await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.ReferralId == next && m.JourneyId == released.JourneyId);
        var waiting = await App.WaitForReferralAsync(next, r => r.JourneyId == released.JourneyId);
        Assert.Equal([ReferralStatus.LinkedToOpenJourney], waiting.History.Select(h => h.Status));
        Assert.Null((await App.LoadReferralAsync(linked))!.ClosureReason);
        var withdrawn = (await App.LoadReferralAsync(first.Referral.ReferralId))!;
        Assert.Equal((ReferralStatus.Closed, ClosureReason.Withdrawn), (withdrawn.Status, withdrawn.ClosureReason));
        var view = await (await App.Referrer("B86003").GetAsync(new Uri($"/referrals/{linked}", UriKind.Relative))).ReadObjectAsync();
        Assert.Equal("Submitted", view["status"]!.GetValue<string>());
        Assert.Null(view["closureReason"]);
    }

    [Fact]
    public async Task A_linked_referral_released_by_a_withdrawal_before_opening_is_neither_released_again_nor_closed_by_support_plan_s_closure()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        var linked = await SubmitLinkedAsync(scope, nhs, "B86003", first.Referral.JourneyId);

        // Intake ends the journey itself (support-plan had not opened it) and releases the linked referral at once ...
        Assert.Equal(HttpStatusCode.OK, (await App.Referrer(TestData.Practice).SendAsync(Withdraw(first.Referral.ReferralId))).StatusCode);
        var released = await AssertReleasedAsync(scope, linked, first);

        // ... and support-plan, which had registered it, closes it as withdrawn too: nothing more happens to the released one.
        await scope.Bus.PublishAsync(first.ClosedAsWithdrawn(3));
        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.Closed);

        Assert.Equal(1, await ReleasesAsync(linked));
        var referral = (await App.LoadReferralAsync(linked))!;
        Assert.Equal((ReferralStatus.Submitted, released.JourneyId), (referral.Status, referral.JourneyId));
        Assert.Single(scope.Probe.All<ReferralSubmitted>(), m => m.ReferralId == linked);
        var indexId = (await App.LoadReferralAsync(first.Referral.ReferralId))!.PersonIndexId;
        Assert.Equal(1, await App.ScalarAsync(
            $"select count(*) from {{schema}}.mt_events where stream_id = '{indexId}' and type ilike '%journey%ended%'"));
    }

    [Fact]
    public async Task Submissions_racing_the_release_leave_the_person_one_new_journey_and_nothing_waiting_on_the_ended_one()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await SubmitAsync(scope, nhs);
        var linked = await SubmitLinkedAsync(scope, nhs, "B86003", first.Referral.JourneyId);

        var notEligible = scope.Bus.PublishAsync(first.Triaged(2, eligible: false));
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => App.Referrer("B86003").PostJsonAsync("/referrals",
            TestData.Referral(nhs, referrerOds: "B86003").With("reasonText", $"Referral {i}"))));
        await notEligible;
        var ids = new List<Guid> { linked };
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.ReadObjectAsync()).ReferralId());
        }

        await App.WaitForReferralAsync(first.Referral.ReferralId, r => r.Status == ReferralStatus.NotEligible);
        var referrals = new List<Referral>();
        foreach (var id in ids)
        {
            referrals.Add(await App.WaitForReferralAsync(id, r => r.JourneyId != first.Referral.JourneyId));
        }

        // One of them opened the person's new journey (the released one, or a submission after the end); the rest joined it.
        var opened = Assert.Single(referrals, r => r.Status == ReferralStatus.Submitted);
        Assert.All(referrals, r => Assert.Equal(opened.JourneyId, r.JourneyId));
        Assert.Equal(2, await App.ScalarAsync(
            $"select count(*) from {{schema}}.mt_events where type = 'journey_started' and data->>'personId' = '{first.Referral.PersonId}'"));
    }

    private async Task WaitForInboxAsync(IReadOnlyCollection<Guid> messageIds)
    {
        var ids = string.Join(",", messageIds.Select(m => $"'{m}'"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await App.ScalarAsync($"select count(*) from {{schema}}.mt_inbox where message_id in ({ids})") < messageIds.Distinct().Count())
        {
            Assert.True(DateTime.UtcNow < deadline, "The messages were not consumed.");
            await Task.Delay(50);
        }
    }
}
