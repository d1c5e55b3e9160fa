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

    [Fact]
    public void Deliveries_not_sent_before_one_carrying_every_resource_are_withheld_as_superseded_and_a_parked_one_still_holds_the_journey_back()
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
