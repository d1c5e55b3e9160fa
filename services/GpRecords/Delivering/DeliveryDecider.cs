using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.Fhir;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;

namespace Referrals.GpRecords.Delivering;

/// <summary>What the sender should do next for one journey.</summary>
public abstract record NextStep
{
    /// <summary>Nothing is waiting.</summary>
    public sealed record Idle : NextStep;

    /// <summary>The head is parked: later deliveries of the journey wait until it is replayed.</summary>
    public sealed record Blocked(QueuedDelivery Delivery) : NextStep;

    /// <summary>The head waits for its retry timer.</summary>
    public sealed record Wait(QueuedDelivery Delivery, DateTimeOffset Until) : NextStep;

    /// <summary>The head is withheld without sending (consent, erasure, nothing in scope).</summary>
    public sealed record Withhold(QueuedDelivery Delivery, string Reason) : NextStep;

    /// <summary>Send these entries of the head, as allowed by the scope, to <see cref="PracticeOds"/>.</summary>
    public sealed record Send(QueuedDelivery Delivery, ConsentScope Scope, IReadOnlyList<OutgoingResource> Resources) : NextStep
    {
        /// <summary>The practice the delivery goes to: the one it was queued for, unless <see cref="DeliveryDecider.Route"/> moved it.</summary>
        public string PracticeOds { get; init; } = Delivery.PracticeOds;
    }
}

/// <summary>A resource as it goes out: the JSON allowed by the consent scope.</summary>
public sealed record OutgoingResource(string ResourceType, string Id, string Json, bool ConditionalCreate);

/// <summary>How the transport's attempt ended.</summary>
public abstract record TransportOutcome
{
    /// <summary>Accepted for processing (infrastructure acknowledgement); <paramref name="Filed"/> when the answer also proves filing.</summary>
    public sealed record Accepted(bool Filed) : TransportOutcome;

    /// <summary>May succeed later (connection refused, timeout, 5xx, 429, no endpoint configured).</summary>
    public sealed record Transient(string Reason) : TransportOutcome;

    /// <summary>Will not succeed as it is (the practice rejected the content): poison, parked at once.</summary>
    public sealed record Rejected(string Reason) : TransportOutcome;
}

/// <summary>Pure delivery rules: ordering per journey, consent at send time, back-off, parking.</summary>
public static class DeliveryDecider
{
    /// <summary>Why a delivery of an erased person is withheld.</summary>
    public const string ErasedReason = "The person's data was erased.";

    /// <summary>Why a delivery is withheld under scope none.</summary>
    public const string NoConsentReason = "The person has not consented to sharing with the GP practice (scope none).";

    /// <summary>Why a delivery is withheld when a later one re-sends every resource.</summary>
    public const string SupersededReason = "A later delivery sends every resource of the journey as it now stands.";

