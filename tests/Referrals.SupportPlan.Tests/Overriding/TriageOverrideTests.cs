using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;
using Referrals.Testing;

namespace Referrals.SupportPlan.Tests.Overriding;

/// <summary>
/// A team lead's override of triage's tier or priority reaches the journey through the bus: the worker's caseload and the
/// journey show it, once, and only on the journey that works from the overridden referral (HAZ-009 C5).
/// </summary>
public sealed class TriageOverrideTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    /// <summary>Triage's override as it publishes it: versioned on triage's referral stream, with the team lead's reason.</summary>
    private Task<JourneyView> WaitForPriorityAsync(ReferralCase c, Guid journeyId, Priority priority) =>
        _scenario.WaitForJourneyAsync(journeyId, c.ProgrammeId, j => j.Referral.Priority == priority);

    private Task<IReadOnlyList<ReferralTriageOverridden>> OverridesOnAsync(Guid journeyId) => _scenario.EventsOnAsync<ReferralTriageOverridden>(journeyId);

    [Fact]
    public async Task A_team_leads_override_to_urgent_shows_on_the_workers_caseload_and_journey_without_the_team_leads_words()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        Assert.Equal(Priority.Routine, journey.Referral.Priority);
        var canary = "Zqoverride" + Guid.NewGuid().ToString("N")[..8];

        await fixture.Bus.PublishAsync(_scenario.Overridden(c, Priority.Urgent, version: 6, reason: canary + " lives alone"));

        var view = await WaitForPriorityAsync(c, journey.JourneyId, Priority.Urgent);
        Assert.Equal((Tier.PsychosocialLinkWorker, JourneyStatus.Active), (view.Referral.RequiredTier, view.Status));
        using var worker = _scenario.Worker(c);
        var line = (await worker.Get<IReadOnlyList<JourneySummary>>("/caseload")).Single(j => j.JourneyId == journey.JourneyId);
        Assert.Equal((Priority.Urgent, Tier.PsychosocialLinkWorker), (line.Priority, line.RequiredTier));
        var shown = (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Referral;
        Assert.Equal((Priority.Urgent, Tier.PsychosocialLinkWorker), (shown.Priority, shown.RequiredTier));

        var entry = (await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries.Single(e => e.Kind == "TriageOverridden");
        Assert.Equal("tl-7", entry.Actor);
        Assert.Contains("priority Routine to Urgent", entry.Summary, StringComparison.Ordinal);
        Assert.Null(entry.Detail);
        Assert.Empty(await PlainText.TablesHoldingAsync(fixture.Infrastructure.PostgresConnectionString, fixture.Schema, canary));
    }

    [Fact]
    public async Task An_override_that_arrives_before_the_journey_is_registered_is_applied_once_it_is()
    {
        var c = ReferralCase.New();
        var overridden = await fixture.Bus.PublishAsync(_scenario.Overridden(c, Priority.High, version: 3));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, overridden);

        // Triage's first decision (version 1) comes later, on its own queue.
        var journey = await _scenario.OpenAsync(c);

        var view = await WaitForPriorityAsync(c, journey.JourneyId, Priority.High);
        Assert.Equal(Tier.PsychosocialLinkWorker, view.Referral.RequiredTier);
        Assert.Single(await OverridesOnAsync(journey.JourneyId));
    }

    [Fact]
    public async Task The_same_override_delivered_twice_or_sent_again_under_another_message_id_changes_the_journey_once()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var message = _scenario.Overridden(c, Priority.Urgent, version: 5);
        var messageId = Guid.NewGuid();

        await fixture.Bus.PublishAsync(message, messageId);
        await fixture.Bus.PublishAsync(message, messageId);
        var copy = await fixture.Bus.PublishAsync(message);
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, messageId);
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, copy);

        await WaitForPriorityAsync(c, journey.JourneyId, Priority.Urgent);
        await Task.Delay(500);
        var changed = Assert.Single(await OverridesOnAsync(journey.JourneyId));
        Assert.Equal((Priority.Routine, Priority.Urgent), (changed.PreviousPriority, changed.Priority));
        using var worker = _scenario.Worker(c);
        Assert.Single((await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries, e => e.Kind == "TriageOverridden");
    }

    /// <summary>
    /// gp-records follows it (the practice's ServiceRequest priority): triage does not decide again for a change of priority
    /// alone. Sent from the journey's stream, so its version orders it against the re-triages as support-plan applied them.
    /// </summary>
    [Fact]
    public async Task A_priority_only_override_is_published_as_a_re_triage_that_stands_against_an_older_decision_and_not_a_newer_one()
    {
        var c = ReferralCase.New();
        await _scenario.OpenAsync(c);
        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);

        var overridden = _scenario.Overridden(c, Priority.Urgent, version: 5, tier: Tier.LinkWorker);
        await fixture.Bus.PublishAsync(overridden);
        var raised = await fixture.Probe.WaitForAsync<Integration.ReferralRetriaged>(r => r.ReferralId == c.ReferralId);
        Assert.Equal((c.JourneyId, c.PersonId, c.ProgrammeId), (raised.JourneyId, raised.PersonId, raised.ProgrammeId));
        Assert.Equal((true, Tier.LinkWorker, Priority.Urgent, false), (raised.Eligible, raised.RequiredTier, raised.Priority, raised.Escalated));
        Assert.Equal(overridden.OverriddenAt, raised.TriagedAt);
        Assert.Equal(c.JourneyId, raised.Source?.StreamId);
        Assert.True(raised.Source!.Version > registered.Source!.Version);

        // Triage's decision of version 3 (before the override) arrives late: published later, it keeps the override's priority.
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.High) with { Source = new EventSource(c.ReferralId, 3) });
        var older = await fixture.Probe.WaitForAsync<Integration.ReferralRetriaged>(
            r => r.ReferralId == c.ReferralId && r.Source!.Version > raised.Source.Version);
        Assert.Equal(Priority.Urgent, older.Priority);

        // Triage decides again after the override (version 8): it stands, with a later version than the override's.
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.High) with { Source = new EventSource(c.ReferralId, 8) });
        var newer = await fixture.Probe.WaitForAsync<Integration.ReferralRetriaged>(r => r.ReferralId == c.ReferralId && r.Priority == Priority.High);
        Assert.True(newer.Source!.Version > older.Source!.Version);
    }

    /// <summary>The registration carries triage's first priority; the override, applied in the same transaction, follows it.</summary>
    [Fact]
    public async Task An_override_that_arrives_before_the_journey_is_registered_is_published_as_a_re_triage_after_the_registration()
    {
        var c = ReferralCase.New();
        var overridden = await fixture.Bus.PublishAsync(_scenario.Overridden(c, Priority.High, version: 3, tier: Tier.LinkWorker));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, overridden);

        await _scenario.OpenAsync(c);

        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);
        Assert.Equal(Priority.Routine, registered.Priority);
        var raised = await fixture.Probe.WaitForAsync<Integration.ReferralRetriaged>(r => r.ReferralId == c.ReferralId);
        Assert.Equal((true, Tier.LinkWorker, Priority.High), (raised.Eligible, raised.RequiredTier, raised.Priority));
        Assert.Equal(c.JourneyId, raised.Source?.StreamId);
        Assert.True(raised.Source!.Version >= registered.Source!.Version);
    }

    [Fact]
    public async Task An_override_of_a_referral_the_journey_does_not_work_from_leaves_its_priority_alone()
    {
        // The person's first journey, closed and reopened by a re-referral: it now works from the second referral.
        var first = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(first);
        using (var worker = _scenario.Worker(first))
        {
            await worker.Post($"/journeys/{journey.JourneyId}/closure", new { reason = "MovedAway" }).Ok();
        }

        var again = first.ReReferral();
        await fixture.Bus.PublishAsync(Scenario.Submitted(again, journey.JourneyId, fixture.Clock.UtcNow.AddDays(10)));
        await fixture.Bus.PublishAsync(Scenario.Triaged(again));
        await _scenario.WaitForJourneyAsync(journey.JourneyId, first.ProgrammeId, j => j.Referral.ReferralId == again.ReferralId);

        // An override of the first referral, and one of a referral support-plan never recorded against the journey, naming it.
        var earlier = await fixture.Bus.PublishAsync(_scenario.Overridden(first, Priority.Urgent, version: 9));
        var stranger = ReferralCase.New(first.ProgrammeId, first.PersonId);
        var unknown = await fixture.Bus.PublishAsync(_scenario.Overridden(stranger, Priority.Urgent, version: 2, journeyId: journey.JourneyId));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, earlier);
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, unknown);

        var view = await _scenario.WaitForJourneyAsync(journey.JourneyId, first.ProgrammeId, _ => true);
        Assert.Equal((Priority.Routine, Tier.LinkWorker), (view.Referral.Priority, view.Referral.RequiredTier));
        Assert.Empty(await OverridesOnAsync(journey.JourneyId));
    }

    [Fact]
    public async Task An_override_older_than_triages_later_decision_is_ignored_and_an_older_decision_keeps_the_overrides_priority()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        await fixture.Bus.PublishAsync(_scenario.Overridden(c, Priority.Urgent, version: 5));
        await WaitForPriorityAsync(c, journey.JourneyId, Priority.Urgent);

        // Triage's decision of version 3 (published before the override) arrives late: the override stands.
        var older = await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.High) with { Source = new EventSource(c.ReferralId, 3) });
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, older);
        Assert.Equal(Priority.Urgent, (await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true)).Referral.Priority);

        // Triage decides again (version 8); then an override of version 7 arrives late and changes nothing.
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.High) with { Source = new EventSource(c.ReferralId, 8) });
        await WaitForPriorityAsync(c, journey.JourneyId, Priority.High);
        var stale = await fixture.Bus.PublishAsync(_scenario.Overridden(c, Priority.Routine, version: 7));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, stale);

        Assert.Equal(Priority.High, (await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true)).Referral.Priority);
        Assert.Single(await OverridesOnAsync(journey.JourneyId));
    }
}
