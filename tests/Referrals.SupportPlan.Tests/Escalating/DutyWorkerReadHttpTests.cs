using System.Net;
using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.SupportPlan.AccessAudit;
using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;
using Referrals.Testing;

namespace Referrals.SupportPlan.Tests.Escalating;

/// <summary>
/// A link worker triage's duty chain asks about an escalation reads the referral's journey through support-plan's API, read
/// only, audited, for the grant's period (HAZ-001 C15). A fixture of its own: these tests move its clock on by days.
/// </summary>
public sealed class DutyWorkerReadHttpTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    /// <summary>A duty worker's notice as an older triage sent it: no tier, priority or referral version.</summary>
    private ReferralEscalated AskedOf(ReferralCase c, Guid escalationId, string duty, int step = 1, string indicator = "Financial abuse") =>
        new(escalationId, c.ReferralId, c.JourneyId, c.PersonId, c.ProgrammeId, step, EscalationRecipientKind.DutyWorker, duty, [indicator],
            fixture.Clock.UtcNow.AddMinutes(15), false, "Escalated to the duty worker " + indicator, fixture.Clock.UtcNow)
        {
            Source = new EventSource(escalationId, step + 1),
        };

    [Fact]
    public async Task A_duty_worker_asked_about_an_escalation_reads_its_journey_audited_for_seven_days_but_never_writes_it_and_no_other_worker_reads_it()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var duty = "lw-duty-" + Guid.NewGuid().ToString("N")[..6];
        using var dutyWorker = _scenario.Worker(duty, c.ProgrammeId);
        using var stranger = _scenario.Worker("lw-stranger", c.ProgrammeId);
        await dutyWorker.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}").Problem(HttpStatusCode.Forbidden);

        var escalationId = Guid.NewGuid();
        var canary = "Zqduty" + Guid.NewGuid().ToString("N")[..8];
        var messageId = Guid.NewGuid();
        await fixture.Bus.PublishAsync(AskedOf(c, escalationId, duty, indicator: canary), messageId);
        await fixture.Bus.PublishAsync(AskedOf(c, escalationId, duty, indicator: canary), messageId);
        var again = await fixture.Bus.PublishAsync(AskedOf(c, escalationId, duty, step: 2, indicator: canary));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, messageId);
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, again);
        var before = await fixture.Service<AccessAuditLog>().ForJourneyAsync(journey.JourneyId, CancellationToken.None);

        // Read: the journey, the lookup the web app's worklist uses, the timeline. Not written, and nobody else reads it.
        Assert.Equal(journey.JourneyId, (await dutyWorker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).JourneyId);
        Assert.Equal(journey.JourneyId, (await dutyWorker.Get<ReferralJourney>($"/referrals/{c.ReferralId}/journey")).JourneyId);
        await dutyWorker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline");
        await dutyWorker.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 10 })
            .Problem(HttpStatusCode.Forbidden);
        await stranger.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}").Problem(HttpStatusCode.Forbidden);
        await stranger.Send(HttpMethod.Get, $"/referrals/{c.ReferralId}/journey").Problem(HttpStatusCode.Forbidden);

        // Seven days from when support-plan heard of it, the read ends.
        fixture.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        await dutyWorker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await dutyWorker.Send(HttpMethod.Get, $"/journeys/{journey.JourneyId}").Problem(HttpStatusCode.Forbidden);

        var entries = (await fixture.Service<AccessAuditLog>().ForJourneyAsync(journey.JourneyId, CancellationToken.None)).Skip(before.Count).ToList();
        Assert.Equal(
            [
                (AccessKind.Read, "GetJourney", true), (AccessKind.Read, "GetJourneyOfReferral", true), (AccessKind.Read, "GetJourneyTimeline", true),
                (AccessKind.Write, "RecordContact", false), (AccessKind.Read, "GetJourney", false), (AccessKind.Read, "GetJourneyOfReferral", false),
                (AccessKind.Read, "GetJourney", true), (AccessKind.Read, "GetJourney", false),
            ],
            entries.Select(e => (e.Access, e.Operation, e.Allowed)).ToArray());
        Assert.All(entries.Where(e => e.Allowed), e => Assert.Equal($"duty worker asked about escalation {escalationId}", e.Basis));

        // Once per (escalation, worker), and the escalation's indicators and statement are not copied into support-plan.
        Assert.Single(await _scenario.EventsOnAsync<DutyWorkerAsked>(DutyWorkerReads.GrantIdFor(escalationId, duty)));
        Assert.Empty(await PlainText.TablesHoldingAsync(fixture.Infrastructure.PostgresConnectionString, fixture.Schema, canary));
    }

    [Fact]
    public async Task A_duty_worker_asked_before_the_journey_is_registered_reads_it_once_it_is()
    {
        var c = ReferralCase.New();
        var duty = "lw-duty-" + Guid.NewGuid().ToString("N")[..6];
        var asked = await fixture.Bus.PublishAsync(AskedOf(c, Guid.NewGuid(), duty));
        await Inbox.WaitUntilAppliedAsync(fixture.Schema, asked);

        var journey = await _scenario.OpenAsync(c);

        using var dutyWorker = _scenario.Worker(duty, c.ProgrammeId);
        Assert.Equal(journey.JourneyId, (await dutyWorker.Get<ReferralJourney>($"/referrals/{c.ReferralId}/journey")).JourneyId);
        Assert.Equal(journey.JourneyId, (await dutyWorker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).JourneyId);
    }
}
