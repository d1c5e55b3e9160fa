using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;
using Referrals.Testing;

namespace Referrals.SupportPlan.Tests.Escalating;

/// <summary>
/// An escalation triage raises after its decision (a worker's concern, risk on a further referral) reaches the journey through
/// the bus: the journey and the team lead's list show it urgent and escalated, once however many steps the duty chain takes,
/// and the practice's record follows (HAZ-001 C12, HAZ-009 C6).
/// </summary>
public sealed class ReferralEscalationTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    /// <summary>
    /// One notice of triage's duty chain as triage publishes it: sourced from the escalation's stream, carrying the escalated
    /// referral's tier and priority at <paramref name="version"/> of triage's referral stream.
    /// </summary>
    private ReferralEscalated Escalated(ReferralCase c, Guid escalationId, long? version, int step = 1,
        EscalationRecipientKind kind = EscalationRecipientKind.DutyWorker, string? indicator = null) =>
        new(escalationId, c.ReferralId, c.JourneyId, c.PersonId, c.ProgrammeId, step, kind, kind == EscalationRecipientKind.Referrer ? "B82005" : "sos-3",
            [indicator ?? "Financial abuse"], fixture.Clock.UtcNow.AddMinutes(15), false, "Escalated to the duty worker", fixture.Clock.UtcNow)
        {
            Source = new EventSource(escalationId, step + 1),
            RequiredTier = version is null ? null : Tier.PsychosocialLinkWorker,
            Priority = version is null ? null : Priority.Urgent,
            ReferralVersion = version,
        };

    /// <summary>Intake's submission and triage's first decision (Routine, Link Worker): the journey awaits a worker's acceptance.</summary>
    private async Task<Guid> RegisterAsync(ReferralCase c)
    {
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow));
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, at: fixture.Clock.UtcNow) with { Source = new EventSource(c.ReferralId, 2) });
        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);
        return registered.JourneyId;
    }

    private Task<IReadOnlyList<ReferralTriageOverridden>> OverridesOnAsync(Guid journeyId) => _scenario.EventsOnAsync<ReferralTriageOverridden>(journeyId);

    private Task<JourneyView> WaitForUrgentAsync(ReferralCase c, Guid journeyId) =>
        _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.Referral.Priority == Priority.Urgent);

    private Task<IReadOnlyList<ReferralEscalatedForRisk>> EscalationsOnAsync(Guid journeyId) => _scenario.EventsOnAsync<ReferralEscalatedForRisk>(journeyId);

    [Fact]
    public async Task An_escalation_of_a_journey_awaiting_acceptance_shows_it_urgent_and_escalated_on_the_journey_its_timeline_and_the_team_leads_list_and_goes_out_for_the_practices_record()
    {
        var c = ReferralCase.New();
        var journeyId = await RegisterAsync(c);
        var canary = "Zqescalation" + Guid.NewGuid().ToString("N")[..8];

        await fixture.Bus.PublishAsync(Escalated(c, Guid.NewGuid(), version: 4, indicator: canary + " son takes her pension"));

        var view = await WaitForUrgentAsync(c, journeyId);
        Assert.Equal((Tier.PsychosocialLinkWorker, true, JourneyStatus.AwaitingAcceptance),
            (view.Referral.RequiredTier, view.Referral.Escalated, view.Status));
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        var line = (await lead.Get<JourneyPage>($"/journeys?programme={c.ProgrammeId}")).Journeys.Single(j => j.JourneyId == journeyId);
        Assert.Equal((Priority.Urgent, Tier.PsychosocialLinkWorker, true), (line.Priority, line.RequiredTier, line.Escalated));
        var entry = (await lead.Get<TimelineView>($"/journeys/{journeyId}/timeline")).Entries.Single(e => e.Kind == "ReferralEscalated");
        Assert.Contains("priority Routine to Urgent", entry.Summary, StringComparison.Ordinal);
        Assert.Null(entry.Detail);
        var urgentOnly = (await lead.Get<JourneyPage>($"/journeys?programme={c.ProgrammeId}&priority=Urgent")).Journeys;
        Assert.Contains(urgentOnly, j => j.JourneyId == journeyId);

        // gp-records sets the ServiceRequest's priority from it; sent from the journey's stream, after the registration.
        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);
        var retriaged = await fixture.Probe.WaitForAsync<Integration.ReferralRetriaged>(r => r.ReferralId == c.ReferralId);
        Assert.Equal((true, Tier.PsychosocialLinkWorker, Priority.Urgent, true),
            (retriaged.Eligible, retriaged.RequiredTier, retriaged.Priority, retriaged.Escalated));
        Assert.Equal(journeyId, retriaged.Source?.StreamId);
        Assert.True(retriaged.Source!.Version > registered.Source!.Version);

        // The duty chain's indicators and statement stay in triage.
        Assert.Empty(await PlainText.TablesHoldingAsync(fixture.Infrastructure.PostgresConnectionString, fixture.Schema, canary));
    }

    [Fact]
    public async Task An_escalation_that_arrives_before_the_journey_is_registered_is_applied_once_it_is()
    {
        var c = ReferralCase.New();
        var escalated = await fixture.Bus.PublishAsync(Escalated(c, Guid.NewGuid(), version: 4));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, escalated);

        var journeyId = await RegisterAsync(c);

        var view = await WaitForUrgentAsync(c, journeyId);
        Assert.Equal((Tier.PsychosocialLinkWorker, true), (view.Referral.RequiredTier, view.Referral.Escalated));
        Assert.Single(await EscalationsOnAsync(journeyId));
    }

    [Fact]
    public async Task Every_step_of_one_escalation_delivered_once_or_twice_changes_the_journey_once()
    {
        var c = ReferralCase.New();
        var journeyId = await RegisterAsync(c);
        var escalationId = Guid.NewGuid();
        var messageId = Guid.NewGuid();

        var duty = Escalated(c, escalationId, version: 4);
        await fixture.Bus.PublishAsync(duty, messageId);
        await fixture.Bus.PublishAsync(duty, messageId);
        var referrer = await fixture.Bus.PublishAsync(Escalated(c, escalationId, version: 4, kind: EscalationRecipientKind.Referrer));
        var teamLead = await fixture.Bus.PublishAsync(Escalated(c, escalationId, version: 4, step: 2, kind: EscalationRecipientKind.TeamLead));
        foreach (var id in new[] { messageId, referrer, teamLead })
        {
            await Inbox.WaitUntilAppliedAsync(fixture.Schema, id);
        }

        await WaitForUrgentAsync(c, journeyId);
        var raised = Assert.Single(await EscalationsOnAsync(journeyId));
        Assert.Equal((Priority.Routine, Priority.Urgent, Tier.LinkWorker), (raised.PreviousPriority, raised.Priority, raised.PreviousTier));
        Assert.Single(await _scenario.EventsOnAsync<EscalationReceived>(c.ReferralId));
    }

    [Fact]
    public async Task An_escalation_that_finds_the_journey_urgent_at_its_tier_marks_it_escalated_and_its_timeline_says_tier_and_priority_are_unchanged()
    {
        var c = ReferralCase.New();
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow));
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.Urgent, at: fixture.Clock.UtcNow) with
        {
            RequiredTier = Tier.PsychosocialLinkWorker,
            Source = new EventSource(c.ReferralId, 2),
        });
        var journeyId = (await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId)).JourneyId;

        await fixture.Bus.PublishAsync(Escalated(c, Guid.NewGuid(), version: 4));

        var view = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.Referral.Escalated);
        Assert.Equal((Priority.Urgent, Tier.PsychosocialLinkWorker), (view.Referral.Priority, view.Referral.RequiredTier));
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        var entry = (await lead.Get<TimelineView>($"/journeys/{journeyId}/timeline")).Entries.Single(e => e.Kind == "ReferralEscalated");
        Assert.Equal("Triage escalated the referral for risk: tier PsychosocialLinkWorker and priority Urgent unchanged", entry.Summary);
    }

    [Fact]
    public async Task A_team_leads_override_made_before_the_escalation_arriving_after_it_changes_nothing_and_one_made_after_it_stands_with_the_referral_still_escalated()
    {
        var c = ReferralCase.New();
        var journeyId = await RegisterAsync(c);
        await fixture.Bus.PublishAsync(Escalated(c, Guid.NewGuid(), version: 5));
        await WaitForUrgentAsync(c, journeyId);

        // Version 3 was published before the escalation and arrives after it.
        var older = await fixture.Bus.PublishAsync(_scenario.Overridden(c, Priority.Routine, version: 3, Tier.LinkWorker));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, older);
        var kept = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, _ => true);
        Assert.Equal((Priority.Urgent, Tier.PsychosocialLinkWorker, true), (kept.Referral.Priority, kept.Referral.RequiredTier, kept.Referral.Escalated));
        Assert.Empty(await OverridesOnAsync(journeyId));

        // Version 7, a team lead's decision about the escalated referral, stands; the referral stays marked escalated.
        await fixture.Bus.PublishAsync(_scenario.Overridden(c, Priority.High, version: 7));
        var changed = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.Referral.Priority == Priority.High);
        Assert.True(changed.Referral.Escalated);
        Assert.Single(await OverridesOnAsync(journeyId));
    }

    [Fact]
    public async Task A_decision_triage_made_before_the_escalation_arriving_after_it_leaves_the_journey_urgent_and_escalated()
    {
        var c = ReferralCase.New();
        var journeyId = await RegisterAsync(c);
        await fixture.Bus.PublishAsync(Escalated(c, Guid.NewGuid(), version: 6));
        await WaitForUrgentAsync(c, journeyId);
        var raised = await fixture.Probe.WaitForAsync<Integration.ReferralRetriaged>(r => r.ReferralId == c.ReferralId);

        // Triage's decision of version 4 (published before the escalation) arrives late.
        var older = await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.High) with { Source = new EventSource(c.ReferralId, 4) });
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, older);

        var view = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, _ => true);
        Assert.Equal((Priority.Urgent, Tier.PsychosocialLinkWorker, true), (view.Referral.Priority, view.Referral.RequiredTier, view.Referral.Escalated));
        // Published later, the practice's record keeps the escalation's priority too.
        var after = await fixture.Probe.WaitForAsync<Integration.ReferralRetriaged>(
            r => r.ReferralId == c.ReferralId && r.Source!.Version > raised.Source!.Version);
        Assert.Equal((Priority.Urgent, true), (after.Priority, after.Escalated));
    }

    [Fact]
    public async Task A_notice_without_the_referrals_tier_priority_and_version_as_triage_sent_before_it_added_them_leaves_the_journey_as_it_is()
    {
        var c = ReferralCase.New();
        var journeyId = await RegisterAsync(c);

        var notice = await fixture.Bus.PublishAsync(Escalated(c, Guid.NewGuid(), version: null));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, notice);

        var view = await _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, _ => true);
        Assert.Equal((Priority.Routine, Tier.LinkWorker, false), (view.Referral.Priority, view.Referral.RequiredTier, view.Referral.Escalated));
        Assert.Empty(await EscalationsOnAsync(journeyId));
    }
}
