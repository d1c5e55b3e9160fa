using Referrals.Contracts;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Patients;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// Pure rules for what a practice is sent after a widening of consent, a move or a withdrawal (HAZ-004, HAZ-006, HAZ-021):
/// a delivery carrying every resource supersedes those not sent before it; under scope none only the Consent saying
/// sharing stopped goes, and only to a practice that was sent the journey.
/// </summary>
public sealed class ResendDeciderTests
{
    private const string Practice = "A81001";
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid QueueId = Guid.NewGuid();
    private static readonly Guid JourneyId = Guid.NewGuid();
    private static readonly Guid PersonId = Guid.NewGuid();

    private static readonly DeliveryEntry PatientEntry = new("Patient", "p", "{\"resourceType\":\"Patient\"}", "{\"resourceType\":\"Patient\"}", null, true);

    private static DeliveryEntry ConsentEntry(string status) =>
        new("Consent", "c", $"{{\"resourceType\":\"Consent\",\"status\":\"{status}\"}}", $"{{\"resourceType\":\"Consent\",\"status\":\"{status}\"}}", Now, false);

    private static DeliveryEntry Observation(int i) => new("Observation", "o" + i, "{\"full\":1}", "{\"coded\":1}", Now, false);

    private static DeliveryQueued Queued(int sequence, bool complete, params DeliveryEntry[] entries) =>
        new(QueueId, JourneyId, PersonId, Guid.NewGuid(), sequence, Practice, [], Practice, [PatientEntry, .. entries], Now) { Complete = complete };

    private static DeliveryQueue Queue(ConsentScope scope, params DeliveryQueued[] queued) =>
        queued.Aggregate(new DeliveryQueue().Apply(new SharingScopeChanged(QueueId, JourneyId, PersonId, scope, Now)), (q, e) => q.Apply(e));

    private static DeliveryQueued QueuedFor(string practice, int sequence, bool complete, params DeliveryEntry[] entries) =>
        Queued(sequence, complete, entries) with { PracticeOds = practice };

