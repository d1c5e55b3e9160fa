using System.Net;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Testing.Hosting;

namespace Referrals.Intake.Tests.People;

public sealed class PersonIndexTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    [Fact]
    public async Task No_NHS_number_is_stored_in_plain_text_anywhere_in_the_schema()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs), Guid.NewGuid().ToString());
        var id = (await response.ReadObjectAsync()).ReferralId();
        await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);

        var dump = await App.DumpSchemaTextAsync();
        Assert.DoesNotContain(nhs, dump, StringComparison.Ordinal);
        Assert.DoesNotContain($"{nhs[..3]} {nhs[3..6]} {nhs[6..]}", dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_person_is_indexed_under_the_keyed_hash_of_their_NHS_number()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs));
        var id = (await response.ReadObjectAsync()).ReferralId();
        await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);

        var indexId = BlindIndex.FromBase64(TestSecrets.BlindIndexKey).ComputeGuid("nhs-number", nhs);
        Assert.Equal(1, await App.ScalarAsync($"select count(*) from {{schema}}.mt_streams where id = '{indexId}' and type = 'PersonIndexEntry'"));
        Assert.Equal(indexId, (await App.LoadReferralAsync(id))!.PersonIndexId);
    }

    [Fact]
    public async Task The_same_person_in_another_programme_has_one_person_id_and_a_journey_per_programme()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var leeds = await (await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs))).ReadObjectAsync();
        var bradford = await (await App.Referrer("B83001").PostJsonAsync("/referrals",
            TestData.Referral(nhs, referrerOds: "B83001", practice: "B83001", programme: "east-bradford"))).ReadObjectAsync();

        Assert.Equal("Submitted", bradford["status"]!.GetValue<string>());
        var first = await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == leeds.ReferralId());
        var second = await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == bradford.ReferralId());
        Assert.Equal(first.PersonId, second.PersonId);
        Assert.NotEqual(first.JourneyId, second.JourneyId);
        Assert.Null(second.PreviousJourneyId);
    }

    [Fact]
    public async Task A_second_referral_while_the_journey_is_open_is_linked_and_flagged_not_duplicated()
    {
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var first = await (await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs))).ReadObjectAsync();
        var second = await App.Referrer("B86003").PostJsonAsync("/referrals", TestData.Referral(nhs, referrerOds: "B86003")
            .With("risk.riskOfHarmToSelf", true));

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var body = await second.ReadObjectAsync();
        Assert.Equal("LinkedToOpenJourney", body["status"]!.GetValue<string>());
        var opened = await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == first.ReferralId());
        var linked = await scope.Probe.WaitForAsync<ReferralLinkedToOpenJourney>(m => m.ReferralId == body.ReferralId());
        Assert.Equal(opened.JourneyId, linked.JourneyId);
        Assert.Equal(opened.PersonId, linked.PersonId);
        Assert.Equal("B86003", linked.Referrer.OrganisationId);
        Assert.True(linked.Risk!.RiskOfHarmToSelf);
        Assert.True((await App.LoadReferralAsync(body.ReferralId()))!.LinkedToOpenJourney);
    }
}
