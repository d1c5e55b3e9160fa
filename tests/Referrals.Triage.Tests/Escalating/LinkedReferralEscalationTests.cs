using System.Net.Http.Json;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.Testing;
using Referrals.Triage.Assigning;
using Referrals.Triage.Common;
using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Tests.Escalating;

/// <summary>
/// A referral for a person already on an open journey in the programme reaches triage only as intake's
/// <see cref="ReferralLinkedToOpenJourney"/> (HAZ-001): a risk it reports escalates the open referral through the duty chain.
/// Real store, timers and broker; the test clock starts on Monday 5 January 2026 at 09:00 London, inside the weekday rota.
/// </summary>
public sealed class LinkedReferralEscalationTests : IAsyncLifetime
{
    private readonly TestClock _clock = new(TestClock.DefaultStart);
    private TriageHost _triage = null!;

    public async Task InitializeAsync() => _triage = await TriageHost.StartAsync(_clock, "triage_linked");

    public async Task DisposeAsync() => await _triage.DisposeAsync();

    [Fact]
    public async Task A_linked_referral_reporting_risk_escalates_the_open_referral_to_the_duty_worker_tells_its_referrer_and_takes_it_out_of_the_routine_queue()
    {
        var (programme, waiting) = await _triage.OneReferralWaitingBehindAFullTeamAsync(_clock.UtcNow);
        var linked = Linked(waiting, programme.ProgrammeId, risk: new RiskAnswers(true, false, false, false));

        var duty = await _triage.PublishAndWaitAsync<ReferralEscalated>(linked,
            e => e.ReferralId == waiting.ReferralId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        Assert.Equal(("sos-3", 1), (duty.RecipientId, duty.Step));
        Assert.Equal(_clock.UtcNow + TimeSpan.FromMinutes(15), duty.AcknowledgeBy);
        Assert.Contains("Risk of harm to self (referrer's risk answers)", duty.Indicators);
        Assert.Contains(duty.Indicators, i => i.StartsWith("New referral for a person already on an open journey", StringComparison.Ordinal));

        // The referrer who sent the new referral is told, about the referral they sent (intake relays it to them).
        var referrer = await _triage.Probe.WaitForAsync<ReferralEscalated>(
            e => e.EscalationId == duty.EscalationId && e.RecipientKind == EscalationRecipientKind.Referrer);
        Assert.Equal((linked.ReferralId, "F11004", 1), (referrer.ReferralId, referrer.RecipientId, referrer.Step));
        Assert.Contains("not a crisis service", referrer.Statement, StringComparison.Ordinal);
        // The open referral's new tier and priority go on notices about it, not on the one naming the referral they sent.
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent), (duty.RequiredTier, duty.Priority));
        Assert.NotNull(duty.ReferralVersion);
        Assert.Equal<(Tier?, Priority?, long?)>((null, null, null), (referrer.RequiredTier, referrer.Priority, referrer.ReferralVersion));

