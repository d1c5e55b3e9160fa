using System.Net;
using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.Tests.SelfReferring;

public sealed class SelfReferralTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    private static void AssertCrisisRoutes(JsonNode? crisis)
    {
        Assert.NotNull(crisis);
        var text = crisis!.ToJsonString();
        Assert.Contains("not an emergency service", crisis["statement"]!.GetValue<string>(), StringComparison.Ordinal);
        var routes = crisis["routes"]!.AsArray();
        Assert.Contains(routes, r => r!["phone"]!.GetValue<string>() == "999");
        Assert.Contains(routes, r => r!["phone"]!.GetValue<string>() == "111" && r["service"]!.GetValue<string>().Contains("option 2", StringComparison.Ordinal));
        Assert.Contains(routes, r => r!["phone"]!.GetValue<string>() == "116 123" && r["service"]!.GetValue<string>() == "Samaritans");
        Assert.NotEmpty(text);
    }

    [Fact]
    public async Task A_self_referral_that_indicates_risk_returns_the_crisis_routes_in_the_same_response()
    {
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted));
        var response = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral(atRisk: true));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.ReadObjectAsync();
        AssertCrisisRoutes(body["crisisSupport"]);

        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == body.ReferralId());
        Assert.True(submitted.Risk.RiskOfHarmToSelf);
        Assert.Equal(Urgency.Urgent, submitted.Urgency);
        Assert.Equal(ReferrerKind.Self, submitted.Referrer.Kind);
        Assert.Equal(ConsentAuthority.Person, submitted.Consent!.Authority);
    }

    [Fact]
    public async Task A_self_referral_without_risk_still_says_plainly_that_this_is_not_an_emergency_service()
    {
        var response = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Contains("not an emergency service", body["statement"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(body["crisisSupport"]);
    }

    [Fact]
    public async Task A_self_referral_that_fails_validation_but_indicates_risk_still_gets_the_crisis_routes()
    {
        var response = await App.Anonymous().PostJsonAsync("/self-referrals",
            TestData.SelfReferral(atRisk: true).With("person.dateOfBirth", "2999-01-01").With("consent.agreed", false));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadObjectAsync();
        Assert.True(body["errors"]!.AsObject().ContainsKey("person.dateOfBirth"));
        Assert.True(body["errors"]!.AsObject().ContainsKey("consent.agreed"));
        AssertCrisisRoutes(body["crisisSupport"]);
    }

    [Fact]
    public async Task Even_a_broken_self_referral_body_that_indicates_risk_gets_the_crisis_routes()
    {
        var broken = TestData.SelfReferral(atRisk: true).ToJsonString();
        broken = broken[..(broken.IndexOf("\"riskOfHarmToOthers\"", StringComparison.Ordinal) - 1)];
        var response = await App.Anonymous().PostAsync(new Uri("/self-referrals", UriKind.Relative), Http.Raw(broken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertCrisisRoutes((await response.ReadObjectAsync())["crisisSupport"]);
    }

    [Fact]
    public async Task A_self_referral_needs_no_token_nor_NHS_number_and_takes_its_programme_from_the_practice()
    {
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted));
        var response = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral(nhsNumber: null));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();
        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);
        Assert.Null(submitted.Person!.NhsNumber);
        Assert.Equal(TestData.OtherPractice, submitted.RegisteredPracticeOds);
        Assert.Equal(TestData.Programme, submitted.ProgrammeId);
        Assert.Equal(ConsentScope.CodedOnly, submitted.Consent!.SharingScope);
    }

    [Fact]
    public async Task A_self_referral_matching_someone_with_an_open_journey_is_a_person_of_its_own_on_a_new_journey_and_the_answer_does_not_say_so()
    {
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted), typeof(ReferralLinkedToOpenJourney));
        var nhs = TestData.NhsNumber();
        var first = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs));
        var held = (await App.LoadReferralAsync((await first.ReadObjectAsync()).ReferralId()))!;

        // Date of birth and family name match those held (HAZ-003 C3), as anyone who knows the person could make them;
        // the contact details are the caller's.
        var response = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral(nhs, atRisk: true)
            .With("person.familyName", "O'Brien").With("person.dateOfBirth", "1958-03-14").With("person.email", "caller@example.org"));

        var body = await response.ReadObjectAsync();
        Assert.Equal("Submitted", body["status"]!.GetValue<string>()); // the answer a stranger to the person gets too
        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == body.ReferralId());
        Assert.NotEqual(held.PersonId, submitted.PersonId);
        Assert.NotEqual(held.JourneyId, submitted.JourneyId);
        Assert.Null(submitted.PreviousJourneyId);
        Assert.Equal("caller@example.org", submitted.Person!.Email); // the caller's details, on the caller's own journey only
        Assert.True(submitted.Risk.RiskOfHarmToSelf); // triaged like any new referral: the risk escalates, it is not lost
        var self = (await App.LoadReferralAsync(body.ReferralId()))!;
        Assert.Equal((ReferralStatus.Submitted, (Guid?)null), (self.Status, self.PersonIndexId));
        Assert.DoesNotContain(probe.All<ReferralLinkedToOpenJourney>(), m => m.ReferralId == self.Id);
    }

    [Fact]
    public async Task A_referrer_s_referral_after_a_self_referral_for_the_same_NHS_number_is_not_linked_to_the_person_the_caller_made()
    {
        var nhs = TestData.NhsNumber();
        var caller = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral(nhs)
            .With("person.familyName", "O'Brien").With("person.dateOfBirth", "1958-03-14").With("registeredPracticeOds", TestData.Practice));
        var self = (await App.LoadReferralAsync((await caller.ReadObjectAsync()).ReferralId()))!;

        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs));

        var body = await response.ReadObjectAsync();
        Assert.Equal("Submitted", body["status"]!.GetValue<string>()); // not LinkedToOpenJourney: the self-referral indexed nothing
        var referral = (await App.LoadReferralAsync(body.ReferralId()))!;
        Assert.NotEqual(self.PersonId, referral.PersonId);
        Assert.NotEqual(self.JourneyId, referral.JourneyId);
    }

    [Fact]
    public async Task Nobody_can_read_a_self_referral_back_through_the_referrer_API()
    {
        var response = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral());
        var id = (await response.ReadObjectAsync()).ReferralId();

        var read = await App.Referrer(TestData.OtherPractice).GetAsync(new Uri($"/referrals/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task A_token_naming_the_self_referral_placeholder_as_its_organisation_reads_no_self_referral_and_hears_of_none()
    {
        var response = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral(atRisk: true));
        var id = (await response.ReadObjectAsync()).ReferralId();

        // "SELF" has the shape of an ODS code, so a sign-in could carry it: it must not open every self-referral.
        var self = App.Referrer("SELF");
        Assert.Equal(HttpStatusCode.NotFound, (await self.GetAsync(new Uri($"/referrals/{id}", UriKind.Relative))).StatusCode);
        var list = await self.GetAsync(new Uri("/referrals", UriKind.Relative));
        Assert.DoesNotContain(id.ToString(), await list.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var webhook = await self.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/webhooks")
        {
            Content = Http.Json(new JsonObject { ["url"] = "http://127.0.0.1:9/hooks/self" }),
        });
        Assert.NotEqual(HttpStatusCode.OK, webhook.StatusCode);
    }

    [Fact]
    public async Task When_several_programmes_serve_the_practice_the_self_referrer_names_one()
    {
        var ambiguous = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral().With("registeredPracticeOds", "Y99999"));
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        Assert.True((await ambiguous.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("programme"));

        var named = await App.Anonymous().PostJsonAsync("/self-referrals",
            TestData.SelfReferral().With("registeredPracticeOds", "Y99999").With("programme", "wellbeing-b"));
        Assert.Equal(HttpStatusCode.Accepted, named.StatusCode);
    }
}

