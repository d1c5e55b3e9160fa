using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.ServiceDefaults.Auth;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.Programmes;

/// <summary>Programme configuration is data, managed by programme-admin over HTTP; every decision names the version it used.</summary>
public sealed class ProgrammeApiTests(SharedHost host) : IClassFixture<SharedHost>
{
    private TriageHost Triage => host.Triage;

    [Fact]
    public async Task A_programme_admin_defines_a_programme_and_reads_it_back_with_its_version_as_etag()
    {
        var definition = Fixtures.OverSixtiesAndCarersInPostcodes();
        var created = await Triage.DefineAsync(definition);
        Assert.Equal(6, created.ConfigurationVersion); // defined, eligibility, triage rules, rota, service levels, one worker
        using var admin = Triage.Admin(definition.ProgrammeId);
        var response = await admin.GetAsync($"/programmes/{definition.ProgrammeId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"\"{created.ConfigurationVersion}\"", response.Headers.ETag!.Tag);
        var view = (await response.Content.ReadFromJsonAsync<ProgrammeView>(TriageHost.Json))!;
        Assert.Equal(["G51", "G52", "G53"], view.Eligibility.PostcodeDistricts);
        Assert.Equal("ccp-1", Assert.Single(view.LinkWorkers).LinkWorkerId);
        Assert.NotEmpty(view.TriageRules.EscalationIndicators);

        var summaries = await admin.GetFromJsonAsync<List<ProgrammeSummary>>("/programmes", TriageHost.Json);
        Assert.Equal(definition.ProgrammeId, Assert.Single(summaries!).ProgrammeId);
    }

