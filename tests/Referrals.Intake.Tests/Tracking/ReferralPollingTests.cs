using System.Net;
using System.Text.Json.Nodes;
using Referrals.Intake.Tracking;
using Referrals.Testing;

namespace Referrals.Intake.Tests.Tracking;

/// <summary>
/// Intake on a test clock stopped at an instant finer than the database's microseconds, so referrals share an
/// <c>updatedAt</c> or differ by less than the store can tell apart.
/// </summary>
public sealed class PollingHost : IntakeFixture
{
    public TestClock Time { get; } = new(new DateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-10).UtcTicks / TimeSpan.TicksPerSecond *
        TimeSpan.TicksPerSecond + 1_234_567, TimeSpan.Zero));

    protected override TimeProvider? Clock => Time;
}

/// <summary>A referrer polling "what changed since" with <c>since</c> and the list's <c>next</c>, against the real store.</summary>
public sealed class ReferralPollingTests(PollingHost fixture) : IClassFixture<PollingHost>
{
    private const string Org = "B86003";

    private IntakeApp App => fixture.App;

    private async Task<Guid> SubmitAsync()
    {
        var response = await App.Referrer(Org).PostJsonAsync("/referrals", TestData.Referral(referrerOds: Org));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.ReadObjectAsync()).ReferralId();
    }

    private async Task<JsonObject> GetAsync(string uri)
    {
        var response = await App.Referrer(Org).GetAsync(new Uri(uri, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    /// <summary>Follows next from <paramref name="start"/> until a page comes back empty; every id listed, in order, and the last next.</summary>
    private async Task<(List<Guid> Seen, List<DateTimeOffset> At, string Next)> FollowAsync(string start)
    {
        var seen = new List<Guid>();
        var at = new List<DateTimeOffset>();
        var uri = start;
        for (var page = 0; page < 50; page++)
        {
            var list = await GetAsync(uri);
            var referrals = list["referrals"]!.AsArray();
            Assert.True(referrals.Count <= 2, list.ToJsonString());
            uri = list["next"]!.GetValue<string>();
            if (referrals.Count == 0)
            {
                return (seen, at, uri);
            }

            seen.AddRange(referrals.Select(r => r!["referralId"]!.GetValue<Guid>()));
            at.AddRange(referrals.Select(r => r!["updatedAt"]!.GetValue<DateTimeOffset>()));
        }

        throw new InvalidOperationException("next never came to an end.");
    }

    /// <summary>Moves the clock past the settling time, so the changes stamped so far are listed with since.</summary>
    private void Settle() => fixture.Time.UtcNow = fixture.Time.UtcNow.Add(ReferralQueryEndpoints.SettlingTime).AddSeconds(1);

    [Fact]
    public async Task Following_next_from_since_lists_every_change_once_oldest_first_however_many_exceed_the_limit_and_later_polls_see_only_newer_ones()
    {
        fixture.Time.UtcNow = fixture.Time.UtcNow.AddMinutes(1); // after the other test's referrals
        var since = fixture.Time.UtcNow;
        var submitted = new List<Guid>();
        // Three at one instant (the id orders them), two a tick apart (one microsecond to the store), two a millisecond on.
        for (var i = 0; i < 3; i++)
        {
            submitted.Add(await SubmitAsync());
        }

        fixture.Time.UtcNow = fixture.Time.UtcNow.AddTicks(1);
        submitted.Add(await SubmitAsync());
        fixture.Time.UtcNow = fixture.Time.UtcNow.AddTicks(1);
        submitted.Add(await SubmitAsync());
        for (var i = 0; i < 2; i++)
        {
            fixture.Time.UtcNow = fixture.Time.UtcNow.AddMilliseconds(1);
            submitted.Add(await SubmitAsync());
        }

        Settle();
        var (seen, at, next) = await FollowAsync($"/referrals?since={Uri.EscapeDataString(since.ToString("O"))}&limit=2");

        Assert.Equal(submitted.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        // Oldest first, as far as the store can tell (microseconds, rounded).
        var micros = at.Select(a => (a.UtcTicks + 5) / 10).ToList();
        Assert.Equal(micros.Order(), micros);

        // Polling later from the last next: only what changed after it, and again nothing twice.
        fixture.Time.UtcNow = fixture.Time.UtcNow.AddSeconds(1);
        var later = new[] { await SubmitAsync(), await SubmitAsync(), await SubmitAsync() };
        Settle();
        var (again, _, _) = await FollowAsync(next);
        Assert.Equal(later.Order(), again.Order());
        Assert.Equal(again.Count, again.Distinct().Count());
    }

    [Fact]
    public async Task With_since_a_change_younger_than_the_settling_time_is_not_listed_and_next_lists_it_once_the_clock_has_moved_past_it()
    {
        fixture.Time.UtcNow = fixture.Time.UtcNow.AddMinutes(1); // after the other tests' referrals
        var since = fixture.Time.UtcNow;
        var settled = await SubmitAsync();
        Settle();
        // Stamped just now: it may still be committing behind changes stamped after it, so it is held back.
        var young = await SubmitAsync();

        var (seen, _, next) = await FollowAsync($"/referrals?since={Uri.EscapeDataString(since.ToString("O"))}&limit=2");
        Assert.Equal([settled], seen);

        fixture.Time.UtcNow = fixture.Time.UtcNow.Add(ReferralQueryEndpoints.SettlingTime - TimeSpan.FromSeconds(1));
        Assert.Empty((await FollowAsync(next)).Seen);

        fixture.Time.UtcNow = fixture.Time.UtcNow.AddSeconds(2);
        Assert.Equal([young], (await FollowAsync(next)).Seen);
    }

    [Fact]
    public async Task Without_since_the_list_is_newest_first_and_offers_no_next_and_after_needs_since_and_an_id()
    {
        fixture.Time.UtcNow = fixture.Time.UtcNow.AddMinutes(1); // after the other test's referrals
        var first = await SubmitAsync();
        fixture.Time.UtcNow = fixture.Time.UtcNow.AddMilliseconds(1);
        var second = await SubmitAsync();

        var list = await GetAsync("/referrals?limit=2");
        Assert.Equal([second, first], list["referrals"]!.AsArray().Select(r => r!["referralId"]!.GetValue<Guid>()));
        Assert.Null(list["next"]);

        foreach (var query in new[] { $"after={first}", "since=2026-01-05T09:00:00Z&after=not-an-id" })
        {
            var bad = await App.Referrer(Org).GetAsync(new Uri("/referrals?" + query, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("after"), query);
        }
    }

    [Fact]
    public async Task The_OpenAPI_document_declares_after_and_next_on_the_list()
    {
        var document = await (await App.Anonymous().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).ReadObjectAsync();
        var parameters = document["paths"]!["/referrals"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>());
        Assert.Equal(["status", "since", "after", "limit"], parameters);
        var list = document["components"]!["schemas"]!["ReferralList"]!["properties"]!.AsObject();
        Assert.Equal(["null", "string"], list["next"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()));
    }
}