        // Out of the routine order: offered now to the tier escalations need, and shown as escalated.
        await _triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == waiting.ReferralId && a.LinkWorkerId == "sos-3");
        using var lead = _triage.TeamLead(programme.ProgrammeId);
        var view = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{waiting.ReferralId}", TriageHost.Json))!;
        Assert.True(view.Escalated);
        Assert.Equal((ReferralStatus.Offered, Priority.Urgent), (view.Status, view.Priority));
        var escalation = (await lead.GetFromJsonAsync<EscalationView>($"/escalations/{duty.EscalationId}", TriageHost.Json))!;
        Assert.Equal((waiting.ReferralId, linked.ReferralId, EscalationTrigger.LinkedReferral),
            (escalation.ReferralId, escalation.LinkedReferralId, escalation.Trigger));

        // The chain moves on as any escalation's does.
        _clock.Advance(TimeSpan.FromMinutes(15));
        var teamLead = await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.EscalationId == duty.EscalationId && e.Step == 2);
        Assert.Equal(waiting.ReferralId, teamLead.ReferralId);
    }

    [Fact]
    public async Task A_linked_referral_delivered_again_or_to_a_second_consumer_opens_no_second_escalation()
    {
        var (programme, waiting) = await _triage.OneReferralWaitingBehindAFullTeamAsync(_clock.UtcNow);
        var linked = Linked(waiting, programme.ProgrammeId, riskNotes: "Told the GP she has been saving up her tablets.");

        // The same message three times: twice under new message ids (a re-sent copy, as if to two consumers at once), once redelivered.
        var first = await _triage.PublishAsync(linked);
        var copies = await Task.WhenAll(_triage.PublishAsync(linked), _triage.PublishAsync(linked));
        await _triage.PublishAsync(linked, first);
        foreach (var id in copies.Prepend(first))
        {
            await Inbox.WaitUntilAppliedAsync(_triage.Schema.SchemaName, id);
        }

        await _triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == waiting.ReferralId && a.LinkWorkerId == "sos-3");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var told = _triage.Probe.All<ReferralEscalated>().Where(e => e.ReferralId == waiting.ReferralId || e.ReferralId == linked.ReferralId).ToList();
        Assert.Single(told.Select(e => e.EscalationId).Distinct());
        Assert.Single(told, e => e.RecipientKind == EscalationRecipientKind.DutyWorker);
        Assert.Single(told, e => e.RecipientKind == EscalationRecipientKind.Referrer);
        Assert.Single(_triage.Probe.All<ReferralAssigned>(), a => a.ReferralId == waiting.ReferralId);
    }

    [Fact]
    public async Task A_risky_linked_referral_linked_again_to_a_new_journey_escalates_that_journeys_open_referral_too()
    {
        var (programme, waiting) = await _triage.OneReferralWaitingBehindAFullTeamAsync(_clock.UtcNow);
        var linked = Linked(waiting, programme.ProgrammeId, risk: new RiskAnswers(true, false, false, false));
        await _triage.PublishAndWaitAsync<ReferralEscalated>(linked,
            e => e.ReferralId == waiting.ReferralId && e.RecipientKind == EscalationRecipientKind.DutyWorker);

        // The first journey ended untaken; intake released another of the person's referrals, which opened a new journey and
        // waits in the routine queue, and links this one to it (HAZ-007 C8).
        var released = Fixtures.Referral(programme.ProgrammeId, "F11001", submittedAt: _clock.UtcNow);
        await _triage.PublishAndWaitAsync<ReferralQueued>(released, q => q.ReferralId == released.ReferralId);
        var duty = await _triage.PublishAndWaitAsync<ReferralEscalated>(linked with { JourneyId = released.JourneyId },
            e => e.ReferralId == released.ReferralId && e.RecipientKind == EscalationRecipientKind.DutyWorker);

        Assert.Contains("Risk of harm to self (referrer's risk answers)", duty.Indicators);
        using var lead = _triage.TeamLead(programme.ProgrammeId);
        var view = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{released.ReferralId}", TriageHost.Json))!;
        Assert.True(view.Escalated);
        Assert.Equal(Priority.Urgent, view.Priority);
    }

    /// <summary>HAZ-001: the team lead's judgement predates the risk the further referral reports.</summary>
    [Fact]
    public async Task A_linked_referral_reporting_risk_after_a_team_lead_lowered_an_escalated_accepted_referral_makes_it_urgent_again_with_its_worker_and_tier_kept()
    {
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var risky = Fixtures.Referral(programme.ProgrammeId, "F11003", riskNotes: "Told the GP she has been saving up her tablets.",
            submittedAt: _clock.UtcNow, referrerOrganisation: "F11003");
        var offer = await _triage.PublishAndWaitAsync<ReferralAssigned>(risky, a => a.ReferralId == risky.ReferralId && a.LinkWorkerId == "sos-3");
        using (var worker = _triage.LinkWorker(programme.ProgrammeId, "sos-3"))
        {
            (await worker.PostAsync($"/assignments/{offer.AssignmentId}/accept", null)).EnsureSuccessStatusCode();
        }

        // Escalated at triage and accepted; a team lead lowers it to high-priority Link Worker Coach work (sos-3 keeps it).
        using var lead = _triage.TeamLead(programme.ProgrammeId);
        (await lead.PostAsJsonAsync($"/referrals/{risky.ReferralId}/override",
            new OverrideRequest(Tier.LinkWorkerCoach, Priority.High, null, "Reviewed with the worker after the first visit."), TriageHost.Json))
            .EnsureSuccessStatusCode();

        var linked = Linked(risky, programme.ProgrammeId, risk: new RiskAnswers(true, false, false, false));
        var escalationId = StreamIds.EscalationForLinkedReferral(linked.ReferralId, linked.JourneyId);
        var duty = await _triage.PublishAndWaitAsync<ReferralEscalated>(linked,
            e => e.EscalationId == escalationId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        Assert.Equal(risky.ReferralId, duty.ReferralId);

        // Urgent again; an accepted referral keeps its worker and the tier the team lead set.
        var view = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{risky.ReferralId}", TriageHost.Json))!;
        Assert.Equal((ReferralStatus.Accepted, "sos-3"), (view.Status, view.Assignment?.LinkWorkerId));
        Assert.Equal((Tier.LinkWorkerCoach, Priority.Urgent, true), (view.RequiredTier, view.Priority, view.Escalated));
        await using var session = _triage.Store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(risky.ReferralId);
        Assert.DoesNotContain(stream, e => e.Data is AssignmentEnded);
        var raised = stream.Single(e => e.Data is ReferralEscalationRaised);
        Assert.True(raised.Version > stream.Single(e => e.Data is TriageDecisionOverridden).Version);
        Assert.Equal((Tier.LinkWorkerCoach, Priority.Urgent, raised.Version), (duty.RequiredTier, duty.Priority, duty.ReferralVersion));
    }

    [Fact]
    public async Task A_linked_referral_reporting_no_risk_opens_no_escalation_and_leaves_the_open_referral_in_the_queue()
    {
        var (programme, waiting) = await _triage.OneReferralWaitingBehindAFullTeamAsync(_clock.UtcNow);
        var linked = Linked(waiting, programme.ProgrammeId, risk: Fixtures.NoRisk);

        var messageId = await _triage.PublishAsync(linked);
        await Inbox.WaitUntilAppliedAsync(_triage.Schema.SchemaName, messageId);

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(_triage.Probe.All<ReferralEscalated>(), e => e.ReferralId == waiting.ReferralId || e.ReferralId == linked.ReferralId);
        using var lead = _triage.TeamLead(programme.ProgrammeId);
        var view = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{waiting.ReferralId}", TriageHost.Json))!;
        Assert.False(view.Escalated);
        Assert.Equal((ReferralStatus.Queued, Priority.Routine), (view.Status, view.Priority));
    }

    [Fact]
    public async Task A_linked_referral_whose_only_sign_of_risk_is_in_what_matters_to_the_person_escalates_the_open_referral()
    {
        var (programme, waiting) = await _triage.OneReferralWaitingBehindAFullTeamAsync(_clock.UtcNow);
        var linked = Linked(waiting, programme.ProgrammeId) with { WhatMatters = "Says she has been saving up her tablets and wants it to stop." };

        var duty = await _triage.PublishAndWaitAsync<ReferralEscalated>(linked,
            e => e.ReferralId == waiting.ReferralId && e.RecipientKind == EscalationRecipientKind.DutyWorker);

        Assert.Contains(duty.Indicators, i => i.StartsWith("Self-harm or overdose", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_linked_referral_reporting_risk_for_an_open_journey_triage_does_not_know_escalates_at_once_and_tells_its_referrer()
    {
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        // The open journey's own submission has not reached triage (or never will): the signal is not delayed for it.
        var unknown = Fixtures.Referral(programme.ProgrammeId, "F11002", submittedAt: _clock.UtcNow);
        var linked = Linked(unknown, programme.ProgrammeId, urgency: Urgency.Urgent, reason: "She says she can't go on and has stopped eating.");

        var duty = await _triage.PublishAndWaitAsync<ReferralEscalated>(linked,
            e => e.ReferralId == linked.ReferralId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        Assert.Equal(("sos-3", 1, linked.JourneyId), (duty.RecipientId, duty.Step, duty.JourneyId));
        Assert.Contains("Referrer asked for urgent help", duty.Indicators);
        var referrer = await _triage.Probe.WaitForAsync<ReferralEscalated>(
            e => e.EscalationId == duty.EscalationId && e.RecipientKind == EscalationRecipientKind.Referrer);
        Assert.Equal((linked.ReferralId, "F11004"), (referrer.ReferralId, referrer.RecipientId));

        // When the open referral does arrive, it is triaged as usual; the escalation already made stands.
        await _triage.PublishAndWaitAsync<ReferralAssigned>(unknown, a => a.ReferralId == unknown.ReferralId);
        Assert.Single(_triage.Probe.All<ReferralEscalated>(), e => e.EscalationId == duty.EscalationId && e.Step == 1
            && e.RecipientKind == EscalationRecipientKind.DutyWorker);
    }

    /// <summary>
    /// HAZ-001 C18: intake sends a linked referral again until triage answers, so triage answers every linking it reads, in the
    /// transaction that reads it (a risky one with the escalation it opened, one reporting no risk with none), and once
    /// however many copies it consumes (one MessageId per linking, so intake's inbox keeps one).
    /// </summary>
    [Fact]
    public async Task Triage_answers_each_linked_referral_it_reads_with_one_receipt_naming_the_escalation_it_opened_or_none_when_it_reports_no_risk()
    {
        var (programme, waiting) = await _triage.OneReferralWaitingBehindAFullTeamAsync(_clock.UtcNow);
        var risky = Linked(waiting, programme.ProgrammeId, risk: new RiskAnswers(true, false, false, false));
        var quiet = Linked(waiting, programme.ProgrammeId, risk: Fixtures.NoRisk);

        var receipt = await _triage.PublishAndWaitAsync<LinkedReferralReceived>(risky, r => r.ReferralId == risky.ReferralId);
        Assert.Equal((risky.JourneyId, risky.PersonId, (Guid?)StreamIds.EscalationForLinkedReferral(risky.ReferralId, risky.JourneyId), _clock.UtcNow),
            (receipt.JourneyId, receipt.PersonId, receipt.EscalationId, receipt.ReceivedAt));
        var none = await _triage.PublishAndWaitAsync<LinkedReferralReceived>(quiet, r => r.ReferralId == quiet.ReferralId);
        Assert.Null(none.EscalationId);

        // Copies under new message ids (a second consumer, a copy from before the MessageId was derived) answer under the same id.
        foreach (var id in await Task.WhenAll(_triage.PublishAsync(risky), _triage.PublishAsync(quiet)))
        {
            await Inbox.WaitUntilAppliedAsync(_triage.Schema.SchemaName, id);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var linked in new[] { risky, quiet })
        {
            var answers = _triage.Probe.Messages.Where(m => m.Message is LinkedReferralReceived r && r.ReferralId == linked.ReferralId).ToList();
            Assert.Single(answers.Select(m => m.MessageId).Distinct());
        }

        Assert.Single(_triage.Probe.All<ReferralEscalated>(), e => e.ReferralId == waiting.ReferralId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
    }

    /// <summary>The new referral, from another practice's GP, as intake publishes it when it joins the person's open journey.</summary>
    private ReferralLinkedToOpenJourney Linked(ReferralSubmitted open, string programmeId, RiskAnswers? risk = null, string? riskNotes = null,
        Urgency urgency = Urgency.Routine, string? reason = "Would like help with getting out more.") =>
        new(Guid.CreateVersion7(), open.JourneyId, open.PersonId, programmeId,
            new Referrer(ReferrerKind.GpPractice, "F11004", "Dr B Example", "GP", "reception@example.nhs.uk"), _clock.UtcNow)
        {
            Risk = risk ?? Fixtures.NoRisk,
            RiskNotes = riskNotes,
            Urgency = urgency,
            Needs = [NeedCategory.LonelinessOrIsolation],
            ReasonText = reason,
            RegisteredPracticeOds = open.RegisteredPracticeOds,
        };
}
