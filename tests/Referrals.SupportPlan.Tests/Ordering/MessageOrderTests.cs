using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Tests.Support;
using Referrals.Testing;

namespace Referrals.SupportPlan.Tests.Ordering;

/// <summary>
/// Support-plan with the platform's default retry intervals (MessagingOptions) rather than the short test ones, so a message
/// that arrives before its prerequisite has the real window in which to be retried, however busy the test machine is.
/// </summary>
public sealed class DefaultRetrySupportPlanHost : SupportPlanHost
{
    protected override IDictionary<string, string?> Settings => MessagingOptions.DefaultRetryIntervalsMilliseconds
        .Select((interval, i) => KeyValuePair.Create($"Messaging:RetryIntervalsMilliseconds:{i}",
            (string?)interval.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        .ToDictionary();
}

/// <summary>
/// HAZ-013 C1 for support-plan, through the bus: an update with a lower source version than one already applied is consumed
/// and changes nothing; a correction of the person's details that overtakes the registration of their journey is kept for
/// the person and applied once the journey exists. (Facts about a referral itself never wait on a retry: one that arrives before the
/// registration is kept on the referral's stream and applied when the registration completes; see RegistrationTests.)
/// </summary>
public sealed class MessageOrderTests(DefaultRetrySupportPlanHost fixture) : IClassFixture<DefaultRetrySupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    private Task ConsumedAsync(Guid messageId) => Inbox.WaitUntilAppliedAsync(fixture.Schema, messageId);

    [Fact]
    public async Task A_re_triage_with_a_lower_source_version_than_the_one_applied_is_ignored()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.Urgent, sourceVersion: 5, at: fixture.Clock.UtcNow));
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Referral.Priority == Priority.Urgent);

        // Triage's earlier decision (version 3 of the referral's stream) arrives late.
        var stale = await fixture.Bus.PublishAsync(Scenario.Triaged(c, priority: Priority.High, sourceVersion: 3, at: fixture.Clock.UtcNow));
        await ConsumedAsync(stale);

        var view = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true);
        Assert.Equal(Priority.Urgent, view.Referral.Priority);
    }

    [Fact]
    public async Task An_acceptance_of_an_earlier_assignment_arriving_after_a_later_one_is_ignored()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        await fixture.Bus.PublishAsync(Scenario.Accepted(c, worker: "lw-handover") with { Source = new EventSource(c.ReferralId, 9) });
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.LinkWorkerId == "lw-handover");

        // An acceptance from before the reassignment (version 6) arrives late: the journey stays with the current worker.
        var stale = await fixture.Bus.PublishAsync(Scenario.Accepted(c, worker: "lw-before") with { Source = new EventSource(c.ReferralId, 6) });
        await ConsumedAsync(stale);

        var view = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true);
        Assert.Equal("lw-handover", view.LinkWorkerId);
    }

    [Fact]
    public async Task A_rectification_with_a_lower_source_version_than_the_one_applied_is_ignored()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var person = Scenario.Submitted(c).Person!;
        var auditStream = Guid.NewGuid();
        await fixture.Bus.PublishAsync(new PersonDetailsRectified(c.PersonId, person with { GivenName = "Alexandra", Phone = "07700 900456" },
            "dpo-1", fixture.Clock.UtcNow) { Source = new EventSource(auditStream, 3) });
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Person?.GivenName == "Alexandra");

        // The earlier correction (version 2 of the person's data-protection stream) was retried and arrives after the later one.
        var stale = await fixture.Bus.PublishAsync(new PersonDetailsRectified(c.PersonId, person with { GivenName = "Alexa" }, "dpo-1",
            fixture.Clock.UtcNow.AddMinutes(-5)) { Source = new EventSource(auditStream, 2) });
        await ConsumedAsync(stale);

        var view = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, _ => true);
        Assert.Equal("Alexandra", view.Person!.GivenName);
        Assert.Equal("07700 900456", view.Person.Phone);
    }

    [Fact]
    public async Task Details_rectified_before_the_persons_journey_is_registered_are_kept_at_once_and_applied_once_it_is()
    {
        var c = ReferralCase.New();
        var person = Scenario.Submitted(c).Person!;
        var rectification = await fixture.Bus.PublishAsync(new PersonDetailsRectified(c.PersonId, person with { GivenName = "Alexandra",
            Phone = "07700 900789" }, "dpo-1", fixture.Clock.UtcNow) { Source = new EventSource(Guid.NewGuid(), 2) });

        // The correction overtook the referral: it is kept for the person, not retried against a journey that may never come
        // (the referral could be withdrawn before registration) and not sent to the error queue.
        await ConsumedAsync(rectification);

        var opened = await _scenario.OpenAsync(c);

        var journey = await _scenario.WaitForJourneyAsync(opened.JourneyId, c.ProgrammeId, j => j.Person?.GivenName == "Alexandra");
        Assert.Equal("07700 900789", journey.Person!.Phone);
    }

    [Fact]
    public async Task A_kept_correction_made_before_a_later_referral_was_submitted_leaves_that_referral_s_details()
    {
        var c = ReferralCase.New();
        var person = Scenario.Submitted(c).Person!;
        var rectification = await fixture.Bus.PublishAsync(new PersonDetailsRectified(c.PersonId, person with { GivenName = "Alexa" }, "dpo-1",
            fixture.Clock.UtcNow.AddDays(-1)) { Source = new EventSource(Guid.NewGuid(), 2) });
        await ConsumedAsync(rectification);

        var opened = await _scenario.OpenAsync(c);

        // The registering consumers look for a kept correction right after registering; give them ample time to (wrongly) apply it.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var journey = await _scenario.WaitForJourneyAsync(opened.JourneyId, c.ProgrammeId, _ => true);
        Assert.Equal("Alex", journey.Person!.GivenName);
    }
}