    [Fact]
    public async Task A_change_with_a_stale_if_match_is_refused_with_412_and_a_fresh_one_bumps_the_version()
    {
        var definition = Fixtures.AdultsWithLongTermCondition();
        var created = await Triage.DefineAsync(definition);
        using var admin = Triage.Admin(definition.ProgrammeId);
        var rules = definition.Eligibility! with { Criteria = [new EligibilityCriterion("Adults", MinimumAge: 18)] };

        var loaded = new EntityTagHeaderValue($"\"{created.ConfigurationVersion}\"");
        var ok = await admin.PutConfigurationAsync(definition.ProgrammeId, "eligibility", rules, loaded);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal($"\"{created.ConfigurationVersion + 1}\"", ok.Headers.ETag!.Tag);

        var refused = await admin.PutConfigurationAsync(definition.ProgrammeId, "eligibility", rules, loaded);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Every_decision_records_the_configuration_version_it_used()
    {
        var definition = Fixtures.AdultsWithLongTermCondition();
        var created = await Triage.DefineAsync(definition);
        var before = Fixtures.Referral(definition.ProgrammeId, "S70001", age: 40, longTermCondition: false);
        var first = await Triage.PublishAndWaitAsync<ReferralTriaged>(before, t => t.ReferralId == before.ReferralId);
        Assert.False(first.Eligible);
        Assert.Equal((int)created.ConfigurationVersion, first.ConfigurationVersion);

        using var admin = Triage.Admin(definition.ProgrammeId);
        var changed = await admin.PutConfigurationAsReadAsync(definition.ProgrammeId, "eligibility",
            definition.Eligibility! with { Criteria = [new EligibilityCriterion("Adults", MinimumAge: 18)] });
        var version = (await changed.Content.ReadFromJsonAsync<ProgrammeView>(TriageHost.Json))!.ConfigurationVersion;

        var after = Fixtures.Referral(definition.ProgrammeId, "S70001", age: 40, longTermCondition: false);
        var second = await Triage.PublishAndWaitAsync<ReferralTriaged>(after, t => t.ReferralId == after.ReferralId);
        Assert.True(second.Eligible);
        Assert.Equal((int)version, second.ConfigurationVersion);
    }

    [Fact]
    public async Task Adding_a_link_worker_lets_the_queue_move_at_once()
    {
        var definition = Fixtures.OneWorkerPerPractice(yearly: 1);
        await Triage.DefineAsync(definition);
        var first = Fixtures.Referral(definition.ProgrammeId, "G85002");
        await Triage.PublishAndWaitAsync<ReferralAssigned>(first, a => a.ReferralId == first.ReferralId);
        var waiting = Fixtures.Referral(definition.ProgrammeId, "G85002");
        await Triage.PublishAndWaitAsync<ReferralQueued>(waiting, q => q.ReferralId == waiting.ReferralId);

        using var admin = Triage.Admin(definition.ProgrammeId);
        var response = await admin.PutConfigurationAsReadAsync(definition.ProgrammeId, "link-workers/clp-2b",
            new LinkWorkerRequest("Second practitioner", Tier.LinkWorkerCoach, ["G85002"], [], null, null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<ProgrammeView>(TriageHost.Json))!;
        Assert.Equal(LinkWorkerProfile.DefaultYearlyIntakeLimit, view.LinkWorkers.Single(w => w.LinkWorkerId == "clp-2b").YearlyIntakeLimit);
        Assert.Equal("clp-2b", (await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == waiting.ReferralId)).LinkWorkerId);
    }

    [Fact]
    public async Task Configuration_is_checked_and_each_error_names_its_field()
    {
        var definition = Fixtures.OneWorkerPerPractice();
        await Triage.DefineAsync(definition);
        using var admin = Triage.Admin(definition.ProgrammeId);
        var badRota = definition.DutyRota! with { TimeZone = "Mars/Olympus", AcknowledgeWithinMinutes = 0 };
        var response = await admin.PutConfigurationAsReadAsync(definition.ProgrammeId, "duty-rota", badRota);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("body.timeZone", body, StringComparison.Ordinal);
        Assert.Contains("body.acknowledgeWithinMinutes", body, StringComparison.Ordinal);

        var badWorker = await admin.PutConfigurationAsReadAsync(definition.ProgrammeId, "link-workers/Bad Id",
            new LinkWorkerRequest("", Tier.LinkWorker, ["not an ods code!"], [], 0, null));
        Assert.Equal(HttpStatusCode.BadRequest, badWorker.StatusCode);
        var workerErrors = await badWorker.Content.ReadAsStringAsync();
        foreach (var field in new[] { "body.linkWorkerId", "body.displayName", "body.practices", "body.yearlyIntakeLimit" })
        {
            Assert.Contains(field, workerErrors, StringComparison.Ordinal);
        }

        var duplicate = await admin.PostAsJsonAsync("/programmes", definition, TriageHost.Json);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task A_gapped_rota_is_refused_with_400_problem_json_naming_the_field_and_nothing_is_stored()
    {
        // HAZ-002 C6: nobody on duty 12:00-13:00 on weekdays, between the morning and afternoon shifts.
        var definition = Fixtures.ThreeWorkersFourPractices();
        var gapped = definition.DutyRota! with
        {
            Slots =
            [
                new(Fixtures.Weekdays, new TimeOnly(9, 0), new TimeOnly(12, 0), "sos-3", "tl-lead"),
                new(Fixtures.Weekdays, new TimeOnly(13, 0), new TimeOnly(17, 0), "sos-2", "tl-lead"),
            ],
        };
        using var admin = Triage.Admin(definition.ProgrammeId);

        var defined = await admin.PostAsJsonAsync("/programmes", definition with { DutyRota = gapped }, TriageHost.Json);
        await AssertRefusedAsync(defined, "dutyRota.slots");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/programmes/{definition.ProgrammeId}")).StatusCode);

        var created = await Triage.DefineAsync(definition);
        var changed = await admin.PutConfigurationAsReadAsync(definition.ProgrammeId, "duty-rota", gapped);
        await AssertRefusedAsync(changed, "body.slots");
        var view = (await admin.GetFromJsonAsync<ProgrammeView>($"/programmes/{definition.ProgrammeId}", TriageHost.Json))!;
        Assert.Equal(created.ConfigurationVersion, view.ConfigurationVersion);
        Assert.Equal(definition.DutyRota!.Slots, view.DutyRota.Slots, (a, b) => a.DutyWorkerId == b.DutyWorkerId && a.From == b.From && a.To == b.To);

        static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(field), $"No error for {field}");
            var messages = errors[field]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
            Assert.Equal(5, messages.Count); // one for each weekday's lunch hour
            Assert.StartsWith("On Monday nobody is on duty from 12:00 to 13:00", messages[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_rota_whose_duty_worker_is_not_in_the_programme_is_refused_and_a_duty_worker_cannot_be_retired_off_it()
    {
        var definition = Fixtures.ThreeWorkersFourPractices();
        var created = await Triage.DefineAsync(definition);
        using var admin = Triage.Admin(definition.ProgrammeId);

        var stranger = definition.DutyRota! with { Slots = [definition.DutyRota.Slots[0] with { DutyWorkerId = "sos-9" }] };
        var changed = await admin.PutConfigurationAsReadAsync(definition.ProgrammeId, "duty-rota", stranger);
        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        Assert.Equal("application/problem+json", changed.Content.Headers.ContentType!.MediaType);
        Assert.Contains("body.slots[0].dutyWorkerId", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // sos-3 is the duty worker: retiring them would leave the weekday slot with nobody who can act.
        var retired = await admin.DeleteAsync($"/programmes/{definition.ProgrammeId}/link-workers/sos-3");
        Assert.Equal(HttpStatusCode.Conflict, retired.StatusCode);
        Assert.Equal("application/problem+json", retired.Content.Headers.ContentType!.MediaType);
        var view = (await admin.GetFromJsonAsync<ProgrammeView>($"/programmes/{definition.ProgrammeId}", TriageHost.Json))!;
        Assert.Equal(created.ConfigurationVersion, view.ConfigurationVersion);
        Assert.Equal("sos-3", Assert.Single(view.DutyRota.Slots).DutyWorkerId);
    }

    [Fact]
    public async Task Only_programme_admins_of_the_programme_may_change_it()
    {
        var definition = Fixtures.OneWorkerPerPractice();
        await Triage.DefineAsync(definition);
        var levels = new ServiceLevelTargets(5, 3, 1);
        // Sent without If-Match: refused access is answered 403 before If-Match is asked for.
        using var lead = Triage.TeamLead(definition.ProgrammeId);
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.PutAsJsonAsync($"/programmes/{definition.ProgrammeId}/service-levels", levels, TriageHost.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await lead.GetAsync($"/programmes/{definition.ProgrammeId}")).StatusCode);
        using var otherAdmin = Triage.Admin("another-programme");
        Assert.Equal(HttpStatusCode.Forbidden, (await otherAdmin.PutAsJsonAsync($"/programmes/{definition.ProgrammeId}/service-levels", levels, TriageHost.Json)).StatusCode);
        using var referrer = Triage.Host.ClientFor(Roles.Referrer, (ReferralsClaims.OdsCode, "G85001"));
        Assert.Equal(HttpStatusCode.Forbidden, (await referrer.GetAsync($"/programmes/{definition.ProgrammeId}")).StatusCode);
        using var anonymous = Triage.Host.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/programmes/{definition.ProgrammeId}")).StatusCode);
    }

    [Fact]
    public async Task A_retired_worker_gets_no_new_referrals()
    {
        var definition = Fixtures.OneWorkerPerPractice();
        await Triage.DefineAsync(definition);
        using var admin = Triage.Admin(definition.ProgrammeId);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/programmes/{definition.ProgrammeId}/link-workers/clp-5")).StatusCode);
        var submitted = Fixtures.Referral(definition.ProgrammeId, "G85005");
        await Triage.PublishAndWaitAsync<ReferralQueued>(submitted, q => q.ReferralId == submitted.ReferralId);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync($"/programmes/{definition.ProgrammeId}/link-workers/clp-5")).StatusCode);
    }

    [Fact]
    public async Task The_development_seed_creates_north_leeds_and_east_bradford_once()
    {
        var admin = Triage.Services.GetRequiredService<ProgrammeAdministration>();
        var store = Triage.Store;
        // The test host runs as "Testing", so nothing was seeded at start-up.
        await using (var session = store.QuerySession())
        {
            Assert.Null(await session.LoadAsync<Programme>(Common.StreamIds.Programme("north-leeds")));
        }

        Assert.Equal(2, await DevelopmentProgrammes.SeedAsync(admin, NullLogger.Instance, CancellationToken.None));
        Assert.Equal(0, await DevelopmentProgrammes.SeedAsync(admin, NullLogger.Instance, CancellationToken.None));

        await using var query = store.QuerySession();
        var northLeeds = (await query.LoadAsync<Programme>(Common.StreamIds.Programme("north-leeds")))!;
        Assert.Equal(["B86001", "B86002", "B86003", "B86004"], northLeeds.Eligibility.Practices);
        Assert.Equal(4, northLeeds.LinkWorkers.Count);
        Assert.Equal(3, northLeeds.LinkWorkers.Select(w => w.Tier).Distinct().Count());
        Assert.NotEmpty(northLeeds.DutyRota.Slots);
        var eastBradford = (await query.LoadAsync<Programme>(Common.StreamIds.Programme("east-bradford")))!;
        Assert.Equal(["B83001"], eastBradford.Eligibility.Practices);
    }
}
