using Referrals.SupportPlan.GpRecords;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Tests.GpRecords;

/// <summary>HAZ-005 C9: the rules of the "not yet in the GP record" mark, folded as the store folds the journey's GP delivery stream.</summary>
public sealed class GpRecordDeliveryDeciderTests
{
    private static readonly Guid Journey = Guid.NewGuid();
    private static readonly Guid Person = Guid.NewGuid();
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static GpRecordDelivery? Then(GpRecordDelivery? state, IReadOnlyList<object> events) => Fold.Apply(state, events);

    private static IReadOnlyList<object> Parked(GpRecordDelivery? state, Guid delivery, DateTimeOffset at) =>
        GpRecordDeliveryDecider.Parked(state, Journey, delivery, Person, "B82005", at, at.AddSeconds(1));

    private static IReadOnlyList<object> Accepted(GpRecordDelivery? state, Guid delivery, DateTimeOffset at) =>
        GpRecordDeliveryDecider.Accepted(state, Journey, delivery, "B82005", at, at.AddSeconds(1));

    [Fact]
    public void A_parked_delivery_marks_the_journey_and_its_acceptance_after_a_replay_clears_the_mark()
    {
        var delivery = Guid.NewGuid();

        var parked = Then(null, Parked(null, delivery, T0))!;

        Assert.True(parked.NotYetInGpRecord);
        Assert.Equal((GpRecordDelivery.StreamIdFor(Journey), Journey), (parked.Id, parked.JourneyId));
        Assert.Equal(new ParkedGpDelivery(delivery, "B82005", T0), Assert.Single(parked.Parked));
        var replayed = Then(parked, Accepted(parked, delivery, T0.AddHours(2)))!;
        Assert.False(replayed.NotYetInGpRecord);
        Assert.Empty(replayed.Parked);
    }

    [Fact]
    public void A_later_delivery_accepted_after_the_park_clears_the_mark_as_the_parked_one_no_longer_holds_the_journey_back()
    {
        var parked = Then(null, Parked(null, Guid.NewGuid(), T0))!;

        Assert.False(Then(parked, Accepted(parked, Guid.NewGuid(), T0.AddDays(1)))!.NotYetInGpRecord);
    }

    [Fact]
    public void A_copy_of_a_parked_report_is_recorded_once()
    {
        var delivery = Guid.NewGuid();
        var parked = Then(null, Parked(null, delivery, T0));

        Assert.Empty(Parked(parked, delivery, T0));
        Assert.Single(parked!.Parked);
    }

    [Fact]
    public void An_acceptance_reported_before_the_park_it_follows_leaves_the_journey_unmarked_whichever_arrives_first()
    {
        var delivery = Guid.NewGuid();
        var accepted = Then(null, Accepted(null, delivery, T0.AddHours(1)));

        Assert.Empty(Parked(accepted, delivery, T0));
        Assert.False(accepted!.NotYetInGpRecord);
    }

    [Fact]
    public void An_acceptance_older_than_the_park_reported_late_does_not_clear_the_mark()
    {
        var earlier = Guid.NewGuid();
        var parked = Then(null, Parked(null, Guid.NewGuid(), T0))!;

        var after = Then(parked, Accepted(parked, earlier, T0.AddMinutes(-10)))!;

        Assert.True(after.NotYetInGpRecord);
        // A later park after the earlier acceptance still counts; nothing older than the latest acceptance is recorded.
        Assert.Empty(Accepted(after, earlier, T0.AddMinutes(-20)));
    }

    [Fact]
    public void A_delivery_parked_again_after_its_replay_failed_stays_one_mark_from_its_latest_park()
    {
        var delivery = Guid.NewGuid();
        var first = Then(null, Parked(null, delivery, T0));

        var again = Then(first, Parked(first, delivery, T0.AddHours(3)))!;

        Assert.Equal(T0.AddHours(3), Assert.Single(again.Parked).ParkedAt);
        Assert.True(again.NotYetInGpRecord);
    }
}
