using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting;

namespace Referrals.Intake.Tests.RequestingErasure;

/// <summary>Who may ask for a person's erasure, and what everyone else learns from asking: nothing about whether the person is held.</summary>
public sealed class RequestErasureEndpointTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    private HttpClient Officer => App.Host.ClientFor(Roles.DataProtectionOfficer);

    private HttpClient TeamLead(string programme) => App.Host.ClientFor(Roles.TeamLead, (ReferralsClaims.Programme, programme));

    private HttpClient LinkWorker(string programme) =>
        App.Host.ClientFor(Roles.LinkWorker, (ReferralsClaims.Programme, programme), (ReferralsClaims.LinkWorkerId, "lw-erasure"));

    private async Task<Guid> ReferAsync()
    {
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await App.LoadReferralAsync((await response.ReadObjectAsync()).ReferralId()))!.PersonId;
    }

    private static async Task<(HttpStatusCode Status, string? Detail)> RequestAsync(HttpClient client, Guid personId)
    {
        var response = await client.PostJsonAsync($"/people/{personId}/erasure-requests", new JsonObject { ["ground"] = "ConsentWithdrawn" });
        var body = await response.ReadObjectAsync();
        return (response.StatusCode, body["detail"]?.GetValue<string>());
    }

    [Fact]
    public async Task The_referring_organisation_staff_of_the_programme_and_an_officer_can_ask_for_erasure()
    {
        var person = await ReferAsync();

        Assert.Equal(HttpStatusCode.Created, (await RequestAsync(App.Referrer(TestData.Practice), person)).Status);
        Assert.Equal(HttpStatusCode.Created, (await RequestAsync(LinkWorker(TestData.Programme), person)).Status);
        Assert.Equal(HttpStatusCode.Created, (await RequestAsync(TeamLead(TestData.Programme), person)).Status);
        Assert.Equal(HttpStatusCode.Created, (await RequestAsync(Officer, person)).Status);
    }

    [Fact]
    public async Task Anyone_else_asking_gets_the_answer_for_an_unknown_person_and_nothing_is_recorded()
    {
        var person = await ReferAsync();
        var unknown = await RequestAsync(Officer, Guid.NewGuid());
        Assert.Equal(HttpStatusCode.Conflict, unknown.Status);
        var requestsBefore = await App.CountEventsAsync("erasure_requested");

        Assert.Equal(unknown, await RequestAsync(App.Referrer(TestData.OtherPractice), person));
        Assert.Equal(unknown, await RequestAsync(App.Agency(TestData.Agency), person));
        Assert.Equal(unknown, await RequestAsync(LinkWorker("east-bradford"), person));
        Assert.Equal(unknown, await RequestAsync(TeamLead("east-bradford"), person));
        Assert.Equal(requestsBefore, await App.CountEventsAsync("erasure_requested"));
    }

    [Fact]
    public async Task A_sign_in_naming_the_self_referral_placeholder_gets_the_unknown_person_answer_for_a_self_referred_person_and_nothing_is_recorded()
    {
        var response = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral());
        var person = (await App.LoadReferralAsync((await response.ReadObjectAsync()).ReferralId()))!.PersonId;
        var unknown = await RequestAsync(Officer, Guid.NewGuid());
        var requestsBefore = await App.CountEventsAsync("erasure_requested");

        // "SELF" has the shape of an ODS code, so a sign-in could carry it (HAZ-019); in any case it acts for nobody.
        Assert.Equal(unknown, await RequestAsync(App.Referrer("SELF"), person));
        Assert.Equal(unknown, await RequestAsync(App.Referrer("self"), person));
        Assert.Equal(requestsBefore, await App.CountEventsAsync("erasure_requested"));
        Assert.Equal(HttpStatusCode.Created, (await RequestAsync(Officer, person)).Status); // the person is held
    }

    [Fact]
    public async Task A_referrer_cannot_tell_an_erased_person_from_an_unknown_one()
    {
        var person = await ReferAsync();
        await App.Host.Services.GetRequiredService<DocumentStore>().ErasePersonAsync(person);

        var officer = await RequestAsync(Officer, person);
        Assert.Equal(HttpStatusCode.Conflict, officer.Status);
        Assert.NotEqual((await RequestAsync(Officer, Guid.NewGuid())).Detail, officer.Detail);

        using var otherPractice = App.Referrer(TestData.OtherPractice);
        Assert.Equal(await RequestAsync(otherPractice, Guid.NewGuid()), await RequestAsync(otherPractice, person));
    }

    [Fact]
    public async Task Programme_admins_and_clinical_systems_cannot_ask_for_erasure()
    {
        var person = await ReferAsync();

        Assert.Equal(HttpStatusCode.Forbidden,
            (await App.Host.ClientFor(Roles.ProgrammeAdmin, (ReferralsClaims.Programme, TestData.Programme))
                .PostJsonAsync($"/people/{person}/erasure-requests", new JsonObject { ["ground"] = "ConsentWithdrawn" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await App.Host.ClientFor(Roles.ClinicalSystem, (ReferralsClaims.OdsCode, TestData.Practice))
                .PostJsonAsync($"/people/{person}/erasure-requests", new JsonObject { ["ground"] = "ConsentWithdrawn" })).StatusCode);
    }
}
