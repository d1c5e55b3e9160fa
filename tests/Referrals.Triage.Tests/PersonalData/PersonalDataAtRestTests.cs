using System.Net.Http.Json;
using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Testing;
using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.PersonalData;

/// <summary>
/// Free text typed by staff about a person (reasons, a worker's safeguarding indicators) is personal data wherever triage
/// keeps it: in its events and documents, and in the outbox rows of the messages it publishes (the relay deletes a row once
/// delivered, so a trigger keeps a copy of each row as written). Consumers still receive the words, decrypted by the relay.
/// </summary>
public sealed class PersonalDataAtRestTests(SharedHost host) : IClassFixture<SharedHost>
{
    private TriageHost Triage => host.Triage;

    private string Schema => Triage.Schema.SchemaName;

    [Fact]
    public async Task Override_decline_and_hand_back_reasons_reach_consumers_but_no_outbox_row_event_or_document_holds_them_in_plain_text()
    {
        await CaptureOutboxRowsAsync();
        var canary = "Zqreason" + Guid.NewGuid().ToString("N")[..8];
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());

        var declinedOffer = await SubmitAsync(programme.ProgrammeId, "F11004");
        using (var worker = Triage.LinkWorker(programme.ProgrammeId, declinedOffer.LinkWorkerId))
        {
            (await worker.PostAsJsonAsync($"/assignments/{declinedOffer.AssignmentId}/decline",
                new ReasonRequest(canary + " declined: knows the family"), TriageHost.Json)).EnsureSuccessStatusCode();
        }

        var handedBackOffer = await SubmitAsync(programme.ProgrammeId, "F11001");
        using (var worker = Triage.LinkWorker(programme.ProgrammeId, handedBackOffer.LinkWorkerId))
        {
            (await worker.PostAsJsonAsync($"/assignments/{handedBackOffer.AssignmentId}/hand-back",
                new ReasonRequest(canary + " handed back: moving house"), TriageHost.Json)).EnsureSuccessStatusCode();
        }

        var overriddenOffer = await SubmitAsync(programme.ProgrammeId, "F11002");
        using (var lead = Triage.TeamLead(programme.ProgrammeId))
        {
            (await lead.PostAsJsonAsync($"/referrals/{overriddenOffer.ReferralId}/override",
                new OverrideRequest(Tier.PsychosocialLinkWorker, Priority.High, null, canary + " overridden: self-neglect"), TriageHost.Json))
                .EnsureSuccessStatusCode();
        }

        Assert.Equal(canary + " declined: knows the family",
            (await Triage.Probe.WaitForAsync<AssignmentDeclined>(d => d.AssignmentId == declinedOffer.AssignmentId)).Reason);
        Assert.Equal(canary + " handed back: moving house",
            (await Triage.Probe.WaitForAsync<AssignmentHandedBack>(h => h.AssignmentId == handedBackOffer.AssignmentId)).Reason);
        Assert.Equal(canary + " overridden: self-neglect",
            (await Triage.Probe.WaitForAsync<TriageOverridden>(o => o.ReferralId == overriddenOffer.ReferralId)).Reason);

        var written = await OutboxRowsWrittenAsync();
        foreach (var type in new[] { nameof(AssignmentDeclined), nameof(AssignmentHandedBack), nameof(TriageOverridden) })
        {
            Assert.Contains(written, row => row.Type.Contains("." + type + ",", StringComparison.Ordinal));
        }

