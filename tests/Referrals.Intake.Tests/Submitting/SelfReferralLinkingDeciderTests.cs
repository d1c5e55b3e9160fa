using System.Text.Json.Nodes;
using Referrals.Contracts.Intake;
using Referrals.Intake.People;
using Referrals.Intake.Submitting;
using Referrals.Testing;
using static Referrals.Intake.Tests.Submitting.ValidatedReferrals;

namespace Referrals.Intake.Tests.Submitting;

/// <summary>
/// An unauthenticated self-referral never joins, nor starts, the person held for its NHS number (HAZ-003 C6), however well
/// its details match: it cannot reopen their journey nor bring its contact details to it. Without infrastructure.
/// </summary>
public sealed class SelfReferralLinkingDeciderTests
{
    private static readonly Guid IndexId = Guid.NewGuid();
    private static readonly Guid HeldPersonId = Guid.NewGuid();
    private static readonly Guid HeldJourneyId = Guid.NewGuid();

    private static PersonIndexEntry WithOpenJourney() => PersonIndexEntry.Create(new PersonIndexed(IndexId, HeldPersonId, Clock.UtcNow.AddDays(-30)))
        .Apply(new JourneyStarted(IndexId, HeldPersonId, TestData.Programme, HeldJourneyId, Guid.NewGuid(), null, Clock.UtcNow.AddDays(-30)));

    /// <summary>The person's journey in the programme closed a week ago: within the re-referral window.</summary>
    private static PersonIndexEntry WithJourneyClosedLastWeek() => WithOpenJourney()
        .Apply(new JourneyEnded(IndexId, HeldPersonId, TestData.Programme, HeldJourneyId, JourneyEndReason.Closed, Clock.UtcNow.AddDays(-7)));

    /// <summary>The held person's own date of birth and family name, with the caller's contact details.</summary>
    private static SubmitReferral SelfReferral() =>
        Command(Referral().With("person.email", "caller@example.org")) with { Channel = ReferralChannel.SelfReferral };

    private static SubmissionDecision Decide(PersonIndexEntry? entry, SubmitReferral command) =>
        SubmitReferralDecider.Decide(entry, IndexId, command, new SubmissionIds(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()), Clock.UtcNow,
            entry is null ? null : Command(Referral()).Person, identityConfirmed: false);

    [Fact]
    public void A_self_referral_matching_a_person_with_an_open_journey_is_a_person_of_its_own_on_a_new_journey()
    {
        var decision = Decide(WithOpenJourney(), SelfReferral());

        Assert.NotEqual(HeldPersonId, decision.Received.PersonId);
        Assert.NotEqual(HeldJourneyId, decision.Received.JourneyId);
        Assert.False(decision.Received.LinkedToOpenJourney);
        Assert.Null(decision.Received.PersonIndexId);
        Assert.Null(decision.Received.IdentityMismatch); // nothing differed: it is the rule, not a mismatch, that keeps it apart
        Assert.Empty(decision.PersonIndexEvents);
        var submitted = Assert.IsType<ReferralSubmitted>(decision.Message);
        Assert.Equal(decision.Received.PersonId, submitted.PersonId);
        Assert.Null(submitted.PreviousJourneyId);
    }

    [Fact]
    public void A_self_referral_matching_a_person_whose_journey_closed_within_the_window_names_no_previous_journey_to_reopen()
    {
        var decision = Decide(WithJourneyClosedLastWeek(), SelfReferral());

        var submitted = Assert.IsType<ReferralSubmitted>(decision.Message);
        Assert.Null(submitted.PreviousJourneyId);
        Assert.NotEqual(HeldPersonId, submitted.PersonId);
        Assert.Empty(decision.PersonIndexEvents);
    }

    [Fact]
    public void A_self_referral_for_an_NHS_number_nobody_holds_indexes_nothing_so_no_later_referral_joins_the_caller()
    {
        var decision = Decide(null, SelfReferral());

        Assert.Empty(decision.PersonIndexEvents);
        Assert.Null(decision.Received.PersonIndexId);
    }
}
