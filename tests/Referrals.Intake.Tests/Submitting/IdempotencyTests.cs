using System.Net;

namespace Referrals.Intake.Tests.Submitting;

public sealed class IdempotencyTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    [Fact]
    public async Task The_same_key_with_the_same_body_returns_the_same_referral()
    {
        var key = Guid.NewGuid().ToString();
        var body = TestData.Referral();
        var client = App.Referrer(TestData.Practice);

        var first = await client.PostJsonAsync("/referrals", body, key);
        var second = await client.PostJsonAsync("/referrals", body.Copy(), key);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var answer = await second.ReadObjectAsync();
        Assert.True(answer["replayed"]!.GetValue<bool>());
        Assert.Equal((await first.ReadObjectAsync()).ReferralId(), answer.ReferralId());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_with_409()
    {
        var key = Guid.NewGuid().ToString();
        var client = App.Referrer(TestData.Practice);
        var body = TestData.Referral();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostJsonAsync("/referrals", body, key)).StatusCode);
        var before = await App.CountEventsAsync("referral_received");

        var response = await client.PostJsonAsync("/referrals", body.Copy().With("whatMatters", "Something else"), key);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await App.CountEventsAsync("referral_received"));
    }

    [Fact]
    public async Task Keys_belong_to_an_organisation_so_two_organisations_may_use_the_same_key()
    {
        var key = "referral-0001";
        var a = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(), key);
        var b = await App.Referrer("B86004").PostJsonAsync("/referrals", TestData.Referral(referrerOds: "B86004"), key);

        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        Assert.NotEqual((await a.ReadObjectAsync()).ReferralId(), (await b.ReadObjectAsync()).ReferralId());
    }
}