    public static NextStep Next(DeliveryQueue queue, DateTimeOffset now)
    {
        foreach (var delivery in queue.Deliveries)
        {
            if (delivery.IsDone)
            {
                continue;
            }

            // Its entries, at their latest, are all in the later one; sent first, they could refer to resources the
            // practice is only sent by that one (after a move, or a widening of consent).
            if (queue.Deliveries.Any(d => d.Complete && d.Sequence > delivery.Sequence && Supersedes(d.PracticeOds, delivery)))
            {
                return new NextStep.Withhold(delivery, SupersededReason);
            }

            // Consent is checked at send time; a withdrawal stops what is queued, retrying or parked - all but the Consent
            // saying sharing stopped (HAZ-006, HAZ-021), which goes alone, to a practice that was sent the journey (Confine).
            if (queue.Scope == ConsentScope.None)
            {
                var stopped = delivery.Entries?.FirstOrDefault(IsStoppedConsent);
                if (delivery.State == DeliveryState.Parked && stopped is not null && queue.WasSentTo(delivery.PracticeOds))
                {
                    // Withheld, it could never be replayed and the practice would keep an active Consent: an operator decides.
                    return new NextStep.Blocked(delivery);
                }

                if (delivery.State == DeliveryState.Parked || stopped is null || delivery.Entries is null)
                {
                    return new NextStep.Withhold(delivery, NoConsentReason);
                }

                if (delivery.State == DeliveryState.Retrying && delivery.NextAttemptAt is { } retryAt && retryAt > now)
                {
                    return new NextStep.Wait(delivery, retryAt);
                }

                return new NextStep.Send(delivery, ConsentScope.None,
                [
                    .. delivery.Entries.Where(e => e.ConditionalCreate).Select(e => new OutgoingResource(e.ResourceType, e.Id, e.FullJson, true)),
                    new OutgoingResource(stopped.ResourceType, stopped.Id, stopped.CodedJson ?? stopped.FullJson, false),
                ]);
            }

            if (delivery.State == DeliveryState.Parked)
            {
                return new NextStep.Blocked(delivery);
            }

            if (delivery.State == DeliveryState.Retrying && delivery.NextAttemptAt is { } at && at > now)
            {
                return new NextStep.Wait(delivery, at);
            }

            if (delivery.Entries is null)
            {
                return new NextStep.Withhold(delivery, ErasedReason);
            }

            var resources = Allowed(delivery.Entries, queue.Scope);
            if (resources.All(r => r.ConditionalCreate))
            {
                return new NextStep.Withhold(delivery, OutOfScopeReason);
            }

            return new NextStep.Send(delivery, queue.Scope, resources);
        }

        return new NextStep.Idle();
    }

    /// <summary>The out-of-scope withhold's reason.</summary>
    public const string OutOfScopeReason = "Nothing in this delivery is within the coded-only sharing scope.";

