using System.Net;
using System.Net.Http.Json;
using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Triage.Referrals;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Tests.Triaging;

/// <summary>ReferralSubmitted in, decisions out: over the real broker and store.</summary>
public sealed class TriageFlowTests(SharedHost host) : IClassFixture<SharedHost>
{
    private TriageHost Triage => host.Triage;

    [Fact]
    public async Task A_submitted_referral_is_triaged_with_its_configuration_version_and_assigned_to_the_practice_worker()
    {
        var programme = await Triage.DefineAsync(Fixtures.OneWorkerPerPractice());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "G85003", needs: [NeedCategory.PhysicalActivity]);

        var triaged = await Triage.PublishAndWaitAsync<ReferralTriaged>(submitted, t => t.ReferralId == submitted.ReferralId);
        Assert.True(triaged.Eligible);
        Assert.Equal((int)programme.ConfigurationVersion, triaged.ConfigurationVersion);
        Assert.Equal(submitted.JourneyId, triaged.JourneyId);
        Assert.Equal(Tier.LinkWorker, triaged.RequiredTier);
        Assert.NotEmpty(triaged.Reasons);
        Assert.NotNull(triaged.Source);

        var assigned = await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == submitted.ReferralId);
        Assert.Equal("clp-3", assigned.LinkWorkerId);

        using var lead = Triage.TeamLead(programme.ProgrammeId);
        var view = await lead.GetFromJsonAsync<ReferralView>($"/referrals/{submitted.ReferralId}", TriageHost.Json);
        Assert.Equal(ReferralStatus.Offered, view!.Status);
        Assert.Equal((int)programme.ConfigurationVersion, view.Triage!.ConfigurationVersion);
        Assert.Equal(assigned.AssignmentId, view.Assignment!.AssignmentId);
        Assert.NotNull(view.ServiceLevel.FirstContactDueAt);
    }

    [Fact]
    public async Task An_out_of_scope_referral_gets_its_reasons_and_signposting_and_is_never_silently_dropped()
    {
        var programme = await Triage.DefineAsync(Fixtures.AdultsWithLongTermCondition());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "S70002", age: 34, longTermCondition: false);

        var triaged = await Triage.PublishAndWaitAsync<ReferralTriaged>(submitted, t => t.ReferralId == submitted.ReferralId);
        Assert.False(triaged.Eligible);
        Assert.Contains("wellbeing hub", triaged.Signposting, StringComparison.Ordinal);
        Assert.Contains(triaged.Reasons, r => r.Contains("no long-term condition recorded", StringComparison.Ordinal));

        using var lead = Triage.TeamLead(programme.ProgrammeId);
        var view = await lead.GetFromJsonAsync<ReferralView>($"/referrals/{submitted.ReferralId}", TriageHost.Json);
        Assert.Equal(ReferralStatus.Ineligible, view!.Status);
        Assert.Null(view.Assignment);
        Assert.DoesNotContain(Triage.Probe.All<ReferralAssigned>(), a => a.ReferralId == submitted.ReferralId);
        Assert.DoesNotContain(Triage.Probe.All<ReferralQueued>(), a => a.ReferralId == submitted.ReferralId);
    }

    [Fact]
    public async Task A_referral_for_a_programme_triage_does_not_know_is_answered_as_out_of_scope()
    {
        var submitted = Fixtures.Referral(Fixtures.UniqueId("unknown"), "B86001");
        var triaged = await Triage.PublishAndWaitAsync<ReferralTriaged>(submitted, t => t.ReferralId == submitted.ReferralId);
        Assert.False(triaged.Eligible);
        Assert.Equal(0, triaged.ConfigurationVersion);
        Assert.NotNull(triaged.Signposting);
    }

    [Fact]
    public async Task A_risky_referral_for_an_unknown_programme_still_reaches_the_practice_and_the_referrer()
    {
        var submitted = Fixtures.Referral(Fixtures.UniqueId("unknown"), "B86003", riskNotes: "Threatened to kill his neighbour.");
        await Triage.PublishAsync(submitted);
        var practice = await Triage.Probe.WaitForAsync<ReferralEscalated>(e =>
            e.ReferralId == submitted.ReferralId && e.RecipientKind == EscalationRecipientKind.RegisteredPractice);
        Assert.Equal("B86003", practice.RecipientId);
        Assert.Contains("not a crisis service", practice.Statement, StringComparison.Ordinal);
        await Triage.Probe.WaitForAsync<ReferralEscalated>(e => e.ReferralId == submitted.ReferralId && e.RecipientKind == EscalationRecipientKind.Referrer);
        var triaged = await Triage.Probe.WaitForAsync<ReferralTriaged>(t => t.ReferralId == submitted.ReferralId);
        Assert.True(triaged.Escalated);
        Assert.False(triaged.Eligible);
    }

    [Fact]
    public async Task A_redelivered_referral_is_triaged_once()
    {
        var programme = await Triage.DefineAsync(Fixtures.OneWorkerPerPractice());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "G85001");
        var messageId = Guid.NewGuid();
        await Triage.Bus.PublishAsync(submitted, messageId);
        await Triage.Bus.PublishAsync(submitted, messageId);
        await Triage.Bus.PublishAsync(submitted); // intake re-publishing with a new message id
        await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == submitted.ReferralId);
        await Task.Delay(1500);
        Assert.Single(Triage.Probe.All<ReferralTriaged>(), t => t.ReferralId == submitted.ReferralId);
        Assert.Single(Triage.Probe.All<ReferralAssigned>(), t => t.ReferralId == submitted.ReferralId);
    }

    [Fact]
    public async Task A_team_lead_overrides_the_decision_with_a_reason_recorded_under_their_name_and_the_assignment_follows_the_new_tier()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "F11002");
        var first = await Triage.PublishAndWaitAsync<ReferralAssigned>(submitted, a => a.ReferralId == submitted.ReferralId);
        Assert.Equal("sos-1", first.LinkWorkerId);

        const string TeamLeadId = "lead-override-1";
        using var lead = Triage.TeamLead(programme.ProgrammeId, TeamLeadId);
        var response = await lead.PostAsJsonAsync($"/referrals/{submitted.ReferralId}/override",
            new OverrideRequest(Tier.PsychosocialLinkWorker, Priority.High, null, "Known history of self-neglect from the practice's records."), TriageHost.Json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<ReferralView>(TriageHost.Json))!;
        Assert.True(view.Overridden);
        Assert.Equal(Tier.PsychosocialLinkWorker, view.RequiredTier);
        Assert.Equal("sos-3", view.Assignment!.LinkWorkerId);
        Assert.Equal($"\"{view.Version}\"", response.Headers.ETag!.Tag);

        var overridden = await Triage.Probe.WaitForAsync<TriageOverridden>(o => o.ReferralId == submitted.ReferralId);
        Assert.Equal("Known history of self-neglect from the practice's records.", overridden.Reason);
        Assert.Equal(TeamLeadId, overridden.OverriddenBy);
        await using (var session = Triage.Store.QuerySession())
        {
            var recorded = Assert.Single((await session.Events.FetchStreamAsync(submitted.ReferralId)).Select(e => e.Data).OfType<TriageDecisionOverridden>());
            Assert.Equal(TeamLeadId, recorded.OverriddenBy);
            Assert.Equal("Known history of self-neglect from the practice's records.", recorded.Reason);
        }

        await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == submitted.ReferralId && a.LinkWorkerId == "sos-3");
        // Tier and priority alone are not a new triage decision: the referrer's status would go back to Triaged.
        Assert.Single(Triage.Probe.All<ReferralTriaged>(), t => t.ReferralId == submitted.ReferralId);
    }

    [Fact]
    public async Task A_referral_a_team_lead_rules_out_of_scope_is_published_as_not_eligible_in_a_newer_triage_decision_without_the_team_leads_words()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "F11003");
        await Triage.PublishAndWaitAsync<ReferralAssigned>(submitted, a => a.ReferralId == submitted.ReferralId);
        var first = Assert.Single(Triage.Probe.All<ReferralTriaged>(), t => t.ReferralId == submitted.ReferralId);

        using var lead = Triage.TeamLead(programme.ProgrammeId);
        var response = await lead.PostAsJsonAsync($"/referrals/{submitted.ReferralId}/override",
            new OverrideRequest(Tier.LinkWorker, Priority.Routine, false, "Lives outside the area, per her daughter"), TriageHost.Json);
        response.EnsureSuccessStatusCode();

        var decision = await Triage.Probe.WaitForAsync<ReferralTriaged>(t => t.ReferralId == submitted.ReferralId && !t.Eligible);
        Assert.Equal([OverrideTriage.ReviewedOutOfScope], decision.Reasons);
        Assert.True(decision.Source!.Version > first.Source!.Version, "the override's decision must supersede the first one downstream");
        Assert.Equal(first.JourneyId, decision.JourneyId);
    }

    [Fact]
    public async Task A_referral_a_worker_accepted_and_handed_back_cannot_be_ruled_out_of_scope_409_naming_nobody_and_nothing_changes_but_it_can_still_be_reprioritised()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "F11001");
        var offer = await Triage.PublishAndWaitAsync<ReferralAssigned>(submitted, a => a.ReferralId == submitted.ReferralId);
        using (var worker = Triage.LinkWorker(programme.ProgrammeId, offer.LinkWorkerId))
        {
            (await worker.PostAsync($"/assignments/{offer.AssignmentId}/accept", null)).EnsureSuccessStatusCode();
            (await worker.PostAsJsonAsync($"/assignments/{offer.AssignmentId}/hand-back", new ReasonRequest("Going on long-term leave."), TriageHost.Json))
                .EnsureSuccessStatusCode();
        }

        var next = await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == submitted.ReferralId && a.AssignmentId != offer.AssignmentId);
        using var lead = Triage.TeamLead(programme.ProgrammeId);
        var before = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{submitted.ReferralId}", TriageHost.Json))!;
        Assert.Equal(ReferralStatus.Offered, before.Status);

        const string Reason = "Zqcanary: lives outside the area, per her daughter";
        var refused = await lead.PostAsJsonAsync($"/referrals/{submitted.ReferralId}/override",
            new OverrideRequest(Tier.LinkWorker, Priority.Routine, false, Reason), TriageHost.Json);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Close the journey in support-plan with a reason", body, StringComparison.Ordinal);
        foreach (var personal in new[] { "Zqcanary", submitted.PersonId.ToString(), offer.LinkWorkerId, next.LinkWorkerId, submitted.ReferralId.ToString() })
        {
            Assert.DoesNotContain(personal, body, StringComparison.OrdinalIgnoreCase);
        }

        var after = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{submitted.ReferralId}", TriageHost.Json))!;
        Assert.Equal((before.Version, ReferralStatus.Offered, next.AssignmentId, false), (after.Version, after.Status, after.Assignment!.AssignmentId, after.Overridden));

        // Bringing it into scope (it is already) and raising its priority still go through: only ruling it out is refused.
        var raised = await lead.PostAsJsonAsync($"/referrals/{submitted.ReferralId}/override",
            new OverrideRequest(Tier.LinkWorker, Priority.High, true, "Carer has gone into hospital."), TriageHost.Json);
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        Assert.Equal(Priority.High, (await raised.Content.ReadFromJsonAsync<ReferralView>(TriageHost.Json))!.Priority);
        await Triage.Probe.WaitForAsync<TriageOverridden>(o => o.ReferralId == submitted.ReferralId && o.Priority == Priority.High);
        Assert.Single(Triage.Probe.All<TriageOverridden>(), o => o.ReferralId == submitted.ReferralId);
        Assert.DoesNotContain(Triage.Probe.All<ReferralTriaged>(), t => t.ReferralId == submitted.ReferralId && !t.Eligible);
        await using var session = Triage.Store.QuerySession();
        Assert.Single((await session.Events.FetchStreamAsync(submitted.ReferralId)).Select(e => e.Data).OfType<TriageDecisionOverridden>());
    }

    [Fact]
    public async Task A_team_lead_can_bring_an_out_of_scope_referral_in_and_it_is_allocated()
    {
        var programme = await Triage.DefineAsync(Fixtures.AdultsWithLongTermCondition());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "S70004", age: 40);
        await Triage.PublishAndWaitAsync<ReferralTriaged>(submitted, t => t.ReferralId == submitted.ReferralId && !t.Eligible);

        using var lead = Triage.TeamLead(programme.ProgrammeId);
        var response = await lead.PostAsJsonAsync($"/referrals/{submitted.ReferralId}/override",
            new OverrideRequest(Tier.LinkWorkerCoach, Priority.Routine, true, "GP confirms a long-term condition not yet coded."), TriageHost.Json);
        response.EnsureSuccessStatusCode();
        var overridden = await Triage.Probe.WaitForAsync<TriageOverridden>(o => o.ReferralId == submitted.ReferralId);
        Assert.True(overridden.Eligible);
        await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == submitted.ReferralId);
        var decision = await Triage.Probe.WaitForAsync<ReferralTriaged>(t => t.ReferralId == submitted.ReferralId && t.Eligible);
        Assert.Equal([OverrideTriage.ReviewedIntoScope], decision.Reasons);
    }

    [Fact]
    public async Task Only_a_team_lead_of_the_programme_can_override()
    {
        var programme = await Triage.DefineAsync(Fixtures.OneWorkerPerPractice());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "G85001");
        await Triage.PublishAndWaitAsync<ReferralTriaged>(submitted, t => t.ReferralId == submitted.ReferralId);
        var body = new OverrideRequest(Tier.LinkWorker, Priority.High, null, "Reason");

        using var worker = Triage.LinkWorker(programme.ProgrammeId, "clp-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.PostAsJsonAsync($"/referrals/{submitted.ReferralId}/override", body, TriageHost.Json)).StatusCode);
        using var otherLead = Triage.TeamLead("another-programme");
        Assert.Equal(HttpStatusCode.Forbidden, (await otherLead.PostAsJsonAsync($"/referrals/{submitted.ReferralId}/override", body, TriageHost.Json)).StatusCode);
        using var lead = Triage.TeamLead(programme.ProgrammeId);
        var noReason = await lead.PostAsJsonAsync($"/referrals/{submitted.ReferralId}/override", body with { Reason = " " }, TriageHost.Json);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
