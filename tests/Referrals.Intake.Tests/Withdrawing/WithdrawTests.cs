using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Referrals.Contracts.Intake;
using Referrals.Intake.Referrals;
using Referrals.Intake.Tests.Tracking;

namespace Referrals.Intake.Tests.Withdrawing;

public sealed class WithdrawTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    private async Task<Upstream> SubmitAsync(MessageProbeScope scope, string? nhs = null)
    {
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs));
        var id = (await response.ReadObjectAsync()).ReferralId();
        return new Upstream(await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id));
    }

    private static HttpRequestMessage Withdraw(Guid id, string? reason, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/referrals/{id}/withdraw")
        {
            Content = Http.Json(reason is null ? new JsonObject() : new JsonObject { ["reason"] = reason }),
        };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }

        return request;
    }

    [Fact]
    public async Task The_referrer_withdraws_its_referral_with_a_reason_and_the_journey_stops()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var up = await SubmitAsync(scope, nhs);
        var id = up.Referral.ReferralId;

        var response = await App.Referrer(TestData.Practice).SendAsync(Withdraw(id, "Referred to the wrong service by mistake", "\"1\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Withdrawn", (await response.ReadObjectAsync())["status"]!.GetValue<string>());
        var withdrawn = await scope.Probe.WaitForAsync<ReferralWithdrawn>(m => m.ReferralId == id);
        Assert.Equal("Referred to the wrong service by mistake", withdrawn.Reason);
        Assert.Equal(up.Referral.JourneyId, withdrawn.JourneyId);
        Assert.Equal(up.Referral.PersonId, withdrawn.PersonId);
        var view = await (await App.Referrer(TestData.Practice).GetAsync(new Uri($"/referrals/{id}", UriKind.Relative))).ReadObjectAsync();
        Assert.Equal("Withdrawn", view["status"]!.GetValue<string>());
        Assert.Equal("Referred to the wrong service by mistake", view["withdrawalReason"]!.GetValue<string>());

        // The person's journey ended with it: a later referral opens a new one.
        var again = await SubmitAsync(scope, nhs);
        Assert.Equal(up.Referral.JourneyId, again.Referral.PreviousJourneyId);
    }

    [Fact]
    public async Task Only_the_referring_organisation_can_withdraw()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope);

        var response = await App.Referrer("B86004").SendAsync(Withdraw(up.Referral.ReferralId, "Not ours to withdraw"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ReferralStatus.Submitted, (await App.LoadReferralAsync(up.Referral.ReferralId))!.Status);
    }

    [Fact]
    public async Task A_withdrawal_needs_a_reason()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope);

        var response = await App.Referrer(TestData.Practice).SendAsync(Withdraw(up.Referral.ReferralId, null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("reason"));
    }

    [Fact]
    public async Task Withdrawing_twice_is_a_conflict_and_a_stale_If_Match_a_failed_precondition()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope);
        var client = App.Referrer(TestData.Practice);

        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(Withdraw(up.Referral.ReferralId, "Changed my mind", "\"7\""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Withdraw(up.Referral.ReferralId, "Changed my mind"))).StatusCode);
        var again = await client.SendAsync(Withdraw(up.Referral.ReferralId, "Changed my mind"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Once_the_person_has_started_with_a_worker_withdrawal_leaves_the_journey_open()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var up = await SubmitAsync(scope, nhs);
        await scope.Bus.PublishAsync(up.Opened(2));
        await App.WaitForReferralAsync(up.Referral.ReferralId, r => r.Status == ReferralStatus.JourneyOpened);

        Assert.Equal(HttpStatusCode.OK, (await App.Referrer(TestData.Practice).SendAsync(Withdraw(up.Referral.ReferralId, "No longer needed"))).StatusCode);

        var next = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs));
        Assert.Equal("LinkedToOpenJourney", (await next.ReadObjectAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Withdrawing_a_referral_that_joined_an_open_journey_leaves_that_journey_open()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        await SubmitAsync(scope, nhs);
        var joined = await (await App.Referrer("B86003").PostJsonAsync("/referrals", TestData.Referral(nhs, referrerOds: "B86003"))).ReadObjectAsync();
        Assert.Equal("LinkedToOpenJourney", joined["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await App.Referrer("B86003").SendAsync(Withdraw(joined.ReferralId(), "Duplicate"))).StatusCode);

        var next = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs));
        Assert.Equal("LinkedToOpenJourney", (await next.ReadObjectAsync())["status"]!.GetValue<string>());
    }
}