    /// <summary>
    /// Whether a delivery carrying every resource, for <paramref name="completeForOds"/>, makes <paramref name="delivery"/>
    /// redundant. A parked one addressed to that same practice waits for an operator (its rejection may recur in the later
    /// one); one parked at a practice the person has left is superseded, or it would hold the new practice's journey, and
    /// its escalation notices, back until someone acted on a practice that no longer matters (HAZ-004).
    /// </summary>
    private static bool Supersedes(string completeForOds, QueuedDelivery delivery) =>
        delivery.State != DeliveryState.Parked || !string.Equals(completeForOds, delivery.PracticeOds, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// In the transaction that records a <see cref="Recording.ProductionReset"/> (a move, a widening): every delivery not
    /// done that the complete delivery the reset leads to, for <paramref name="registeredPracticeOds"/>, will supersede is
    /// withheld now. Left until that delivery is queued (a transaction later), a step in between could send it alone - to
    /// the new practice, or under the wider scope - referring to resources the practice is not sent (HAZ-004, HAZ-021).
    /// </summary>
    public static IReadOnlyList<object> SupersedeOnReset(DeliveryQueue? queue, string registeredPracticeOds, DateTimeOffset now) =>
        queue is null
            ? []
            : [.. queue.Deliveries.Where(d => !d.IsDone && Supersedes(registeredPracticeOds, d))
                .Select(d => new DeliveryWithheld(queue.Id, queue.JourneyId, queue.PersonId, d.DeliveryId, SupersededReason, now))];

    /// <summary>
    /// Under scope none only a practice that was sent the journey before is told that sharing stopped; a practice never
    /// sent it (the person never consented, or has moved there since) is told nothing, not even that there was a referral.
    /// </summary>
    public static NextStep Confine(DeliveryQueue queue, NextStep.Send send) =>
        send.Scope == ConsentScope.None && !queue.WasSentTo(send.PracticeOds) ? new NextStep.Withhold(send.Delivery, NoConsentReason) : send;

    /// <summary>The Consent entry saying sharing stopped (inactive, as the mapper renders scope none).</summary>
    private static bool IsStoppedConsent(DeliveryEntry entry) =>
        entry is { ResourceType: "Consent", ConditionalCreate: false } &&
        JsonNode.Parse(entry.CodedJson ?? entry.FullJson)?["status"]?.GetValue<string>() == "inactive";

    /// <summary>
    /// After the person's erasure nothing of theirs is sent: every delivery not done yet (queued, retrying or parked) is
    /// withheld at once, rather than left waiting for a step that may never come.
    /// </summary>
    public static IReadOnlyList<object> WithholdForErasure(DeliveryQueue queue, DateTimeOffset now) =>
        [.. queue.Deliveries.Where(d => !d.IsDone)
            .Select(d => new DeliveryWithheld(queue.Id, queue.JourneyId, queue.PersonId, d.DeliveryId, ErasedReason, now))];

    /// <summary>
    /// Where a delivery goes is decided when it is sent, as consent is: to the practice the person is registered at now
    /// (HAZ-004 C4). A delivery queued before the person moved goes to the new practice, with the Patient it creates
    /// rendered anew to name that practice. Nothing known of the person (no record) leaves it as queued.
    /// </summary>
    public static NextStep.Send Route(NextStep.Send send, PatientRecord? patient)
    {
        if (patient is null || patient.RegisteredPracticeOds.Length == 0 ||
            string.Equals(patient.RegisteredPracticeOds, send.Delivery.PracticeOds, StringComparison.OrdinalIgnoreCase))
        {
            return send;
        }

        var patientJson = FhirJson.Serialize(JourneyRecordMapper.Patient(patient.Id, patient.Details, patient.RegisteredPracticeOds));
        return send with
        {
            PracticeOds = patient.RegisteredPracticeOds,
            Resources = [.. send.Resources.Select(r => r is { ConditionalCreate: true, ResourceType: "Patient" } ? r with { Json = patientJson } : r)],
        };
    }

    /// <summary>The entries' JSON allowed by the scope: full as produced, or the coded-only rendering (entries without one are left out).</summary>
    public static IReadOnlyList<OutgoingResource> Allowed(IReadOnlyList<DeliveryEntry> entries, ConsentScope scope) => scope switch
    {
        ConsentScope.Full => entries.Select(e => new OutgoingResource(e.ResourceType, e.Id, e.FullJson, e.ConditionalCreate)).ToList(),
        ConsentScope.CodedOnly => entries.Where(e => e.CodedJson is not null)
            .Select(e => new OutgoingResource(e.ResourceType, e.Id, e.CodedJson!, e.ConditionalCreate)).ToList(),
        _ => [],
    };

    /// <summary>The events recording how an attempt ended.</summary>
    public static IReadOnlyList<object> Outcome(DeliveryQueue queue, QueuedDelivery delivery, NextStep.Send send, TransportOutcome outcome,
        string transport, IReadOnlyList<TimeSpan> retryDelays, DateTimeOffset now)
    {
        switch (outcome)
        {
            case TransportOutcome.Accepted accepted:
                var events = new List<object>
                {
                    new DeliveryAccepted(queue.Id, queue.JourneyId, queue.PersonId, delivery.DeliveryId, transport, send.Scope,
                        send.Resources.Count, now, send.PracticeOds),
                };
                if (accepted.Filed)
                {
                    events.Add(new DeliveryFiled(queue.Id, queue.JourneyId, queue.PersonId, delivery.DeliveryId, now));
                }

                return events;

            case TransportOutcome.Transient transient:
                var attempt = delivery.Attempts + 1;
                return attempt > retryDelays.Count
                    ? [new DeliveryParked(queue.Id, queue.JourneyId, queue.PersonId, delivery.DeliveryId, attempt,
                        $"Gave up after {attempt} attempts: {transient.Reason}", now, send.PracticeOds)]
                    : [new DeliveryAttemptFailed(queue.Id, queue.JourneyId, queue.PersonId, delivery.DeliveryId, attempt, transient.Reason, now,
                        now + retryDelays[attempt - 1])];

            case TransportOutcome.Rejected rejected:
                return [new DeliveryParked(queue.Id, queue.JourneyId, queue.PersonId, delivery.DeliveryId, delivery.Attempts + 1,
                    "Rejected by the practice system: " + rejected.Reason, now, send.PracticeOds)];

            default:
                throw new ArgumentOutOfRangeException(nameof(outcome));
        }
    }

    /// <summary>
    /// The key of the retry timer after a failed attempt: unique per replay round, since attempts count from 1 again after
    /// a replay and the timer store ignores a key it has seen; the same within a round, so a redelivered step schedules once.
    /// The first round keeps its original key.
    /// </summary>
    public static string RetryTimerKey(QueuedDelivery delivery, int attempt) => delivery.Replays == 0
        ? $"gp-delivery:{delivery.DeliveryId}:attempt:{attempt}"
        : $"gp-delivery:{delivery.DeliveryId}:replay:{delivery.Replays}:attempt:{attempt}";

    /// <summary>
    /// The key under which a retry is set again when a GpDeliveriesDue message finds the head still waiting by this host's
    /// clock (a retry timer fired by an instance whose clock runs ahead): the retry timer's key is spent, so each such message
    /// sets one of its own, and a redelivery of the same message sets it once.
    /// </summary>
    public static string RecheckTimerKey(QueuedDelivery delivery, Guid messageId) =>
        $"{RetryTimerKey(delivery, delivery.Attempts)}:recheck:{messageId:N}";

    /// <summary>
    /// What gp-records reports of <paramref name="events"/> (about to be appended to <paramref name="queue"/>): a withhold of a
    /// delivery that had been reported parked, so support-plan clears the journey's "not yet in the GP record" mark (HAZ-005
    /// C12). A withhold of a delivery never parked reports nothing: nothing marked it.
    /// </summary>
    public static IReadOnlyList<GpRecordDeliveryWithheld> WithheldReports(DeliveryQueue? queue, IEnumerable<object> events) =>
        queue is null
            ? []
            : [.. events.OfType<DeliveryWithheld>()
                .Select(w => (Withheld: w, Delivery: queue.Find(w.DeliveryId)))
                .Where(x => x.Delivery is { ReportedParked: true, IsDone: false })
                .Select(x => new GpRecordDeliveryWithheld(x.Withheld.DeliveryId, x.Withheld.JourneyId, x.Withheld.PersonId, x.Delivery!.Sequence,
                    ReasonCategoryOf(x.Withheld.Reason), x.Withheld.WithheldAt))];

    /// <summary>
    /// What gp-records reports, besides <see cref="GpRecordDeliveryAccepted"/>, of an acceptance of <paramref name="delivery"/>
    /// (as it stood before it): when it had been reported parked, that its park is over, so support-plan clears the journey's
    /// "not yet in the GP record" mark (HAZ-005 C12). Nothing for a delivery never parked: nothing marked it, and the normal
    /// path carries no extra message.
    /// </summary>
    public static GpRecordParkedDeliveryAccepted? ParkedAcceptedReport(DeliveryQueue queue, QueuedDelivery delivery, string practiceOds,
        DeliveryAccepted accepted) =>
        delivery.ReportedParked
            ? new GpRecordParkedDeliveryAccepted(delivery.DeliveryId, queue.JourneyId, queue.PersonId, practiceOds, delivery.Sequence, accepted.AcceptedAt)
            : null;

    /// <summary>The withhold's reason as a category (the reasons are this decider's own texts).</summary>
    public static string ReasonCategoryOf(string reason) => reason switch
    {
        NoConsentReason => GpRecordDeliveryWithheldReasons.Consent,
        SupersededReason => GpRecordDeliveryWithheldReasons.Superseded,
        ErasedReason => GpRecordDeliveryWithheldReasons.Erased,
        _ => GpRecordDeliveryWithheldReasons.OutOfScope,
    };

    /// <summary>A replay is allowed for a parked delivery only.</summary>
    public static IReadOnlyList<object> Replay(DeliveryQueue queue, Guid deliveryId, string requestedBy, DateTimeOffset now) =>
        queue.Find(deliveryId) is { State: DeliveryState.Parked }
            ? [new DeliveryReplayRequested(queue.Id, queue.JourneyId, queue.PersonId, deliveryId, requestedBy, now)]
            : [];
}
