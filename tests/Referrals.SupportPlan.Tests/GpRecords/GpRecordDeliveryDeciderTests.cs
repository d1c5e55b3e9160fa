using Referrals.SupportPlan.GpRecords;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Tests.GpRecords;

/// <summary>HAZ-005 C12: the rules of the "not yet in the GP record" mark, folded as the store folds the journey's GP delivery stream.</summary>
public sealed class GpRecordDeliveryDeciderTests
{
    private static readonly Guid Journey = Guid.NewGuid();
    private static readonly Guid Person = Guid.NewGuid();
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static GpRecordDelivery? Then(GpRecordDelivery? state, IReadOnlyList<object> events) => Fold.Apply(state, events);

    // Without a sequence: as older gp-records messages come.
    private static IReadOnlyList<object> Parked(GpRecordDelivery? state, Guid delivery, DateTimeOffset at, int? sequence = null) =>
        GpRecordDeliveryDecider.Parked(state, Journey, delivery, sequence, Person, "B82005", at, at.AddSeconds(1));

    private static IReadOnlyList<object> Accepted(GpRecordDelivery? state, Guid delivery, DateTimeOffset at, int? sequence = null) =>
        GpRecordDeliveryDecider.Accepted(state, Journey, delivery, sequence, "B82005", at, at.AddSeconds(1));

    private static IReadOnlyList<object> Withheld(GpRecordDelivery? state, Guid delivery, int sequence) =>
        GpRecordDeliveryDecider.Withheld(state, Journey, delivery, sequence, "consent", T0.AddDays(2), T0.AddDays(2));

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

    [Fact]
    public void A_park_stamped_earlier_than_the_previous_deliverys_acceptance_by_a_clock_behind_is_marked_as_the_queue_orders_them()
    {
        var accepted = Then(null, Accepted(null, Guid.NewGuid(), T0.AddMilliseconds(300), sequence: 4));

        var parked = Then(accepted, Parked(accepted, Guid.NewGuid(), T0.AddMilliseconds(100), sequence: 5))!;

        Assert.True(parked.NotYetInGpRecord);
    }

    [Fact]
    public void An_acceptance_stamped_earlier_than_the_park_it_follows_in_the_queue_clears_the_mark_whichever_arrives_first()
    {
        var parkedDelivery = Guid.NewGuid();
        var parked = Then(null, Parked(null, parkedDelivery, T0.AddMilliseconds(300), sequence: 5));

        Assert.False(Then(parked, Accepted(parked, parkedDelivery, T0.AddMilliseconds(100), sequence: 5))!.NotYetInGpRecord);

        var acceptedFirst = Then(null, Accepted(null, Guid.NewGuid(), T0.AddMilliseconds(100), sequence: 6));
        Assert.Empty(Parked(acceptedFirst, parkedDelivery, T0.AddMilliseconds(300), sequence: 5));
        // An earlier delivery's acceptance reported late, though stamped later, changes nothing.
        Assert.Empty(Accepted(acceptedFirst, Guid.NewGuid(), T0.AddHours(1), sequence: 3));
    }

    [Fact]
    public void A_parked_delivery_withheld_clears_its_mark_by_id_and_leaves_another_parked_one_marked()
    {
        var withheld = Guid.NewGuid();
        var other = Guid.NewGuid();
        var parked = Then(null, Parked(null, withheld, T0, sequence: 1));
        parked = Then(parked, Parked(parked, other, T0.AddMinutes(1), sequence: 2));

        var after = Then(parked, Withheld(parked, withheld, 1))!;

        Assert.Equal(other, Assert.Single(after.Parked).DeliveryId);
        Assert.False(Then(after, Withheld(after, other, 2))!.NotYetInGpRecord);
        Assert.Empty(Withheld(after, withheld, 1));
    }

    [Fact]
    public void A_withhold_reported_before_the_park_of_its_delivery_leaves_the_journey_unmarked()
    {
        var delivery = Guid.NewGuid();
        var withheld = Then(null, Withheld(null, delivery, 1));

        Assert.Empty(Parked(withheld, delivery, T0, sequence: 1));
        Assert.False(withheld!.NotYetInGpRecord);
    }
}
