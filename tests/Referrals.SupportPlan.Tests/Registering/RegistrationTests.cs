using System.Net;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Registering;

/// <summary>Recording the triaged referral against the journey, whatever order the upstream messages arrive in.</summary>
public sealed class RegistrationTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task A_submitted_and_triaged_referral_is_registered_and_GP_records_is_told()
    {
        var c = ReferralCase.New();
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow, scope: ConsentScope.CodedOnly));
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.High));

        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);

        Assert.Equal((c.JourneyId, c.PersonId, c.ProgrammeId, "B82005"), (registered.JourneyId, registered.PersonId, registered.ProgrammeId, registered.RegisteredPracticeOds));
        Assert.Equal((Priority.High, Tier.LinkWorker, true, false), (registered.Priority, registered.RequiredTier, registered.Eligible, registered.Reopened));
        Assert.Equal(ConsentScope.CodedOnly, registered.SharingScope);
        Assert.Equal([NeedCategory.LonelinessOrIsolation, NeedCategory.Housing], registered.Needs);
        Assert.Equal(new Referrals.Contracts.EventSource(c.JourneyId, 1), registered.Source);
        var journey = await _scenario.WaitForJourneyAsync(c.JourneyId, c.ProgrammeId, _ => true);
        Assert.Equal(JourneyStatus.AwaitingAcceptance, journey.Status);
        Assert.Equal("Getting out and meeting people", journey.Referral.WhatMatters);
        Assert.Equal("Alex", journey.Person!.GivenName);
        await using var session = fixture.Store.QuerySession();
        Assert.Equal(c.JourneyId, (await session.LoadAsync<ReferralJourneyLink>(c.ReferralId))!.JourneyId);
    }

    [Fact]
    public async Task A_self_referral_naming_the_persons_recently_closed_journey_starts_a_new_one_and_the_closed_journey_keeps_its_details_and_history()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using (var worker = _scenario.Worker(c))
        {
            await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns", new { crisis = false, indicators = new[] { "domestic-abuse" }, details = "Fears partner" })
                .Expect<System.Text.Json.JsonElement>(HttpStatusCode.Created);
            // Triage (not running here) never confirms the concern: closing over it needs a reason.
            await worker.Post($"/journeys/{journey.JourneyId}/closure",
                new { reason = "GoalsMet", closeWithUnconfirmedConcernReason = "Duty worker has it" }).Ok();
        }

        var held = (await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.Closed)).Person;

        // Sent before intake stopped linking self-referrals: it names the person's journey, closed a week before, with the caller's details.
        var again = c.ReReferral();
        var caller = held! with { Phone = "07700 900999", Email = "someone.else@example.org", PreferredContactMethod = ContactMethod.Email };
        await fixture.Bus.PublishAsync(Scenario.Submitted(again, journey.JourneyId, fixture.Clock.UtcNow.AddDays(7)) with
        {
            Referrer = new Referrer(ReferrerKind.Self, "SELF", null, null, null),
            Person = caller,
        });
        await fixture.Bus.PublishAsync(Scenario.Triaged(again));

        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == again.ReferralId);
        Assert.NotEqual(journey.JourneyId, registered.JourneyId);
        Assert.False(registered.Reopened);
        var fresh = await _scenario.WaitForJourneyAsync(registered.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.AwaitingAcceptance);
        Assert.Equal("someone.else@example.org", fresh.Person!.Email);
        Assert.Empty(fresh.SafeguardingConcerns);
        var closed = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true);
        Assert.Equal((JourneyStatus.Closed, held), (closed.Status, closed.Person));
    }

    [Fact]
    public async Task A_submission_whose_consent_was_erased_before_intake_sent_it_is_registered_sharing_nothing()
    {
        var c = ReferralCase.New();
        // The consent record is personal data: a person erased while the message waited in intake's outbox is sent without it.
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow) with { Consent = null, Person = null });
        await fixture.Bus.PublishAsync(Scenario.Triaged(c));

        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);

        Assert.Equal(ConsentScope.None, registered.SharingScope);
    }

    [Fact]
    public async Task A_triage_decision_that_arrives_before_the_submission_waits_for_it()
    {
        var c = ReferralCase.New();
        await fixture.Bus.PublishAsync(Scenario.Triaged(c));
        await WaitForReferralStreamAsync(c.ReferralId, events: 1);
        Assert.DoesNotContain(fixture.Probe.All<Integration.JourneyRegistered>(), r => r.ReferralId == c.ReferralId);

        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow));

        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);
        Assert.Equal(c.JourneyId, registered.JourneyId);
    }

    [Fact]
    public async Task An_acceptance_that_arrives_before_the_referral_is_registered_opens_the_journey_once_it_is()
    {
        var c = ReferralCase.New();
        await fixture.Bus.PublishAsync(Scenario.Accepted(c));
        await fixture.Bus.PublishAsync(Scenario.Triaged(c));
        await WaitForReferralStreamAsync(c.ReferralId, events: 2);
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow));

        var opened = await fixture.Probe.WaitForAsync<Integration.JourneyOpened>(o => o.ReferralId == c.ReferralId);

        Assert.Equal((c.JourneyId, c.WorkerId, false, 1), (opened.JourneyId, opened.LinkWorkerId, opened.Reopened, opened.Episode));
        var journey = await _scenario.WaitForJourneyAsync(c.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.Open);
        Assert.True(journey.Decision.AgreementDue);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_registers_the_journey_once()
    {
        var c = ReferralCase.New();
        var submitted = Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow);
        var messageId = Guid.NewGuid();
        await fixture.Bus.PublishAsync(submitted, messageId);
        await fixture.Bus.PublishAsync(submitted, messageId);
        await fixture.Bus.PublishAsync(Scenario.Triaged(c));

        await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);
        await Task.Delay(500);

        Assert.Single(fixture.Probe.All<Integration.JourneyRegistered>(), r => r.ReferralId == c.ReferralId);
        await using var session = fixture.Store.QuerySession();
        Assert.Single(await session.Events.FetchStreamAsync(c.JourneyId));
    }

    [Fact]
    public async Task A_referral_triage_found_ineligible_is_recorded_but_not_worked()
    {
        var c = ReferralCase.New();
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow));
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, eligible: false));

        var registered = await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);

        Assert.False(registered.Eligible);
        var journey = await _scenario.WaitForJourneyAsync(c.JourneyId, c.ProgrammeId, _ => true);
        Assert.Equal(JourneyStatus.NotEligible, journey.Status);
        Assert.Equal(["Out of area"], journey.Referral.TriageReasons);
    }

    [Fact]
    public async Task A_referral_withdrawn_before_registration_is_never_registered()
    {
        var c = ReferralCase.New();
        await fixture.Bus.PublishAsync(new ReferralWithdrawn(c.ReferralId, c.JourneyId, c.PersonId, "Sorted elsewhere", fixture.Clock.UtcNow));
        await WaitForReferralStreamAsync(c.ReferralId, events: 1); // the queues are separate: make sure the withdrawal is in first
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow));
        await fixture.Bus.PublishAsync(Scenario.Triaged(c));
        await fixture.Bus.PublishAsync(Scenario.Accepted(c));

        await WaitForReferralStreamAsync(c.ReferralId, events: 4);
        await Task.Delay(300);

        Assert.DoesNotContain(fixture.Probe.All<Integration.JourneyRegistered>(), r => r.ReferralId == c.ReferralId);
        await using var session = fixture.Store.QuerySession();
        Assert.Null(await session.Events.FetchStreamStateAsync(c.JourneyId));
    }

    [Fact]
    public async Task A_withdrawal_before_the_person_has_agreed_closes_the_journey_as_withdrawn()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);

        await fixture.Bus.PublishAsync(new ReferralWithdrawn(c.ReferralId, c.JourneyId, c.PersonId, "Sorted elsewhere", fixture.Clock.UtcNow));

        var closed = await fixture.Probe.WaitForAsync<Integration.JourneyClosed>(e => e.JourneyId == journey.JourneyId);
        Assert.Equal(Integration.ClosureReason.Withdrawn, closed.Reason);
        var view = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.Closed);
        Assert.Equal([c.ReferralId], view.Referral.WithdrawnReferralIds);
    }

    [Fact]
    public async Task A_withdrawal_after_the_person_has_agreed_is_noted_and_the_journey_continues()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);

        await fixture.Bus.PublishAsync(new ReferralWithdrawn(c.ReferralId, c.JourneyId, c.PersonId, "Referrer's mistake", fixture.Clock.UtcNow));

        var view = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Referral.WithdrawnReferralIds.Count == 1);
        Assert.Equal(JourneyStatus.Active, view.Status);
        using var worker = _scenario.Worker(c);
        var timeline = await worker.Get<SupportPlan.Timeline.TimelineView>($"/journeys/{journey.JourneyId}/timeline");
        var noted = timeline.Entries.Single(e => e.Kind == "ReferralWithdrawn");
        Assert.Equal("Referrer's mistake", noted.Detail);
        Assert.DoesNotContain(fixture.Probe.All<Integration.JourneyClosed>(), e => e.JourneyId == journey.JourneyId);
    }

    [Fact]
    public async Task A_later_acceptance_by_another_worker_moves_the_journey_to_their_caseload()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);

        await fixture.Bus.PublishAsync(Scenario.Accepted(c, worker: "lw-handover") with { Source = new Referrals.Contracts.EventSource(Guid.NewGuid(), 9) });

        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.LinkWorkerId == "lw-handover");
        using var previous = _scenario.Worker(c);
        await previous.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}").Problem(HttpStatusCode.Forbidden);
        using var next = _scenario.Worker("lw-handover", c.ProgrammeId);
        Assert.Equal(JourneyStatus.Active, (await next.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Status);
    }

    [Fact]
    public async Task A_re_triage_changes_the_journeys_priority()
    {
        var c = ReferralCase.New();
        await _scenario.OpenAsync(c);

        await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.Urgent, sourceVersion: 5));

        var journey = await _scenario.WaitForJourneyAsync(c.JourneyId, c.ProgrammeId, j => j.Referral.Priority == Priority.Urgent);
        Assert.Equal(JourneyStatus.Open, journey.Status);
    }

    /// <summary>gp-records follows it: the practice's record shows a referral ruled out of scope as not going ahead (HAZ-005 C8).</summary>
    [Fact]
    public async Task A_team_leads_override_after_registration_ruling_the_referral_out_of_scope_and_back_is_published_each_time()
    {
        var c = ReferralCase.New();
        await fixture.Bus.PublishAsync(Scenario.Submitted(c, submittedAt: fixture.Clock.UtcNow));
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, sourceVersion: 1));
        await fixture.Probe.WaitForAsync<Integration.JourneyRegistered>(r => r.ReferralId == c.ReferralId);

        var overriddenAt = fixture.Clock.UtcNow.AddHours(1);
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, eligible: false, sourceVersion: 2, at: overriddenAt));
        var ruledOut = await fixture.Probe.WaitForAsync<Integration.ReferralRetriaged>(r => r.ReferralId == c.ReferralId && !r.Eligible);
        Assert.Equal((c.JourneyId, c.PersonId, c.ProgrammeId), (ruledOut.JourneyId, ruledOut.PersonId, ruledOut.ProgrammeId));
        Assert.Equal(overriddenAt, ruledOut.TriagedAt);
        Assert.Equal(c.JourneyId, ruledOut.Source?.StreamId);
        await _scenario.WaitForJourneyAsync(c.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.NotEligible);

        await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.High, sourceVersion: 3, at: overriddenAt.AddHours(1)));
        var broughtBack = await fixture.Probe.WaitForAsync<Integration.ReferralRetriaged>(r => r.ReferralId == c.ReferralId && r.Eligible);
        Assert.Equal(Priority.High, broughtBack.Priority);
        Assert.True(broughtBack.Source!.Version > ruledOut.Source!.Version);
        await _scenario.WaitForJourneyAsync(c.JourneyId, c.ProgrammeId, j => j.Status == JourneyStatus.AwaitingAcceptance);
    }

    private async Task WaitForReferralStreamAsync(Guid referralId, int events)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await using var session = fixture.Store.QuerySession();
            if ((await session.Events.FetchStreamAsync(referralId)).Count >= events)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "The referral's messages were not all recorded in time.");
            await Task.Delay(50);
        }
    }
}