public sealed class RateLimitedFixture : IntakeFixture
{
    protected override IDictionary<string, string?> Settings(global::Referrals.Testing.InfrastructureEndpoints infrastructure) => new Dictionary<string, string?>
    {
        ["Intake:SelfReferral:PermitLimit"] = "3",
        ["Intake:SelfReferral:WindowSeconds"] = "3600",
    };
}

public sealed class SelfReferralRateLimitTests(RateLimitedFixture fixture) : IClassFixture<RateLimitedFixture>
{
    private IntakeApp App => fixture.App;

    private async Task<HttpResponseMessage> SelfReferFromAsync(string address, JsonNode body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/self-referrals") { Content = Http.Json(body) };
        request.Headers.Add(IntakeApp.TestRemoteIpHeader, address);
        return await App.Anonymous().SendAsync(request);
    }

    [Fact]
    public async Task Self_referrals_are_limited_per_client_with_a_429_problem_that_still_carries_the_crisis_routes()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SelfReferFromAsync("203.0.113.7", TestData.SelfReferral())).StatusCode);
        }

        var refused = await SelfReferFromAsync("203.0.113.7", TestData.SelfReferral(atRisk: true));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter is not null);
        var problem = await refused.ReadObjectAsync();
        Assert.Equal(429, problem["status"]!.GetValue<int>());
        Assert.Contains("999", problem["crisisSupport"]!.ToJsonString(), StringComparison.Ordinal);

        // Another client is not affected.
        Assert.Equal(HttpStatusCode.Accepted, (await SelfReferFromAsync("198.51.100.20", TestData.SelfReferral())).StatusCode);
    }
}
