using System.Net;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;
using Referrals.Testing;

namespace Referrals.SupportPlan.Tests.LinkingReferrals;

/// <summary>
/// HAZ-001 C8 for the person's own worker: a referral intake linked to the journey they hold reaches them on the journey, its
/// timeline and their caseload (until they acknowledge it), with the referrer's words encrypted under the person's key.
/// </summary>
public sealed class FurtherReferralTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    private static ReferralLinkedToOpenJourney Linked(ReferralCase c, Guid journeyId, string canary, DateTimeOffset at) =>
        new(Guid.NewGuid(), journeyId, c.PersonId, c.ProgrammeId,
            new Referrer(ReferrerKind.OtherHealthOrganisation, "RR8", "Nurse Example", "District nurse", "0113 000 0001"), at)
        {
            Risk = new RiskAnswers(true, false, false, false),
            RiskNotes = canary + " said they cannot go on",
            Urgency = Urgency.Urgent,
            Needs = [NeedCategory.Housing, NeedCategory.DebtOrBenefits],
            ReasonText = canary + " eviction notice received",
            WhatMatters = canary + " keeping the flat",
        };

    private static string Canary() => "Zqfurther" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_linked_referral_is_shown_to_the_worker_on_the_journey_and_timeline_and_no_table_holds_its_words_in_plain_text()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var canary = Canary();
        var linked = Linked(c, journey.JourneyId, canary, fixture.Clock.UtcNow);

        await fixture.Bus.PublishAsync(linked);
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.FurtherReferrals.Count == 1);

        using var worker = _scenario.Worker(c);
        var further = Assert.Single((await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).FurtherReferrals);
        Assert.Equal((linked.ReferralId, "RR8", Urgency.Urgent, true, true), (further.ReferralId, further.Referrer.OrganisationId, further.Urgency,
            further.CarriedRisk, further.Unacknowledged));
        Assert.Equal([NeedCategory.Housing, NeedCategory.DebtOrBenefits], further.Needs);
        Assert.Equal((linked.ReasonText, linked.WhatMatters, linked.RiskNotes), (further.ReasonText, further.WhatMatters, further.RiskNotes));

        var entry = (await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries.Single(e => e.Kind == "FurtherReferral");
        Assert.DoesNotContain(canary, entry.Summary, StringComparison.Ordinal);
        Assert.Contains("RR8", entry.Summary, StringComparison.Ordinal);
        Assert.Contains("reports risk", entry.Summary, StringComparison.Ordinal);
        Assert.Contains(linked.ReasonText!, entry.Detail, StringComparison.Ordinal);
        Assert.Contains(linked.RiskNotes!, entry.Detail, StringComparison.Ordinal);

        Assert.Empty(await PlainText.TablesHoldingAsync(fixture.Infrastructure.PostgresConnectionString, fixture.Schema, canary));
    }

    [Fact]
    public async Task A_further_referrals_words_are_in_the_persons_subject_access_export_and_read_as_empty_after_erasure_while_it_stays_listed()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var canary = Canary();
        var linked = Linked(c, journey.JourneyId, canary, fixture.Clock.UtcNow);
        await fixture.Bus.PublishAsync(linked);
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.FurtherReferrals.Count == 1);

        using var officer = fixture.Host.ClientFor(Roles.DataProtectionOfficer);
        var export = await officer.Get<System.Text.Json.Nodes.JsonObject>($"/people/{c.PersonId}/personal-data");
        Assert.Contains(linked.ReasonText!, export.ToJsonString(), StringComparison.Ordinal);

        await fixture.Bus.PublishAsync(new PersonErased(c.PersonId, Guid.NewGuid(), fixture.Clock.UtcNow));
        var erased = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Person is null);
        var further = Assert.Single(erased.FurtherReferrals);
        Assert.Equal((linked.ReferralId, true), (further.ReferralId, further.CarriedRisk));
        Assert.Equal((null, null, null), (further.ReasonText, further.WhatMatters, further.RiskNotes));
        using var worker = _scenario.Worker(c);
        var entry = (await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries.Single(e => e.Kind == "FurtherReferral");
        Assert.Null(entry.Detail);
    }

    [Fact]
    public async Task A_linked_referral_delivered_again_or_sent_again_under_another_message_id_is_recorded_once()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var linked = Linked(c, journey.JourneyId, Canary(), fixture.Clock.UtcNow);
        var messageId = Guid.NewGuid();

        await fixture.Bus.PublishAsync(linked, messageId);
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, messageId);
        await fixture.Bus.PublishAsync(linked, messageId);
        var again = await fixture.Bus.PublishAsync(linked);
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, again);

        var view = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true);
        Assert.Single(view.FurtherReferrals);
        using var worker = _scenario.Worker(c);
        Assert.Single((await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries, e => e.Kind == "FurtherReferral");
    }

    [Fact]
    public async Task A_linked_referral_that_arrives_before_its_journey_is_registered_is_recorded_once_the_journey_is()
    {
        var c = ReferralCase.New();
        var linked = Linked(c, c.JourneyId, Canary(), fixture.Clock.UtcNow);

        await fixture.Bus.PublishAsync(linked);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var journey = await _scenario.OpenAsync(c);

        var view = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.FurtherReferrals.Count == 1);
        Assert.Equal(linked.ReferralId, view.FurtherReferrals.Single().ReferralId);
    }

    [Fact]
    public async Task Acknowledging_a_further_referral_clears_its_mark_on_the_caseload_and_a_stale_If_Match_is_refused()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var linked = Linked(c, journey.JourneyId, Canary(), fixture.Clock.UtcNow);
        await fixture.Bus.PublishAsync(linked);
        var withFurther = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.FurtherReferrals.Count == 1);
        using var worker = _scenario.Worker(c);
        var line = (await worker.Get<IReadOnlyList<JourneySummary>>("/caseload")).Single(j => j.JourneyId == journey.JourneyId);
        Assert.Equal((1, true), (line.UnacknowledgedFurtherReferrals, line.UnacknowledgedFurtherReferralCarriesRisk));

        var url = $"/journeys/{journey.JourneyId}/further-referrals/{linked.ReferralId}/acknowledge";
        await worker.Post(url, ifMatch: journey.Version).Problem(HttpStatusCode.PreconditionFailed);
        await worker.Post(url, ifMatch: withFurther.Version).Ok();

        line = (await worker.Get<IReadOnlyList<JourneySummary>>("/caseload")).Single(j => j.JourneyId == journey.JourneyId);
        Assert.Equal((0, false), (line.UnacknowledgedFurtherReferrals, line.UnacknowledgedFurtherReferralCarriesRisk));
        var further = (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).FurtherReferrals.Single();
        Assert.False(further.Unacknowledged);
        Assert.NotNull(further.AcknowledgedAt);
        Assert.Single((await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries, e => e.Kind == "FurtherReferralAcknowledged");
        await worker.Post($"/journeys/{journey.JourneyId}/further-referrals/{Guid.NewGuid()}/acknowledge").Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_worker_can_neither_read_nor_acknowledge_a_further_referral_and_a_team_lead_of_the_programme_can()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var linked = Linked(c, journey.JourneyId, Canary(), fixture.Clock.UtcNow);
        await fixture.Bus.PublishAsync(linked);
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.FurtherReferrals.Count == 1);
        var url = $"/journeys/{journey.JourneyId}/further-referrals/{linked.ReferralId}/acknowledge";

        using var other = _scenario.Worker("lw-other", c.ProgrammeId);
        await other.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}").Problem(HttpStatusCode.Forbidden);
        await other.Post(url).Problem(HttpStatusCode.Forbidden);
        using var otherLead = _scenario.TeamLead("prog-elsewhere");
        await otherLead.Post(url).Problem(HttpStatusCode.Forbidden);
        Assert.True((await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true)).FurtherReferrals.Single().Unacknowledged);

        using var lead = _scenario.TeamLead(c.ProgrammeId);
        await lead.Post(url).Ok();
        Assert.False((await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true)).FurtherReferrals.Single().Unacknowledged);
    }

    /// <summary>Reports no risk in its structured answers or risk notes; triage may still escalate it on its words or its urgency.</summary>
    private static ReferralLinkedToOpenJourney LinkedWithoutRiskAnswers(ReferralCase c, Guid journeyId, DateTimeOffset at) =>
        Linked(c, journeyId, Canary(), at) with { Risk = new RiskAnswers(false, false, false, false), RiskNotes = null };

    private async Task<JourneySummary> CaseloadLineAsync(ReferralCase c, Guid journeyId)
    {
        using var worker = _scenario.Worker(c);
        return (await worker.Get<IReadOnlyList<JourneySummary>>("/caseload")).Single(j => j.JourneyId == journeyId);
    }

    [Fact]
    public async Task A_further_referral_triage_escalated_without_risk_answers_reports_risk_on_the_journey_caseload_and_timeline_once_however_often_the_receipt_comes()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var linked = LinkedWithoutRiskAnswers(c, journey.JourneyId, fixture.Clock.UtcNow);
        await fixture.Bus.PublishAsync(linked);
        var recorded = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.FurtherReferrals.Count == 1);
        Assert.False(recorded.FurtherReferrals.Single().CarriedRisk);
        Assert.False((await CaseloadLineAsync(c, journey.JourneyId)).UnacknowledgedFurtherReferralCarriesRisk);

        var noRisk = await fixture.Bus.PublishAsync(new LinkedReferralReceived(linked.ReferralId, journey.JourneyId, c.PersonId, null, fixture.Clock.UtcNow));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, noRisk);
        Assert.Equal(recorded.Version, (await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true)).Version);

        var receipt = new LinkedReferralReceived(linked.ReferralId, journey.JourneyId, c.PersonId, Guid.NewGuid(), fixture.Clock.UtcNow);
        var messageId = await fixture.Bus.PublishAsync(receipt);
        var escalated = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.FurtherReferrals.Single().TriageEscalationId is not null);
        await fixture.Bus.PublishAsync(receipt, messageId);
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, await fixture.Bus.PublishAsync(receipt));

        var view = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true);
        Assert.Equal((recorded.Version + 1, escalated.Version), (escalated.Version, view.Version));
        var further = view.FurtherReferrals.Single();
        Assert.Equal((receipt.EscalationId, true, true), (further.TriageEscalationId, further.CarriedRisk, further.Unacknowledged));
        Assert.True((await CaseloadLineAsync(c, journey.JourneyId)).UnacknowledgedFurtherReferralCarriesRisk);
        using var worker = _scenario.Worker(c);
        var entry = Assert.Single((await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries, e => e.Kind == "FurtherReferralEscalatedByTriage");
        Assert.Contains("triage escalated it to the duty chain", entry.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Triages_receipt_that_arrives_before_the_linking_waits_and_marks_the_further_referral_once_it_is_recorded()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var linked = LinkedWithoutRiskAnswers(c, journey.JourneyId, fixture.Clock.UtcNow);
        var receipt = new LinkedReferralReceived(linked.ReferralId, journey.JourneyId, c.PersonId, Guid.NewGuid(), fixture.Clock.UtcNow);

        var receiptId = await fixture.Bus.PublishAsync(receipt);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(await Inbox.HasAppliedAsync(fixture.Schema, receiptId));
        await fixture.Bus.PublishAsync(linked);

        var view = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId,
            j => j.FurtherReferrals.Count == 1 && j.FurtherReferrals[0].TriageEscalationId is not null);
        Assert.Equal((receipt.EscalationId, true), (view.FurtherReferrals[0].TriageEscalationId, view.FurtherReferrals[0].CarriedRisk));
        Assert.True((await CaseloadLineAsync(c, journey.JourneyId)).UnacknowledgedFurtherReferralCarriesRisk);
    }
}
