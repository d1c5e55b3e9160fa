using Referrals.Contracts;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Recording;

/// <summary>
/// Production starts over when the recipient may lack what was recorded as produced (HAZ-004, HAZ-006, HAZ-021): a widening
/// of the consent scope, or a move of practice. The next production then queues every current resource, as one delivery
/// that says so.
/// </summary>
public sealed class ProductionResetTests
{
    private readonly JourneyScript _script = new("A81001");

    private GpJourney Produced(IEnumerable<object> facts)
    {
        var journey = Fold(facts);
        var decision = RecordProduction.Decide(journey, Patient(_script), Mapper, _script.At(5))!;
        Assert.True(decision.Queued.Complete);
        return journey.Apply(decision.Produced);
    }

    private SharingScopeChanged Scope(ConsentScope scope, int day) =>
        new(ResourceIds.DeliveryQueue(_script.JourneyId), _script.JourneyId, _script.PersonId, scope, _script.At(day));

    private DeliveryQueue QueueAt(ConsentScope scope, int day) => new DeliveryQueue().Apply(Scope(scope, day));

    [Fact]
    public void A_widening_of_the_scope_starts_production_over_and_the_next_delivery_carries_every_resource()
    {
        var journey = Produced([_script.Registered(ConsentScope.None), _script.Opened(), _script.Agreed(), _script.Plan()]);
        Assert.Null(RecordProduction.Decide(journey, Patient(_script), Mapper, _script.At(6)));

        var reset = RecordProduction.ResetOnScope(journey, QueueAt(ConsentScope.None, 0), Scope(ConsentScope.Full, 6));
        Assert.NotNull(reset);
        var decision = RecordProduction.Decide(journey.Apply(reset), Patient(_script), Mapper, _script.At(6))!;

        Assert.True(decision.Queued.Complete);
        Assert.Equal(Mapper.Map(journey, Patient(_script)).Select(r => r.Key).Order(StringComparer.Ordinal),
            decision.Produced.Hashes.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(RecordProduction.ResetOnScope(journey, QueueAt(ConsentScope.CodedOnly, 0), Scope(ConsentScope.Full, 6)));
        Assert.NotNull(RecordProduction.ResetOnScope(journey, QueueAt(ConsentScope.None, 0), Scope(ConsentScope.CodedOnly, 6)));
    }

    [Fact]
    public void A_narrowing_the_same_scope_or_an_older_change_the_sender_ignores_starts_nothing_over()
    {
        var journey = Produced([_script.Registered(), _script.Opened()]);
        Assert.Null(RecordProduction.ResetOnScope(journey, QueueAt(ConsentScope.Full, 0), Scope(ConsentScope.CodedOnly, 6)));
        Assert.Null(RecordProduction.ResetOnScope(journey, QueueAt(ConsentScope.Full, 0), Scope(ConsentScope.None, 6)));
        Assert.Null(RecordProduction.ResetOnScope(journey, QueueAt(ConsentScope.CodedOnly, 0), Scope(ConsentScope.CodedOnly, 6)));
        Assert.Null(RecordProduction.ResetOnScope(journey, QueueAt(ConsentScope.None, 7), Scope(ConsentScope.Full, 6)));
        // Nothing produced yet: nothing to start over.
        Assert.Null(RecordProduction.ResetOnScope(Fold([_script.Registered()]), QueueAt(ConsentScope.None, 0), Scope(ConsentScope.Full, 6)));
    }

    [Fact]
    public void A_move_to_another_practice_starts_production_over_and_a_move_to_the_same_one_does_not()
    {
        var journey = Produced([_script.Registered(), _script.Opened()]);
        var reset = RecordProduction.ResetOnMove(journey, "A81001", "B82002", _script.At(6));
        Assert.NotNull(reset);
        Assert.Empty(journey.Apply(reset).Produced);
        Assert.Null(RecordProduction.ResetOnMove(journey, "A81001", "a81001", _script.At(6)));
        Assert.Null(RecordProduction.ResetOnMove(Fold([_script.Registered()]), "A81001", "B82002", _script.At(6)));
    }
}
