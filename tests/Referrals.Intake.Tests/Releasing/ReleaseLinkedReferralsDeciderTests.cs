using Referrals.Contracts;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.Intake.Releasing;
using Referrals.Intake.Submitting;
using Referrals.Intake.Withdrawing;

namespace Referrals.Intake.Tests.Releasing;

public sealed class ReleaseLinkedReferralsDeciderTests
{
    private const string Programme = "north-leeds";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid IndexId = Guid.NewGuid();
    private static readonly Guid PersonId = Guid.NewGuid();
    private static readonly Guid EndedJourney = Guid.NewGuid();
    private static readonly Guid FirstReferral = Guid.NewGuid();

    /// <summary>The person's entry with the journey opened by the first referral, then ended for the reason given.</summary>
    private static (PersonIndexEntry Entry, JourneyEnded Ended) Ended(JourneyEndReason reason)
    {
        var ended = new JourneyEnded(IndexId, PersonId, Programme, EndedJourney, reason, Now);
        var entry = PersonIndexEntry.Create(new PersonIndexed(IndexId, PersonId, Now.AddDays(-2)))
            .Apply(new JourneyStarted(IndexId, PersonId, Programme, EndedJourney, FirstReferral, null, Now.AddDays(-2)))
            .Apply(ended);
        return (entry, ended);
    }

    private static Referral Linked(int minutesAgo, ReferralChannel channel = ReferralChannel.Api, Guid? journeyId = null) =>
        Referral.Create(new ReferralReceived(Guid.NewGuid(), PersonId, IndexId, journeyId ?? EndedJourney, null, true, Programme, "B86001",
            new Referrer(ReferrerKind.GpPractice, "B86003", "Dr Shah", "GP", null), channel,
            new PersonDetails("9434765919", "Ann", "Example", new DateOnly(1958, 3, 2), "LS7 3AB", null, null, ContactMethod.Letter, null, null), 68, "LS7",
            true, false, [NeedCategory.DebtOrBenefits], "Rent arrears", null, new RiskAnswers(false, false, false, false), null, Urgency.Routine,
            new ConsentRecord(ConsentAuthority.Person, "A", Now, "B", ConsentScope.Full), ConsentScope.Full, Now.AddMinutes(-minutesAgo)));

    private static Func<Guid> Ids(params Guid[] ids)
    {
        var queue = new Queue<Guid>(ids);
        return queue.Dequeue;
    }

    [Theory]
    [InlineData(JourneyEndReason.NotEligible)]
    [InlineData(JourneyEndReason.Withdrawn)]
    public void The_oldest_linked_referral_opens_a_new_journey_naming_the_ended_one_and_the_others_join_it(JourneyEndReason reason)
    {
        var (entry, ended) = Ended(reason);
        var older = Linked(30);
        var newer = Linked(10);
        var newJourney = Guid.NewGuid();

        var decision = ReleaseLinkedReferralsDecider.Decide(entry, ended, [newer, older], Ids(newJourney, Guid.NewGuid()), Now);

        Assert.Equal(
        [
            new LinkedReferralReleased(older.Id, PersonId, Programme, EndedJourney, reason, newJourney, EndedJourney, false, Now),
            new LinkedReferralReleased(newer.Id, PersonId, Programme, EndedJourney, reason, newJourney, null, true, Now),
        ], decision.Released);
        Assert.Equal(
        [
            new JourneyStarted(IndexId, PersonId, Programme, newJourney, older.Id, EndedJourney, Now),
            new ReferralJoinedOpenJourney(IndexId, PersonId, Programme, newJourney, newer.Id, Now),
        ], decision.PersonIndexEvents);

        var released = older.Then(decision.Released[0]);
        Assert.Equal((ReferralStatus.Submitted, false, newJourney, EndedJourney),
            (released.Status, released.LinkedToOpenJourney, released.JourneyId, released.PreviousJourneyId));
        var relinked = newer.Then(decision.Released[1]);
        Assert.Equal((ReferralStatus.LinkedToOpenJourney, true, newJourney), (relinked.Status, relinked.LinkedToOpenJourney, relinked.JourneyId));
        Assert.Equal(newJourney, decision.PersonIndexEvents.Aggregate(entry, (e, x) => e.Then(x)).OpenJourneyIn(Programme)!.JourneyId);
    }

    [Theory]
    [InlineData(JourneyEndReason.Closed)]
    [InlineData(JourneyEndReason.Declined)]
    public void A_journey_that_ended_after_being_taken_on_releases_nothing(JourneyEndReason reason)
    {
        var (entry, ended) = Ended(reason);

        Assert.Equal(ReleaseLinkedReferralsDecider.Nothing, ReleaseLinkedReferralsDecider.Decide(entry, ended, [Linked(10)], Guid.NewGuid, Now));
    }

    [Fact]
    public void An_erased_person_has_nothing_to_release()
    {
        var (entry, ended) = Ended(JourneyEndReason.NotEligible);
        var erased = entry.Apply(new PersonIndexErased(IndexId, PersonId, Now));

        Assert.Empty(ReleaseLinkedReferralsDecider.Decide(erased, ended, [Linked(10)], Guid.NewGuid, Now).Released);
        Assert.Empty(ReleaseLinkedReferralsDecider.Decide(null, ended, [Linked(10)], Guid.NewGuid, Now).Released);
    }

    [Fact]
    public void A_journey_still_open_in_the_index_releases_nothing()
    {
        var (_, ended) = Ended(JourneyEndReason.NotEligible);
        var open = PersonIndexEntry.Create(new PersonIndexed(IndexId, PersonId, Now))
            .Apply(new JourneyStarted(IndexId, PersonId, Programme, EndedJourney, FirstReferral, null, Now));

        Assert.Empty(ReleaseLinkedReferralsDecider.Decide(open, ended, [Linked(10)], Guid.NewGuid, Now).Released);
    }

    [Fact]
    public void Only_referrals_still_linked_to_the_ended_journey_are_released_so_a_second_pass_releases_nothing()
    {
        var (entry, ended) = Ended(JourneyEndReason.NotEligible);
        var linked = Linked(10);
        var withdrawn = Linked(20).Then(new ReferralWithdrawnByReferrer(Guid.Empty, PersonId, "Duplicate", "B86003", Now));
        var elsewhere = Linked(30, journeyId: Guid.NewGuid());
        var selfReferral = Linked(40, ReferralChannel.SelfReferral);
        var shredded = Linked(50) with { Person = null }; // its person's key erased: nothing left to submit
        var first = Assert.Single(ReleaseLinkedReferralsDecider.Decide(entry, ended, [linked, withdrawn, elsewhere, selfReferral, shredded], Guid.NewGuid, Now).Released);
        Assert.Equal(linked.Id, first.ReferralId);

        // The same journey's end seen again (after the release committed): the referral is on its new journey now.
        Assert.Empty(ReleaseLinkedReferralsDecider.Decide(entry, ended, [linked.Then(first)], Guid.NewGuid, Now).Released);
    }
}
