using System.Diagnostics;
using System.Net;
using Referrals.Contracts.Intake;
using Xunit.Abstractions;

namespace Referrals.Intake.Tests.Submitting;

public sealed class ConcurrencyFixture : IntakeFixture
{
    // A bounded pool: a hundred simultaneous requests queue for connections instead of taking a hundred of the server's.
    protected override IDictionary<string, string?> Settings(global::Referrals.Testing.InfrastructureEndpoints infrastructure) => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = infrastructure.PostgresConnectionString + ";Maximum Pool Size=30",
    };
}

public sealed class ConcurrencyTests(ConcurrencyFixture fixture, ITestOutputHelper output) : IClassFixture<ConcurrencyFixture>
{
    private IntakeApp App => fixture.App;

    [Fact]
    public async Task A_hundred_concurrent_submissions_with_one_Idempotency_Key_yield_one_referral_and_one_ReferralSubmitted()
    {
        var client = App.Referrer(TestData.Practice);
        await WarmUpAsync(client);
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted), typeof(ReferralLinkedToOpenJourney));
        var key = Guid.NewGuid().ToString();
        var body = TestData.Referral();
        var before = await App.CountEventsAsync("referral_received");

        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.PostJsonAsync("/referrals", body, key)));
        output.WriteLine($"100 concurrent submissions with one key: {clock.ElapsedMilliseconds} ms");

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = new HashSet<Guid>();
        var replays = 0;
        foreach (var response in responses)
        {
            var answer = await response.ReadObjectAsync();
            ids.Add(answer.ReferralId());
            replays += answer["replayed"]!.GetValue<bool>() ? 1 : 0;
        }

        var id = Assert.Single(ids);
        Assert.Equal(99, replays);
        Assert.Equal(before + 1, await App.CountEventsAsync("referral_received"));
        await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);
        await Task.Delay(1000); // anything extra would have arrived by now
        Assert.Single(probe.All<ReferralSubmitted>(), m => m.Person?.NhsNumber == body["person"]!["nhsNumber"]!.GetValue<string>());
        Assert.Empty(probe.All<ReferralLinkedToOpenJourney>());
    }

    /// <summary>One submission first, so the timings measure contention rather than the first request's start-up.</summary>
    private static async Task WarmUpAsync(HttpClient client) =>
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostJsonAsync("/referrals", TestData.Referral())).StatusCode);

    [Fact]
    public async Task Twenty_concurrent_submissions_for_one_person_and_programme_open_one_journey()
    {
        var client = App.Referrer(TestData.Practice);
        await WarmUpAsync(client);
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted), typeof(ReferralLinkedToOpenJourney));
        var nhs = TestData.NhsNumber();

        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.PostJsonAsync("/referrals", TestData.Referral(nhs).With("reasonText", $"Referral {i}"), Guid.NewGuid().ToString())));
        output.WriteLine($"20 concurrent submissions for one person: {clock.ElapsedMilliseconds} ms");

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var statuses = new List<string>();
        foreach (var response in responses)
        {
            statuses.Add((await response.ReadObjectAsync())["status"]!.GetValue<string>());
        }

        Assert.Single(statuses, s => s == "Submitted");
        Assert.Equal(19, statuses.Count(s => s == "LinkedToOpenJourney"));

        var opened = await probe.WaitForAsync<ReferralSubmitted>(m => m.Person?.NhsNumber == nhs);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (probe.All<ReferralLinkedToOpenJourney>().Count < 19 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var linked = probe.All<ReferralLinkedToOpenJourney>();
        Assert.Equal(19, linked.Count);
        Assert.All(linked, l => Assert.Equal(opened.JourneyId, l.JourneyId));
        Assert.All(linked, l => Assert.Equal(opened.PersonId, l.PersonId));
        Assert.Single(probe.All<ReferralSubmitted>(), m => m.Person?.NhsNumber == nhs);
        Assert.Equal(1, await App.ScalarAsync(
            $"select count(*) from {{schema}}.mt_events where type = 'journey_started' and data->>'personId' = '{opened.PersonId}'"));
    }
}
