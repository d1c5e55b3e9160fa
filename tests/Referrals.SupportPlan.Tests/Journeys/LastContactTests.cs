using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Opening;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Journeys;

/// <summary>The last contact a worker reads is a real contact with the person; dormancy still counts from the episode's opening.</summary>
public sealed class LastContactTests
{
    private static readonly JourneyPolicy Policy = JourneyPolicy.Default with { DormantAfter = TimeSpan.FromDays(56) };
    private static readonly Dictionary<Guid, ConcernConfirmation> NoConcerns = [];

    [Fact]
    public void A_journey_nobody_has_contacted_has_no_last_contact_and_still_goes_dormant_the_configured_weeks_after_its_opening()
    {
        var journey = TestJourneys.Opened();
        var opened = journey.OpenedAt!.Value;

        Assert.Null(journey.LastContactAt);
        Assert.Null(JourneySummary.Of(journey, NoConcerns).LastContactAt);
        Assert.Null(JourneyView.Of(journey, NoConcerns).Engagement.LastContactAt);

        // The timer carries the opening, as one armed before the last contact stopped standing for it did.
        Assert.Equal(opened + Policy.DormantAfter, JourneyEffects.DormancyDue(journey, Policy));
        Assert.Empty(ContactDecider.CheckDormancy(journey, opened, opened + Policy.DormantAfter - TimeSpan.FromSeconds(1), Policy));
        var dormant = Assert.IsType<JourneyWentDormant>(Assert.Single(ContactDecider.CheckDormancy(journey, opened, opened + Policy.DormantAfter, Policy)));
        Assert.Equal(opened, dormant.LastContactAt);
    }

    [Fact]
    public void A_reopened_journey_shows_the_last_contact_of_its_earlier_episode_and_counts_dormancy_and_failed_attempts_from_the_reopening()
    {
        var journey = TestJourneys.Active();
        var contactedAt = TestJourneys.Now.AddHours(-2);
        journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey,
            new RecordContact(ContactKind.Phone, ContactOutcome.Attended, 20, contactedAt, null, null), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);
        journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey,
            new RecordContact(ContactKind.Phone, ContactOutcome.UnableToContact, 0, TestJourneys.Now.AddHours(-1), null, null), Guid.NewGuid(), "lw-1",
            TestJourneys.Now)]);
        journey = TestJourneys.Closed(journey, TestJourneys.Now);

        var reopenedAt = TestJourneys.Now.AddDays(30);
        journey = TestJourneys.Apply(journey,
            new JourneyRegistered(journey.Id, journey.PersonId, TestJourneys.Programme, TestJourneys.Facts(), null, "again", true, reopenedAt.AddDays(-1)),
            new JourneyOpened(journey.Id, Guid.NewGuid(), Guid.NewGuid(), "lw-2", true, journey.Episode + 1, reopenedAt, reopenedAt));

        Assert.Equal(contactedAt, journey.LastContactAt);
        Assert.Equal(contactedAt, JourneySummary.Of(journey, NoConcerns).LastContactAt);
        Assert.Equal(2, JourneySummary.Of(journey, NoConcerns).ContactCount);
        Assert.Equal(reopenedAt + Policy.DormantAfter, JourneyEffects.DormancyDue(journey, Policy));
        Assert.Empty(ContactDecider.CheckDormancy(journey, reopenedAt, reopenedAt + Policy.DormantAfter - TimeSpan.FromSeconds(1), Policy));
        Assert.Single(ContactDecider.CheckDormancy(journey, reopenedAt, reopenedAt + Policy.DormantAfter, Policy));

        // The earlier episode's failed attempt is not one of this episode's.
        journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey,
            new RecordContact(ContactKind.Phone, ContactOutcome.UnableToContact, 0, reopenedAt.AddHours(1), null, null), Guid.NewGuid(), "lw-2",
            reopenedAt.AddHours(1))]);
        Assert.Equal(1, journey.FailedAttemptsSinceLastContact);
    }
}