    [Fact]
    public void Deliveries_not_sent_before_one_carrying_every_resource_are_withheld_as_superseded_and_one_parked_at_the_same_practice_still_holds_the_journey_back()
    {
        var queue = Queue(ConsentScope.Full, Queued(1, false, Observation(1)), Queued(2, false, Observation(2)), Queued(3, true, Observation(1), Observation(2)));
        var d = queue.Deliveries;
        queue = queue.Apply(new DeliveryAttemptFailed(QueueId, JourneyId, PersonId, d[1].DeliveryId, 1, "HTTP 503", Now, Now.AddMinutes(5)));

        foreach (var superseded in d.Take(2))
        {
            var withhold = Assert.IsType<NextStep.Withhold>(DeliveryDecider.Next(queue, Now));
            Assert.Equal((superseded.DeliveryId, DeliveryDecider.SupersededReason), (withhold.Delivery.DeliveryId, withhold.Reason));
            queue = queue.Apply(new DeliveryWithheld(QueueId, JourneyId, PersonId, withhold.Delivery.DeliveryId, withhold.Reason, Now));
        }

        Assert.Equal(d[2].DeliveryId, Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now)).Delivery.DeliveryId);

        var parked = Queue(ConsentScope.Full, Queued(1, false, Observation(1)), Queued(2, true, Observation(1)));
        parked = parked.Apply(new DeliveryParked(QueueId, JourneyId, PersonId, parked.Deliveries[0].DeliveryId, 1, "HTTP 422", Now));
        Assert.Equal(parked.Deliveries[0].DeliveryId, Assert.IsType<NextStep.Blocked>(DeliveryDecider.Next(parked, Now)).Delivery.DeliveryId);
    }

    [Fact]
    public void A_delivery_parked_at_a_practice_the_person_has_left_is_superseded_by_the_one_carrying_every_resource_to_the_new_practice()
    {
        // Parked at the old practice (it rejected the record as the person deregistered); the move queued everything for the new one.
        var queue = Queue(ConsentScope.Full, Queued(1, true, Observation(1)), Queued(2, false, Observation(2)), QueuedFor("B82002", 3, true, Observation(1), Observation(2)));
        var d = queue.Deliveries;
        queue = queue.Apply(new DeliveryAccepted(QueueId, JourneyId, PersonId, d[0].DeliveryId, "t", ConsentScope.Full, 2, Now, Practice))
            .Apply(new DeliveryParked(QueueId, JourneyId, PersonId, d[1].DeliveryId, 1, "HTTP 422", Now, Practice));

        var withhold = Assert.IsType<NextStep.Withhold>(DeliveryDecider.Next(queue, Now));
        Assert.Equal((d[1].DeliveryId, DeliveryDecider.SupersededReason), (withhold.Delivery.DeliveryId, withhold.Reason));
        queue = queue.Apply(new DeliveryWithheld(QueueId, JourneyId, PersonId, withhold.Delivery.DeliveryId, withhold.Reason, Now));
        var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        Assert.Equal((d[2].DeliveryId, "B82002"), (send.Delivery.DeliveryId, send.PracticeOds));
    }

    [Fact]
    public void A_reset_withholds_at_once_what_its_complete_delivery_will_supersede_so_no_step_before_that_delivery_sends_it_alone()
    {
        var queue = Queue(ConsentScope.Full, Queued(1, true, Observation(1)), Queued(2, false, Observation(2)), Queued(3, false, Observation(3)), Queued(4, false, Observation(4)));
        var d = queue.Deliveries;
        queue = queue.Apply(new DeliveryAccepted(QueueId, JourneyId, PersonId, d[0].DeliveryId, "t", ConsentScope.Full, 2, Now, Practice))
            .Apply(new DeliveryAttemptFailed(QueueId, JourneyId, PersonId, d[1].DeliveryId, 1, "HTTP 503", Now, Now.AddMinutes(1)))
            .Apply(new DeliveryParked(QueueId, JourneyId, PersonId, d[3].DeliveryId, 1, "HTTP 422", Now, Practice));

        // A move: everything not done goes, the parked one too (it was parked at the practice the person left).
        var moved = DeliveryDecider.SupersedeOnReset(queue, "B82002", Now).Cast<DeliveryWithheld>().ToList();
        Assert.Equal([d[1].DeliveryId, d[2].DeliveryId, d[3].DeliveryId], moved.Select(w => w.DeliveryId));
        Assert.All(moved, w => Assert.Equal(DeliveryDecider.SupersededReason, w.Reason));
        var afterMove = moved.Aggregate(queue, (q, w) => q.Apply(w));
        Assert.IsType<NextStep.Idle>(DeliveryDecider.Next(afterMove, Now.AddMinutes(1)));

        // A widening at the same practice: the parked one still waits for an operator.
        var widened = DeliveryDecider.SupersedeOnReset(queue, Practice, Now).Cast<DeliveryWithheld>();
        Assert.Equal([d[1].DeliveryId, d[2].DeliveryId], widened.Select(w => w.DeliveryId));
        Assert.Empty(DeliveryDecider.SupersedeOnReset(null, Practice, Now));
    }

    [Fact]
    public void A_withdrawal_notice_parked_at_a_practice_that_holds_the_journey_waits_for_an_operator_and_a_replay_sends_the_consent_alone()
    {
        var queue = Queue(ConsentScope.Full, Queued(1, true, Observation(1), ConsentEntry("active")));
        queue = queue.Apply(new DeliveryAccepted(QueueId, JourneyId, PersonId, queue.Deliveries[0].DeliveryId, "t", ConsentScope.Full, 3, Now, Practice))
            .Apply(new SharingScopeChanged(QueueId, JourneyId, PersonId, ConsentScope.None, Now.AddDays(1)))
            .Apply(Queued(2, false, Observation(2), ConsentEntry("inactive")));
        var withdrawal = queue.Deliveries[1];
        queue = queue.Apply(new DeliveryParked(QueueId, JourneyId, PersonId, withdrawal.DeliveryId, 1, "HTTP 422", Now.AddDays(1), Practice));

        // Any later step (another fact's production, a consent message) leaves it parked, so it can still be replayed.
        Assert.Equal(withdrawal.DeliveryId, Assert.IsType<NextStep.Blocked>(DeliveryDecider.Next(queue, Now.AddDays(1))).Delivery.DeliveryId);
        var replay = Assert.Single(DeliveryDecider.Replay(queue, withdrawal.DeliveryId, "operator", Now.AddDays(2)));
        queue = queue.Apply((DeliveryReplayRequested)replay);
        var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Confine(queue, Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now.AddDays(2)))));
        Assert.Equal(ConsentScope.None, send.Scope);
        Assert.Equal([("Patient", true), ("Consent", false)], send.Resources.Select(r => (r.ResourceType, r.ConditionalCreate)));
        Assert.Contains("inactive", send.Resources[1].Json, StringComparison.Ordinal);

        // Parked without the Consent saying sharing stopped, a delivery is still withheld under scope none.
        var other = Queue(ConsentScope.None, Queued(1, false, Observation(1)));
        other = other.Apply(new DeliveryParked(QueueId, JourneyId, PersonId, other.Deliveries[0].DeliveryId, 1, "HTTP 422", Now, Practice));
        Assert.Equal(DeliveryDecider.NoConsentReason, Assert.IsType<NextStep.Withhold>(DeliveryDecider.Next(other, Now)).Reason);
    }

    [Fact]
    public void Under_scope_none_only_the_consent_saying_sharing_stopped_goes_and_only_to_a_practice_that_was_sent_the_journey()
    {
        var queue = Queue(ConsentScope.Full, Queued(1, true, Observation(1), ConsentEntry("active")), Queued(2, false, Observation(2), ConsentEntry("inactive")));
        var first = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        var notSent = queue.Apply(new SharingScopeChanged(QueueId, JourneyId, PersonId, ConsentScope.None, Now.AddDays(1)));
        queue = queue.Apply(new DeliveryAccepted(QueueId, JourneyId, PersonId, first.Delivery.DeliveryId, "t", ConsentScope.Full, 3, Now, Practice))
            .Apply(new SharingScopeChanged(QueueId, JourneyId, PersonId, ConsentScope.None, Now.AddDays(1)));

        var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        Assert.Equal(ConsentScope.None, send.Scope);
        Assert.Equal([("Patient", true), ("Consent", false)], send.Resources.Select(r => (r.ResourceType, r.ConditionalCreate)));
        Assert.Contains("inactive", send.Resources[1].Json, StringComparison.Ordinal);
        Assert.Same(send, DeliveryDecider.Confine(queue, DeliveryDecider.Route(send, null)));

        // The practice the person moved to was never sent the journey: it is told nothing.
        var moved = PatientRecord.Create(new PatientDetailsRecorded(PersonId, null, Practice, null, Now))
            .Apply(new PatientRegisteredPracticeChanged(PersonId, "B82002", Now.AddHours(1)));
        Assert.IsType<NextStep.Withhold>(DeliveryDecider.Confine(queue, DeliveryDecider.Route(send, moved)));

        // Nothing was ever sent: the active consent of the first delivery, and everything else, is withheld; so is the withdrawal.
        var withheld = Assert.IsType<NextStep.Withhold>(DeliveryDecider.Next(notSent, Now));
        Assert.Equal((first.Delivery.DeliveryId, DeliveryDecider.NoConsentReason), (withheld.Delivery.DeliveryId, withheld.Reason));
        notSent = notSent.Apply(new DeliveryWithheld(QueueId, JourneyId, PersonId, withheld.Delivery.DeliveryId, withheld.Reason, Now));
        Assert.IsType<NextStep.Withhold>(DeliveryDecider.Confine(notSent, Assert.IsType<NextStep.Send>(DeliveryDecider.Next(notSent, Now))));
    }
}