        Assert.Empty(written.Where(row => row.Body.Contains(canary, StringComparison.Ordinal)).Select(row => row.Type));
        Assert.Empty(await TablesHoldingAsync(canary));
    }

    [Fact]
    public async Task A_workers_safeguarding_indicators_reach_the_duty_worker_but_no_outbox_row_event_or_document_holds_them_in_plain_text()
    {
        await CaptureOutboxRowsAsync();
        var canary = "Zqindicator" + Guid.NewGuid().ToString("N")[..8];
        var programme = Fixtures.UniqueId("sg");
        // On duty all day, so the duty worker (whose statement names the indicators) is asked whenever the test runs.
        await Triage.DefineAsync(new DefineProgramme(programme, "Safeguarding", null, null,
            Fixtures.WeekdayRota("sg-1") with { Slots = [new(Enum.GetValues<DayOfWeek>(), new TimeOnly(0, 0), new TimeOnly(23, 59), "sg-1", "tl")] },
            null, [Fixtures.Worker("sg-1", Tier.PsychosocialLinkWorker, [])]));
        var offer = await SubmitAsync(programme, "P1");
        var submitted = await Triage.Probe.WaitForAsync<ReferralTriaged>(t => t.ReferralId == offer.ReferralId);
        var concern = new Contracts.SupportPlan.SafeguardingConcernRaised(Guid.CreateVersion7(), submitted.JourneyId, submitted.PersonId,
            submitted.ReferralId, programme, Crisis: false, [canary + " the neighbour's son visits at night"], null, "sg-1", DateTimeOffset.UtcNow);

        await Triage.PublishAsync(concern);

        var duty = await Triage.Probe.WaitForAsync<ReferralEscalated>(e =>
            e.EscalationId == concern.ConcernId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        Assert.Contains(canary + " the neighbour's son visits at night", duty.Indicators);
        Assert.Contains(canary, duty.Statement, StringComparison.Ordinal);
        using (var lead = Triage.TeamLead(programme))
        {
            Assert.Contains(canary, await lead.GetStringAsync($"/escalations/{concern.ConcernId}"), StringComparison.Ordinal);
        }

        var written = await OutboxRowsWrittenAsync();
        Assert.Contains(written, row => row.Type.Contains("." + nameof(ReferralEscalated) + ",", StringComparison.Ordinal));
        Assert.Empty(written.Where(row => row.Body.Contains(canary, StringComparison.Ordinal)).Select(row => row.Type));
        Assert.Empty(await TablesHoldingAsync(canary));
    }

    [Fact]
    public async Task A_linked_referral_escalates_on_its_risk_notes_but_triage_keeps_neither_its_words_nor_the_indicators_in_plain_text()
    {
        await CaptureOutboxRowsAsync();
        var canary = "Zqlinked" + Guid.NewGuid().ToString("N")[..8];
        var programme = Fixtures.UniqueId("ln");
        await Triage.DefineAsync(new DefineProgramme(programme, "Linked", null, null,
            Fixtures.WeekdayRota("ln-1") with { Slots = [new(Enum.GetValues<DayOfWeek>(), new TimeOnly(0, 0), new TimeOnly(23, 59), "ln-1", "tl")] },
            null, [Fixtures.Worker("ln-1", Tier.PsychosocialLinkWorker, [])]));
        var open = await SubmitAsync(programme, "P1");
        var triaged = await Triage.Probe.WaitForAsync<ReferralTriaged>(t => t.ReferralId == open.ReferralId);
        var linked = new Contracts.Intake.ReferralLinkedToOpenJourney(Guid.CreateVersion7(), triaged.JourneyId, triaged.PersonId, programme,
            new Referrer(ReferrerKind.GpPractice, "P2", "Dr B Example", "GP", "reception@example.nhs.uk"), DateTimeOffset.UtcNow)
        {
            Risk = Fixtures.NoRisk,
            RiskNotes = canary + " has been saving up her tablets",
            ReasonText = canary + " lives alone since her husband died",
            Urgency = Urgency.Routine,
        };

        await Triage.PublishAsync(linked);

        var duty = await Triage.Probe.WaitForAsync<ReferralEscalated>(e =>
            e.ReferralId == open.ReferralId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        Assert.Contains("Self-harm or overdose (risk notes)", duty.Indicators);
        Assert.DoesNotContain(duty.Indicators, i => i.Contains(canary, StringComparison.Ordinal));
        var written = await OutboxRowsWrittenAsync();
        Assert.Empty(written.Where(row => row.Body.Contains(canary, StringComparison.Ordinal)).Select(row => row.Type));
        Assert.Empty(await TablesHoldingAsync(canary));
        // The indicators are encrypted under the person's key, as every escalation's are.
        Assert.Empty(written.Where(row => row.Body.Contains("Self-harm or overdose (risk notes)", StringComparison.Ordinal)).Select(row => row.Type));
        Assert.Empty(await TablesHoldingAsync(ReferralLinkedToOpenJourneyConsumer.LinkedIndicator));
    }

    private async Task<ReferralAssigned> SubmitAsync(string programme, string practice)
    {
        var submitted = Fixtures.Referral(programme, practice);
        return await Triage.PublishAndWaitAsync<ReferralAssigned>(submitted, a => a.ReferralId == submitted.ReferralId);
    }

    private static async Task<string> ConnectionStringAsync() => (await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString;

    private async Task CaptureOutboxRowsAsync() => await PlainText.CaptureOutboxRowsAsync(await ConnectionStringAsync(), Schema);

    private async Task<List<(string Type, string Body)>> OutboxRowsWrittenAsync() => await PlainText.OutboxRowsWrittenAsync(await ConnectionStringAsync(), Schema);

    /// <summary>Triage's own tables (events, documents, outbox, timers, …) with a row holding the text; the copies are left out.</summary>
    private async Task<List<string>> TablesHoldingAsync(string text) =>
        await PlainText.TablesHoldingAsync(await ConnectionStringAsync(), Schema, text, PlainText.OutboxCopies);
}
