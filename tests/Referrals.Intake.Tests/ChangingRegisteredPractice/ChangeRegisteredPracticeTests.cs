using System.Net;
using System.Text.Json.Nodes;
using Referrals.Contracts.Intake;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting;

namespace Referrals.Intake.Tests.ChangingRegisteredPractice;

public sealed class ChangeRegisteredPracticeTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    private HttpClient TeamLead(string programme = TestData.Programme) =>
        App.Host.ClientFor(Roles.TeamLead, (ReferralsClaims.Programme, programme));

    /// <summary>Submits a referral and returns its id and its person's.</summary>
    private async Task<(Guid ReferralId, Guid PersonId)> ReferAsync(string? nhs = null, string referrerOds = TestData.Practice)
    {
        var response = await App.Referrer(referrerOds).PostJsonAsync("/referrals", TestData.Referral(nhs, referrerOds: referrerOds));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();
        return (id, (await App.LoadReferralAsync(id))!.PersonId);
    }

    private static Task<HttpResponseMessage> ChangeAsync(HttpClient client, Guid personId, string? ods) =>
        client.PostJsonAsync($"/people/{personId}/registered-practice", new JsonObject { ["registeredPracticeOds"] = ods });

    /// <summary>One person referred by two practices: two referrals to take a move.</summary>
    private async Task<((Guid ReferralId, Guid PersonId) First, (Guid ReferralId, Guid PersonId) Second)> OnePersonReferredTwiceAsync()
    {
        var nhs = TestData.NhsNumber();
        var first = await ReferAsync(nhs);
        var second = await ReferAsync(nhs, "B86003");
        Assert.Equal(first.PersonId, second.PersonId);
        return (first, second);
    }

    private async Task<string> PracticeShownAsync(Guid referralId, string referrerOds = TestData.Practice) =>
        (await (await App.Referrer(referrerOds).GetAsync(new Uri($"/referrals/{referralId}", UriKind.Relative))).ReadObjectAsync())
        ["registeredPracticeOds"]!.GetValue<string>();

    [Fact]
    public async Task A_team_lead_of_the_programme_records_the_move_on_every_referral_and_gp_records_is_told_once()
    {
        await using var probe = await App.ProbeAsync(typeof(RegisteredPracticeChanged));
        var (first, second) = await OnePersonReferredTwiceAsync();

        var response = await ChangeAsync(TeamLead(), first.PersonId, "b82005");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal((first.PersonId, 2), (body["personId"]!.GetValue<Guid>(), body["referralsChanged"]!.GetValue<int>()));
        Assert.Equal("B82005", await PracticeShownAsync(first.ReferralId));
        Assert.Equal("B82005", await PracticeShownAsync(second.ReferralId, "B86003"));
        await probe.WaitForAsync<RegisteredPracticeChanged>(m => m.PersonId == first.PersonId);

        // A repeat changes nothing and tells nobody: the next move's message is the only other one for the person.
        var repeat = await (await ChangeAsync(TeamLead(), first.PersonId, "B82005")).ReadObjectAsync();
        Assert.Equal(0, repeat["referralsChanged"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await ChangeAsync(TeamLead(), first.PersonId, "B82006")).StatusCode);
        await probe.WaitForAsync<RegisteredPracticeChanged>(m => m.PersonId == first.PersonId && m.RegisteredPracticeOds == "B82006");
        Assert.Equal(["B82005", "B82006"],
            probe.All<RegisteredPracticeChanged>().Where(m => m.PersonId == first.PersonId).Select(m => m.RegisteredPracticeOds));
    }

    [Fact]
    public async Task Concurrent_moves_all_succeed_and_every_referral_ends_at_the_latest_move_gp_records_is_told_of()
    {
        await using var probe = await App.ProbeAsync(typeof(RegisteredPracticeChanged));
        var (first, second) = await OnePersonReferredTwiceAsync();
        var practices = Enumerable.Range(10, 8).Select(n => $"B820{n}").ToList();

        var responses = await Task.WhenAll(practices.Select(ods => ChangeAsync(TeamLead(), first.PersonId, ods)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var shown = await PracticeShownAsync(first.ReferralId);
        Assert.Equal(shown, await PracticeShownAsync(second.ReferralId, "B86003"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (probe.All<RegisteredPracticeChanged>().Count(m => m.PersonId == first.PersonId) < practices.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        var heard = probe.All<RegisteredPracticeChanged>().Where(m => m.PersonId == first.PersonId).ToList();
        Assert.Equal(practices.Count, heard.Count);
        // GP-records orders moves by when they were made, so the latest of them must be the practice intake shows.
        Assert.Equal(shown, heard.MaxBy(m => m.ChangedAt)!.RegisteredPracticeOds);
    }

    [Fact]
    public async Task A_malformed_ods_code_is_refused_naming_the_field()
    {
        var referral = await ReferAsync();

        var response = await ChangeAsync(TeamLead(), referral.PersonId, "B82-005!");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("registeredPracticeOds"));
        Assert.Equal(TestData.Practice, await PracticeShownAsync(referral.ReferralId));
    }

    [Fact]
    public async Task A_team_lead_of_another_programme_is_told_the_person_is_not_found()
    {
        var referral = await ReferAsync();

        var response = await ChangeAsync(TeamLead("east-bradford"), referral.PersonId, "B82005");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Person not found", (await response.ReadObjectAsync())["title"]!.GetValue<string>());
        Assert.Equal(TestData.Practice, await PracticeShownAsync(referral.ReferralId));
    }

    [Fact]
    public async Task A_referrer_cannot_change_the_registered_practice()
    {
        var referral = await ReferAsync();

        var response = await ChangeAsync(App.Referrer(TestData.Practice), referral.PersonId, "B82005");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(TestData.Practice, await PracticeShownAsync(referral.ReferralId));
    }

    [Fact]
    public async Task A_data_protection_officer_can_change_it_for_a_person_in_any_programme()
    {
        var referral = await ReferAsync();

        var response = await ChangeAsync(App.Host.ClientFor(Roles.DataProtectionOfficer), referral.PersonId, "B82005");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("B82005", await PracticeShownAsync(referral.ReferralId));
    }
}
