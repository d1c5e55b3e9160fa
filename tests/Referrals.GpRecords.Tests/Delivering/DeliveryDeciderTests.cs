using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Patients;

namespace Referrals.GpRecords.Tests.Delivering;

public sealed class DeliveryDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid QueueId = Guid.NewGuid();
    private static readonly Guid JourneyId = Guid.NewGuid();
    private static readonly Guid PersonId = Guid.NewGuid();
    private static readonly TimeSpan[] Delays = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)];

    private static DeliveryQueue Queue(ConsentScope scope, int deliveries)
    {
        var queue = new DeliveryQueue().Apply(new SharingScopeChanged(QueueId, JourneyId, PersonId, scope, Now));
        for (var i = 1; i <= deliveries; i++)
        {
            queue = queue.Apply(new DeliveryQueued(QueueId, JourneyId, PersonId, Guid.NewGuid(), i, "A81001", [], "A81001",
            [
                new DeliveryEntry("Patient", "p", "{\"patient\":1}", "{\"patient\":1}", null, true),
                new DeliveryEntry("Observation", "o" + i, "{\"full\":1}", "{\"coded\":1}", Now, false),
                new DeliveryEntry("Goal", "g" + i, "{\"goal\":1}", null, Now, false),
            ], Now));
        }

        return queue;
    }

    private static DeliveryQueue Fold(DeliveryQueue queue, IEnumerable<object> events) =>
        events.Aggregate(queue, (q, e) => (DeliveryQueue)((dynamic)q).Apply((dynamic)e));

    [Fact]
    public void Deliveries_go_in_order_and_a_parked_one_holds_back_the_later_ones()
    {
        var queue = Queue(ConsentScope.Full, 3);
        var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        Assert.Equal(1, send.Delivery.Sequence);
        queue = Fold(queue, DeliveryDecider.Outcome(queue, send.Delivery, send, new TransportOutcome.Rejected("HTTP 422 (invalid)"), "t", Delays, Now));
        var blocked = Assert.IsType<NextStep.Blocked>(DeliveryDecider.Next(queue, Now));
        Assert.Equal(1, blocked.Delivery.Sequence);

        queue = Fold(queue, DeliveryDecider.Replay(queue, blocked.Delivery.DeliveryId, "admin", Now));
        Assert.Equal(1, Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now)).Delivery.Sequence);
    }

    [Fact]
    public void A_delivery_queued_before_the_person_moved_goes_to_the_new_practice_with_a_patient_naming_it_and_its_outcome_says_where()
    {
        var queue = Queue(ConsentScope.Full, 1);
        var next = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        var patient = PatientRecord.Create(new PatientDetailsRecorded(PersonId, null, "A81001", null, Now))
            .Apply(new PatientRegisteredPracticeChanged(PersonId, "B82002", Now.AddHours(1)));

        var send = DeliveryDecider.Route(next, patient);

        Assert.Equal("B82002", send.PracticeOds);
        var patientEntry = Assert.Single(send.Resources, r => r.ConditionalCreate);
        Assert.Contains("B82002", JsonNode.Parse(patientEntry.Json)!["generalPractitioner"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(next.Resources.Where(r => !r.ConditionalCreate), send.Resources.Where(r => !r.ConditionalCreate));
        var accepted = Assert.IsType<DeliveryAccepted>(Assert.Single(
            DeliveryDecider.Outcome(queue, send.Delivery, send, new TransportOutcome.Accepted(false), "t", Delays, Now)));
        Assert.Equal("B82002", accepted.PracticeOds);
        Assert.Equal("B82002", Fold(queue, [accepted]).Deliveries[0].PracticeOds);
        var parked = Assert.IsType<DeliveryParked>(Assert.Single(
            DeliveryDecider.Outcome(queue, send.Delivery, send, new TransportOutcome.Rejected("HTTP 422"), "t", Delays, Now)));
        Assert.Equal("B82002", parked.PracticeOds);
    }

    [Fact]
    public void A_delivery_for_a_person_still_at_the_practice_it_was_queued_for_goes_as_queued()
    {
        var next = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(Queue(ConsentScope.Full, 1), Now));
        var patient = PatientRecord.Create(new PatientDetailsRecorded(PersonId, null, "a81001", null, Now));

        Assert.Same(next, DeliveryDecider.Route(next, patient));
        Assert.Same(next, DeliveryDecider.Route(next, null));
    }

    [Fact]
    public void Transient_failures_back_off_on_the_configured_delays_and_then_park()
    {
        var queue = Queue(ConsentScope.Full, 1);
        var at = Now;
        for (var attempt = 1; attempt <= Delays.Length; attempt++)
        {
            var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, at));
            var events = DeliveryDecider.Outcome(queue, send.Delivery, send, new TransportOutcome.Transient("HTTP 503"), "t", Delays, at);
            var failed = Assert.IsType<DeliveryAttemptFailed>(Assert.Single(events));
            Assert.Equal(at + Delays[attempt - 1], failed.NextAttemptAt);
            queue = Fold(queue, events);
            Assert.IsType<NextStep.Wait>(DeliveryDecider.Next(queue, at));
            at = failed.NextAttemptAt;
        }

        var last = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, at));
        Assert.IsType<DeliveryParked>(Assert.Single(DeliveryDecider.Outcome(queue, last.Delivery, last, new TransportOutcome.Transient("HTTP 503"), "t", Delays, at)));
    }

    [Fact]
    public void Acceptance_and_filing_are_distinct_events()
    {
        var queue = Queue(ConsentScope.Full, 1);
        var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        Assert.IsType<DeliveryAccepted>(Assert.Single(DeliveryDecider.Outcome(queue, send.Delivery, send, new TransportOutcome.Accepted(false), "t", Delays, Now)));
        var both = DeliveryDecider.Outcome(queue, send.Delivery, send, new TransportOutcome.Accepted(true), "t", Delays, Now);
        Assert.Collection(both, e => Assert.IsType<DeliveryAccepted>(e), e => Assert.IsType<DeliveryFiled>(e));
    }

    [Fact]
    public void A_withdrawal_withholds_queued_and_parked_deliveries()
    {
        var queue = Queue(ConsentScope.Full, 2);
        var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        queue = Fold(queue, DeliveryDecider.Outcome(queue, send.Delivery, send, new TransportOutcome.Rejected("HTTP 400"), "t", Delays, Now));
        queue = queue.Apply(new SharingScopeChanged(QueueId, JourneyId, PersonId, ConsentScope.None, Now.AddMinutes(1)));
        for (var i = 1; i <= 2; i++)
        {
            var withhold = Assert.IsType<NextStep.Withhold>(DeliveryDecider.Next(queue, Now));
            Assert.Equal(i, withhold.Delivery.Sequence);
            queue = queue.Apply(new DeliveryWithheld(QueueId, JourneyId, PersonId, withhold.Delivery.DeliveryId, withhold.Reason, Now));
        }

        Assert.IsType<NextStep.Idle>(DeliveryDecider.Next(queue, Now));
        Assert.Empty(DeliveryDecider.Replay(queue, queue.Deliveries[0].DeliveryId, "admin", Now));
    }

    [Fact]
    public void An_erasure_withholds_every_delivery_not_done_yet_and_leaves_the_done_ones_as_they_are()
    {
        // 1 filed, 2 parked, 3 retrying, 4 queued.
        var queue = Queue(ConsentScope.Full, 4);
        var d = queue.Deliveries;
        queue = Fold(queue, [
            new DeliveryAccepted(QueueId, JourneyId, PersonId, d[0].DeliveryId, "t", ConsentScope.Full, 3, Now),
            new DeliveryFiled(QueueId, JourneyId, PersonId, d[0].DeliveryId, Now),
            new DeliveryParked(QueueId, JourneyId, PersonId, d[1].DeliveryId, 1, "HTTP 422", Now),
            new DeliveryAttemptFailed(QueueId, JourneyId, PersonId, d[2].DeliveryId, 1, "HTTP 503", Now, Now.AddSeconds(10)),
        ]);

        var events = DeliveryDecider.WithholdForErasure(queue, Now);

        Assert.Equal([d[1].DeliveryId, d[2].DeliveryId, d[3].DeliveryId], events.Cast<DeliveryWithheld>().Select(w => w.DeliveryId));
        Assert.All(events.Cast<DeliveryWithheld>(), w => Assert.Equal(DeliveryDecider.ErasedReason, w.Reason));
        queue = Fold(queue, events);
        Assert.Equal([DeliveryState.Filed, DeliveryState.Withheld, DeliveryState.Withheld, DeliveryState.Withheld], queue.Deliveries.Select(x => x.State));
        Assert.IsType<NextStep.Idle>(DeliveryDecider.Next(queue, Now));
        Assert.Empty(DeliveryDecider.WithholdForErasure(queue, Now));
    }

    [Fact]
    public void Each_replay_round_schedules_its_retries_under_timer_keys_of_its_own_and_the_same_within_a_round()
    {
        var queue = Queue(ConsentScope.Full, 1);
        var keys = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var at = Now.AddHours(round);
            for (var attempt = 1; attempt <= Delays.Length + 1; attempt++)
            {
                var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, at));
                var events = DeliveryDecider.Outcome(queue, send.Delivery, send, new TransportOutcome.Transient("HTTP 503"), "t", Delays, at);
                if (events.Single() is DeliveryAttemptFailed failed)
                {
                    keys.Add(DeliveryDecider.RetryTimerKey(send.Delivery, failed.Attempt));
                    Assert.Equal(keys[^1], DeliveryDecider.RetryTimerKey(send.Delivery, failed.Attempt));
                    at = failed.NextAttemptAt;
                }

                queue = Fold(queue, events);
            }

            Assert.IsType<NextStep.Blocked>(DeliveryDecider.Next(queue, at));
            queue = Fold(queue, DeliveryDecider.Replay(queue, queue.Deliveries[0].DeliveryId, "admin", at));
        }

        Assert.Equal(3 * Delays.Length, keys.Count);
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_retry_set_again_before_its_time_gets_a_timer_key_of_its_own_per_message_and_the_same_for_a_redelivery()
    {
        var queue = Queue(ConsentScope.Full, 1);
        var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        var failed = Assert.IsType<DeliveryAttemptFailed>(Assert.Single(
            DeliveryDecider.Outcome(queue, send.Delivery, send, new TransportOutcome.Transient("HTTP 503"), "t", Delays, Now)));
        queue = Fold(queue, [failed]);

        // Handled a moment before the retry time by this host's clock: still waiting, for the retry time.
        var wait = Assert.IsType<NextStep.Wait>(DeliveryDecider.Next(queue, failed.NextAttemptAt.AddMilliseconds(-20)));
        Assert.Equal(failed.NextAttemptAt, wait.Until);
        Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, failed.NextAttemptAt));

        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var retryKey = DeliveryDecider.RetryTimerKey(wait.Delivery, failed.Attempt);
        Assert.Equal(DeliveryDecider.RecheckTimerKey(wait.Delivery, first), DeliveryDecider.RecheckTimerKey(wait.Delivery, first));
        Assert.NotEqual(DeliveryDecider.RecheckTimerKey(wait.Delivery, first), DeliveryDecider.RecheckTimerKey(wait.Delivery, second));
        Assert.NotEqual(retryKey, DeliveryDecider.RecheckTimerKey(wait.Delivery, first));
        Assert.StartsWith(retryKey + ":", DeliveryDecider.RecheckTimerKey(wait.Delivery, first), StringComparison.Ordinal);
    }

    [Fact]
    public void Coded_only_sends_the_coded_renderings_and_leaves_out_resources_without_one()
    {
        var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(Queue(ConsentScope.CodedOnly, 1), Now));
        Assert.Equal(["Patient", "Observation"], send.Resources.Select(r => r.ResourceType));
        Assert.Equal("{\"coded\":1}", send.Resources[1].Json);
    }

    [Fact]
    public void An_older_scope_change_arriving_late_does_not_override_a_newer_one()
    {
        var queue = Queue(ConsentScope.Full, 1).Apply(new SharingScopeChanged(QueueId, JourneyId, PersonId, ConsentScope.None, Now.AddDays(2)));
        queue = queue.Apply(new SharingScopeChanged(QueueId, JourneyId, PersonId, ConsentScope.Full, Now.AddDays(1)));
        Assert.Equal(ConsentScope.None, queue.Scope);
    }

    [Fact]
    public void A_withhold_is_reported_only_for_a_delivery_that_was_parked_even_after_a_replay_and_with_its_sequence_and_reason_category()
    {
        var queue = Queue(ConsentScope.Full, 3);
        var first = queue.Deliveries[0];
        var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        queue = Fold(queue, DeliveryDecider.Outcome(queue, first, send, new TransportOutcome.Rejected("HTTP 422 (invalid)"), "t", Delays, Now));
        queue = Fold(queue, DeliveryDecider.Replay(queue, first.DeliveryId, "admin", Now)); // retrying again, not parked now

        var erased = DeliveryDecider.WithholdForErasure(queue, Now);

        var report = Assert.Single(DeliveryDecider.WithheldReports(queue, erased));
        Assert.Equal((first.DeliveryId, JourneyId, PersonId, 1, GpRecordDeliveryWithheldReasons.Erased),
            (report.DeliveryId, report.JourneyId, report.PersonId, report.Sequence, report.ReasonCategory));
        // Once recorded, the same withholds report nothing more (a replayed erasure).
        Assert.Empty(DeliveryDecider.WithheldReports(Fold(queue, erased), erased));
        Assert.Equal(GpRecordDeliveryWithheldReasons.Superseded, DeliveryDecider.ReasonCategoryOf(DeliveryDecider.SupersededReason));
        Assert.Equal(GpRecordDeliveryWithheldReasons.Consent, DeliveryDecider.ReasonCategoryOf(DeliveryDecider.NoConsentReason));
    }

    [Fact]
    public void An_acceptance_is_reported_as_a_parked_delivery_accepted_only_for_a_delivery_that_was_parked_and_with_its_sequence()
    {
        var queue = Queue(ConsentScope.Full, 2);
        var first = queue.Deliveries[0];
        var send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        queue = Fold(queue, DeliveryDecider.Outcome(queue, first, send, new TransportOutcome.Rejected("HTTP 422 (invalid)"), "t", Delays, Now));
        queue = Fold(queue, DeliveryDecider.Replay(queue, first.DeliveryId, "admin", Now));

        send = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        var accepted = Assert.IsType<DeliveryAccepted>(DeliveryDecider.Outcome(queue, queue.Deliveries[0], send, new TransportOutcome.Accepted(true), "t", Delays, Now)[0]);
        var report = DeliveryDecider.ParkedAcceptedReport(queue, queue.Deliveries[0], "A81001", accepted);
        Assert.Equal((first.DeliveryId, JourneyId, PersonId, "A81001", 1, Now),
            (report?.DeliveryId, report?.JourneyId, report?.PersonId, report?.PracticeOds, report?.Sequence, report?.AcceptedAt));

        queue = queue.Apply(accepted);
        var second = Assert.IsType<NextStep.Send>(DeliveryDecider.Next(queue, Now));
        var secondAccepted = Assert.IsType<DeliveryAccepted>(DeliveryDecider.Outcome(queue, second.Delivery, second, new TransportOutcome.Accepted(true), "t", Delays, Now)[0]);
        Assert.Null(DeliveryDecider.ParkedAcceptedReport(queue, second.Delivery, "A81001", secondAccepted));
    }
}
