using Referrals.Intake.People;

namespace Referrals.Intake.Tests.People;

public sealed class PersonIndexDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid IndexId = Guid.NewGuid();

    private static PersonIndexEntry Fold(params object[] events) =>
        events.Aggregate((PersonIndexEntry?)null, (entry, e) => e switch
        {
            PersonIndexed x => entry is null ? PersonIndexEntry.Create(x) : entry.Apply(x),
            JourneyStarted x => entry!.Apply(x),
            ReferralJoinedOpenJourney => entry,
            JourneyIdentityConfirmed x => entry!.Apply(x),
            JourneyEnded x => entry!.Apply(x),
            PersonIndexErased x => entry!.Apply(x),
            _ => throw new InvalidOperationException(),
        })!;

    [Fact]
    public void A_first_referral_indexes_the_person_and_starts_a_journey()
    {
        var personId = Guid.NewGuid();
        var journeyId = Guid.NewGuid();
        var admission = PersonIndexDecider.Admit(null, IndexId, "north-leeds", Guid.NewGuid(), personId, journeyId, Now);

        Assert.Equal(personId, admission.PersonId);
        Assert.Equal(journeyId, admission.JourneyId);
        Assert.False(admission.LinkedToOpenJourney);
        Assert.Null(admission.PreviousJourneyId);
        Assert.IsType<PersonIndexed>(admission.Events[0]);
        Assert.IsType<JourneyStarted>(admission.Events[1]);
    }

    [Fact]
    public void A_referral_while_a_journey_is_open_in_the_programme_joins_it()
    {
        var first = PersonIndexDecider.Admit(null, IndexId, "north-leeds", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);
        var entry = Fold([.. first.Events]);

        var second = PersonIndexDecider.Admit(entry, IndexId, "north-leeds", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);

        Assert.True(second.LinkedToOpenJourney);
        Assert.Equal(first.JourneyId, second.JourneyId);
        Assert.Equal(first.PersonId, second.PersonId);
        Assert.IsType<ReferralJoinedOpenJourney>(Assert.Single(second.Events));
    }

    [Fact]
    public void Another_programme_gets_its_own_journey_for_the_same_person()
    {
        var first = PersonIndexDecider.Admit(null, IndexId, "north-leeds", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);
        var other = PersonIndexDecider.Admit(Fold([.. first.Events]), IndexId, "east-bradford", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);

        Assert.False(other.LinkedToOpenJourney);
        Assert.Equal(first.PersonId, other.PersonId);
        Assert.Null(other.PreviousJourneyId);
    }

    [Fact]
    public void After_the_journey_ends_a_new_referral_starts_a_new_journey_naming_the_previous_one()
    {
        var first = PersonIndexDecider.Admit(null, IndexId, "north-leeds", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);
        var entry = Fold([.. first.Events]);
        var ended = PersonIndexDecider.EndJourney(entry, "north-leeds", first.JourneyId, JourneyEndReason.Closed, Now);
        entry = Fold([.. first.Events, .. ended]);

        var next = PersonIndexDecider.Admit(entry, IndexId, "north-leeds", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);

        Assert.False(next.LinkedToOpenJourney);
        Assert.Equal(first.JourneyId, next.PreviousJourneyId);
        Assert.Equal(first.PersonId, next.PersonId);
    }

    [Fact]
    public void Ending_a_journey_that_is_not_the_open_one_does_nothing()
    {
        var first = PersonIndexDecider.Admit(null, IndexId, "north-leeds", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);
        Assert.Empty(PersonIndexDecider.EndJourney(Fold([.. first.Events]), "north-leeds", Guid.NewGuid(), JourneyEndReason.Closed, Now));
    }

    [Fact]
    public void The_index_follows_support_plans_journey_id_when_a_journey_is_reopened()
    {
        var first = PersonIndexDecider.Admit(null, IndexId, "north-leeds", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);
        var reopened = Guid.NewGuid();
        var entry = Fold([.. first.Events]);
        var confirmed = PersonIndexDecider.ConfirmJourney(entry, "north-leeds", first.JourneyId, reopened, Now);
        entry = Fold([.. first.Events, .. confirmed]);

        Assert.Equal(reopened, entry.OpenJourneyIn("north-leeds")!.JourneyId);
        Assert.Equal(reopened, PersonIndexDecider.Admit(entry, IndexId, "north-leeds", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now).JourneyId);
        Assert.Empty(PersonIndexDecider.ConfirmJourney(entry, "north-leeds", reopened, reopened, Now));
    }

    [Fact]
    public void After_erasure_the_same_NHS_number_is_a_new_person_with_no_previous_journey()
    {
        var first = PersonIndexDecider.Admit(null, IndexId, "north-leeds", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now);
        var entry = Fold([.. first.Events]);
        var erased = PersonIndexDecider.Erase(entry, Now);
        entry = Fold([.. first.Events, .. erased]);

        var newPerson = Guid.NewGuid();
        var next = PersonIndexDecider.Admit(entry, IndexId, "north-leeds", Guid.NewGuid(), newPerson, Guid.NewGuid(), Now);

        Assert.Equal(newPerson, next.PersonId);
        Assert.False(next.LinkedToOpenJourney);
        Assert.Null(next.PreviousJourneyId);
        Assert.Empty(PersonIndexDecider.Erase(entry, Now));
    }
}
