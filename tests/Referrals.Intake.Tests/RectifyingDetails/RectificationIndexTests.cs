using System.Net;
using System.Text.Json.Nodes;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Referrals;
using Referrals.Intake.Tests.Tracking;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting;
using Xunit.Abstractions;

namespace Referrals.Intake.Tests.RectifyingDetails;

/// <summary>
/// An NHS number added by rectification (a self-referral made without one, traced later) indexes the person, so the
/// next referral for the number joins their record instead of opening a second (HAZ-014 C3).
/// </summary>
public sealed class RectificationIndexTests(IntakeFixture fixture, ITestOutputHelper output) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    private HttpClient Officer => App.Host.ClientFor(Roles.DataProtectionOfficer);

    private static Guid IndexIdFor(string nhs) => BlindIndex.FromBase64(TestSecrets.BlindIndexKey).ComputeGuid("nhs-number", nhs);

    /// <summary>A self-referral without an NHS number (programme north-leeds, through practice B86002), as the person it made.</summary>
    private async Task<Upstream> SelfReferWithoutNhsNumberAsync(MessageProbeScope scope)
    {
        var response = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral(nhsNumber: null));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();
        return new Upstream(await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id));
    }

    /// <summary>The self-referrer's details with the traced NHS number, as the officer sends them.</summary>
    private static JsonObject TracedDetails(string nhs) => new()
    {
        ["person"] = TestData.SelfReferral(nhs)["person"]!.DeepClone(),
    };

    /// <summary>The GP's referral of the same person: the traced NHS number, the same family name and date of birth.</summary>
    private static JsonObject GpReferral(string nhs) =>
        TestData.Referral(nhs).With("person.givenName", "Sam").With("person.familyName", "Okafor").With("person.dateOfBirth", "1990-07-01");

    [Fact]
    public async Task After_rectification_adds_the_traced_NHS_number_to_a_self_referred_person_the_GP_s_referral_joins_their_open_journey()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var self = await SelfReferWithoutNhsNumberAsync(scope);
        var nhs = TestData.NhsNumber();

        var rectified = await Officer.PostJsonAsync($"/people/{self.Referral.PersonId}/rectification", TracedDetails(nhs));
        Assert.Equal(HttpStatusCode.OK, rectified.StatusCode);

        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", GpReferral(nhs));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal("LinkedToOpenJourney", body["status"]!.GetValue<string>());
        var linked = await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.ReferralId == body.ReferralId());
        Assert.Equal((self.Referral.PersonId, self.Referral.JourneyId), (linked.PersonId, linked.JourneyId));
        Assert.Equal(IndexIdFor(nhs), (await App.LoadReferralAsync(self.Referral.ReferralId))!.PersonIndexId);
    }

    [Fact]
    public async Task After_the_rectified_person_s_journey_closes_the_GP_s_referral_opens_a_new_journey_for_them_naming_the_closed_one()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var self = await SelfReferWithoutNhsNumberAsync(scope);
        var nhs = TestData.NhsNumber();
        Assert.Equal(HttpStatusCode.OK, (await Officer.PostJsonAsync($"/people/{self.Referral.PersonId}/rectification", TracedDetails(nhs))).StatusCode);

        // The referral now names the index entry, so its journey's end reaches it (not a journey left open for ever).
        await scope.Bus.PublishAsync(self.Closed(9));
        await App.WaitForReferralAsync(self.Referral.ReferralId, r => r.Status == ReferralStatus.Closed);
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", GpReferral(nhs));

        var body = await response.ReadObjectAsync();
        Assert.Equal("Submitted", body["status"]!.GetValue<string>());
        var submitted = await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == body.ReferralId());
        Assert.Equal(self.Referral.PersonId, submitted.PersonId);
        Assert.Equal(self.Referral.JourneyId, submitted.PreviousJourneyId);
        Assert.NotEqual(self.Referral.JourneyId, submitted.JourneyId);
    }

    [Fact]
    public async Task Rectification_to_an_NHS_number_held_for_another_person_answers_409_naming_nobody_and_changes_nothing()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var gp = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", GpReferral(nhs));
        var other = (await App.LoadReferralAsync((await gp.ReadObjectAsync()).ReferralId()))!;
        var self = await SelfReferWithoutNhsNumberAsync(scope);
        var before = (await App.LoadReferralAsync(self.Referral.ReferralId))!;
        var eventsBefore = await App.CountEventsAsync();

        var response = await Officer.PostJsonAsync($"/people/{self.Referral.PersonId}/rectification", TracedDetails(nhs));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("held for another person", text, StringComparison.Ordinal);
        foreach (var personal in new[] { nhs, "Okafor", other.PersonId.ToString(), other.JourneyId.ToString() })
        {
            Assert.DoesNotContain(personal, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(eventsBefore, await App.CountEventsAsync());
        var after = (await App.LoadReferralAsync(self.Referral.ReferralId))!;
        Assert.Equal((before.Version, (string?)null, (Guid?)null), (after.Version, after.Person!.NhsNumber, after.PersonIndexId));
        // The number still leads to the person it was held for.
        var next = await (await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", GpReferral(nhs))).ReadObjectAsync();
        var linked = await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.ReferralId == next.ReferralId());
        Assert.Equal((other.PersonId, other.JourneyId), (linked.PersonId, linked.JourneyId));
    }

    [Fact]
    public async Task A_rectification_and_a_GP_referral_racing_for_one_NHS_number_never_both_claim_it()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var races = new List<(Upstream Self, string Nhs)>();
        for (var i = 0; i < 10; i++)
        {
            races.Add((await SelfReferWithoutNhsNumberAsync(scope), TestData.NhsNumber()));
        }

        var outcomes = await Task.WhenAll(races.Select(async race =>
        {
            var rectifying = Officer.PostJsonAsync($"/people/{race.Self.Referral.PersonId}/rectification", TracedDetails(race.Nhs));
            var referring = App.Referrer(TestData.Practice).PostJsonAsync("/referrals", GpReferral(race.Nhs));
            var (rectified, referred) = (await rectifying, await referring);
            var referral = (await App.LoadReferralAsync((await referred.ReadObjectAsync()).ReferralId()))!;
            return (race.Self, Rectified: rectified.StatusCode, Detail: await rectified.Content.ReadAsStringAsync(), Referral: referral);
        }));

        output.WriteLine($"{outcomes.Count(o => o.Rectified == HttpStatusCode.OK)} of {outcomes.Length} races won by the rectification");
        foreach (var (self, rectified, detail, referral) in outcomes)
        {
            if (rectified == HttpStatusCode.OK)
            {
                // The rectification claimed the number first: the GP's referral joined the person's open journey.
                Assert.Equal((self.Referral.PersonId, self.Referral.JourneyId, ReferralStatus.LinkedToOpenJourney),
                    (referral.PersonId, referral.JourneyId, referral.Status));
            }
            else
            {
                // The referral claimed it first: the rectification is refused as held for another person, not lost in the race.
                Assert.Equal(HttpStatusCode.Conflict, rectified);
                Assert.Contains("held for another person", detail, StringComparison.Ordinal);
                Assert.NotEqual(self.Referral.PersonId, referral.PersonId);
                Assert.Null((await App.LoadReferralAsync(self.Referral.ReferralId))!.PersonIndexId);
            }
        }
    }
}
