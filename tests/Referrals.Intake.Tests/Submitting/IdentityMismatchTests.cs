using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Referrals.EventStore;
using Referrals.Intake.Fhir;
using Referrals.Intake.People;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting;

namespace Referrals.Intake.Tests.Submitting;

/// <summary>
/// A referral whose date of birth or family name differs from the details held for its NHS number is not linked
/// silently (HAZ-003 C3): the referrer checks and confirms, or it goes ahead as a person of its own.
/// </summary>
public sealed class IdentityMismatchTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    private async Task<Guid> PersonReferredAsync(string nhs, string dateOfBirth = "1958-03-14")
    {
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals",
            TestData.Referral(nhs).With("person.dateOfBirth", dateOfBirth));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await App.LoadReferralAsync((await response.ReadObjectAsync()).ReferralId()))!.PersonId;
    }

    private static HttpRequestMessage Post(string path, HttpContent content, string? confirmed)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (confirmed is not null)
        {
            request.Headers.Add(IdentityCheck.ConfirmationHeader, confirmed);
        }

        return request;
    }

    [Fact]
    public async Task A_referral_whose_date_of_birth_differs_is_refused_until_the_referrer_confirms_and_then_joins_the_person()
    {
        var nhs = TestData.NhsNumber();
        var personId = await PersonReferredAsync(nhs);
        var referrer = App.Referrer(TestData.Practice);
        var differing = TestData.Referral(nhs).With("person.dateOfBirth", "1985-03-14").With("risk.notes", null);
        var referralsBefore = await App.CountEventsAsync("referral_received");

        var refused = await referrer.SendAsync(Post("/referrals", Http.Json(differing), confirmed: null));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Contains(IdentityCheck.ConfirmationHeader, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("1958", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("1985", problem, StringComparison.Ordinal);
        Assert.Equal(referralsBefore, await App.CountEventsAsync("referral_received"));

        var confirmed = await referrer.SendAsync(Post("/referrals", Http.Json(differing), confirmed: "true"));

        Assert.Equal(HttpStatusCode.Accepted, confirmed.StatusCode);
        var id = (await confirmed.ReadObjectAsync()).ReferralId();
        Assert.Equal(personId, (await App.LoadReferralAsync(id))!.PersonId);
        var shown = await (await referrer.GetAsync(new Uri($"/referrals/{id}", UriKind.Relative))).ReadObjectAsync();
        Assert.Equal(IdentityCheck.DateOfBirth, shown["identityMismatch"]!["fields"]![0]!.GetValue<string>());
        Assert.True(shown["identityMismatch"]!["linked"]!.GetValue<bool>());

        // The confirmed details are now the ones held: the next referral with them needs no confirmation.
        var next = await referrer.SendAsync(Post("/referrals", Http.Json(differing), confirmed: null));
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
    }

    [Fact]
    public async Task A_fhir_referral_whose_details_differ_is_refused_with_an_operation_outcome_until_confirmed()
    {
        var nhs = TestData.NhsNumber();
        var personId = await PersonReferredAsync(nhs, dateOfBirth: "1985-03-14");
        var gpSystem = App.Host.ClientFor(Roles.ClinicalSystem, (ReferralsClaims.OdsCode, TestData.Practice));

        var refused = await gpSystem.SendAsync(Post("/fhir/ServiceRequest", Http.Json(TestFhir.ServiceRequest(nhs), IntakeFhir.MediaType), null));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var outcome = await refused.Content.ReadAsStringAsync();
        Assert.Equal("OperationOutcome", JsonNode.Parse(outcome)!["resourceType"]!.GetValue<string>());
        Assert.DoesNotContain("1958", outcome, StringComparison.Ordinal);
        Assert.DoesNotContain("1985", outcome, StringComparison.Ordinal);

        var confirmed = await gpSystem.SendAsync(Post("/fhir/ServiceRequest", Http.Json(TestFhir.ServiceRequest(nhs), IntakeFhir.MediaType), "true"));

        Assert.Equal(HttpStatusCode.Accepted, confirmed.StatusCode);
        var id = TestFhir.ReferralIdOf(confirmed);
        Assert.Equal(personId, (await App.LoadReferralAsync(id))!.PersonId);
    }

    [Fact]
    public async Task A_self_referral_whose_details_differ_goes_ahead_as_a_person_of_its_own_saying_nothing_of_who_is_held()
    {
        var nhs = TestData.NhsNumber();
        var personId = await PersonReferredAsync(nhs);

        var response = await App.Anonymous().PostJsonAsync("/self-referrals",
            TestData.SelfReferral(nhs).With("person.familyName", "Byrne").With("person.dateOfBirth", "1985-03-14"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("identity", body, StringComparison.OrdinalIgnoreCase);
        var referral = (await App.LoadReferralAsync(JsonNode.Parse(body)!.AsObject().ReferralId()))!;
        Assert.NotEqual(personId, referral.PersonId);
        Assert.Null(referral.PersonIndexId);
        Assert.False(referral.IdentityMismatch!.Linked);
    }

    [Fact]
    public async Task Only_a_confirmation_header_of_true_confirms_and_no_header_value_turns_a_referral_away()
    {
        var nhs = TestData.NhsNumber();
        await PersonReferredAsync(nhs);
        var referrer = App.Referrer(TestData.Practice);

        var unconfirmed = await referrer.SendAsync(Post("/referrals",
            Http.Json(TestData.Referral(nhs).With("person.familyName", "Byrne").With("risk.notes", null)), confirmed: "yes"));
        var matching = await referrer.SendAsync(Post("/referrals", Http.Json(TestData.Referral()), confirmed: "not a boolean"));

        Assert.Equal(HttpStatusCode.Conflict, unconfirmed.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, matching.StatusCode);
    }

    [Fact]
    public async Task A_referral_confirmed_by_mistake_and_withdrawn_does_not_become_the_person_s_details()
    {
        var nhs = TestData.NhsNumber();
        var personId = await PersonReferredAsync(nhs);
        var referrer = App.Referrer(TestData.Practice);
        var mistaken = await referrer.SendAsync(Post("/referrals",
            Http.Json(TestData.Referral(nhs).With("person.dateOfBirth", "1985-03-14").With("programme", "wellbeing-a").With("registeredPracticeOds", "Y99999")
                .With("referrer.organisationId", TestData.Practice)), confirmed: "true"));
        Assert.Equal(HttpStatusCode.Accepted, mistaken.StatusCode);
        var withdrawn = await referrer.PostJsonAsync($"/referrals/{(await mistaken.ReadObjectAsync()).ReferralId()}/withdraw",
            new JsonObject { ["reason"] = "Wrong NHS number: another person." });
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);

        var again = await referrer.PostJsonAsync("/referrals", TestData.Referral(nhs).With("risk.notes", null));

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(personId, (await App.LoadReferralAsync((await again.ReadObjectAsync()).ReferralId()))!.PersonId);
    }

    [Fact]
    public async Task A_referral_while_the_person_s_erasure_is_under_way_is_a_person_of_its_own()
    {
        var nhs = TestData.NhsNumber();
        var personId = await PersonReferredAsync(nhs);
        // The key is destroyed first; the person index forgets the person after.
        await App.Host.Services.GetRequiredService<DocumentStore>().ErasePersonAsync(personId);

        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs).With("risk.notes", null));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var referral = (await App.LoadReferralAsync((await response.ReadObjectAsync()).ReferralId()))!;
        Assert.NotEqual(personId, referral.PersonId);
        Assert.Equal(new[] { IdentityCheck.NothingHeld }, referral.IdentityMismatch!.Fields);
    }
}
