using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.GpRecords.Recording;

namespace Referrals.GpRecords.Journeys;

/// <summary>
/// The journey as gp-records records it (stream id = JourneyId). Its events are the support-plan facts as received -
/// support-plan is the authority on the journey, and contracts only ever grow by optional fields - plus this service's
/// own decisions (<see cref="ResourcesProduced"/>). Facts are kept by identity (contact id, measurement id, …) and the
/// FHIR resources are a pure function of them, so the order in which queues deliver them does not matter.
/// </summary>
public sealed record GpJourney
{
    public Guid Id { get; init; }

    public Guid PersonId { get; init; }

    /// <summary>Facts by identity (see <see cref="JourneyFacts.KeyOf"/>).</summary>
    public ImmutableSortedDictionary<string, IIntegrationEvent> Facts { get; init; } =
        ImmutableSortedDictionary<string, IIntegrationEvent>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>What was last produced for each resource ("Type/id" → content hash).</summary>
    public ImmutableSortedDictionary<string, string> Produced { get; init; } =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    public int DeliveriesQueued { get; init; }

    public IEnumerable<T> All<T>() => Facts.Values.OfType<T>();

    public GpJourney Apply(JourneyRegistered e) => Record(e.JourneyId, e.PersonId, e);

    /// <summary>
    /// Triage's later decision or a team lead's override (priority alone included) after registration: the referral's eligibility
    /// and priority as they now stand. One per referral; the latest by support-plan's journey version stands.
    /// </summary>
    public GpJourney Apply(ReferralRetriaged e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(JourneyOpened e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(PersonAgreedToSocialPrescribing e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(SocialPrescribingDeclined e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(ContactRecorded e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(JourneyWentDormant e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(JourneyReactivated e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(WhatMattersRecorded e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(SupportPlanAgreed e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(CommunityConnectionMade e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(OutcomeMeasured e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(ConsentScopeChanged e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(SafeguardingConcernRaised e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(JourneyClosed e) => Record(e.JourneyId, e.PersonId, e);

    /// <summary>Triage's notice to the registered practice (only those pass <see cref="JourneyFacts.ShouldRecord"/>).</summary>
    public GpJourney Apply(ReferralEscalated e) => Record(e.JourneyId, e.PersonId, e);

    public GpJourney Apply(ResourcesProduced e) => this with
    {
        Produced = Produced.SetItems(e.Hashes),
        DeliveriesQueued = Math.Max(DeliveriesQueued, e.Sequence),
    };

    /// <summary>Production starts over: the next one queues every current resource.</summary>
    public GpJourney Apply(ProductionReset e) => this with { Produced = Produced.Clear() };

    private GpJourney Record(Guid journeyId, Guid personId, IIntegrationEvent fact) => this with
    {
        Id = journeyId,
        PersonId = personId,
        Facts = Facts.SetItem(JourneyFacts.KeyOf(fact), fact),
    };
}

/// <summary>Pure rules for recording an upstream fact: identity, duplicates, stale re-emissions.</summary>
public static class JourneyFacts
{
    private static readonly JsonSerializerOptions Json = Referrals.EventStore.EventStoreOptions.CreateSerializerOptions();

    /// <summary>The identity of a fact: two facts with one key describe the same thing (the later one corrects it).</summary>
    public static string KeyOf(IIntegrationEvent fact) => fact switch
    {
        JourneyRegistered e => $"registered:{e.ReferralId}",
        ReferralRetriaged e => $"retriaged:{e.ReferralId}",
        JourneyOpened e => $"opened:{e.ReferralId}:{e.Episode}",
        PersonAgreedToSocialPrescribing e => $"agreed:{e.Episode}",
        SocialPrescribingDeclined e => $"declined:{e.DeclinedAt.UtcTicks}",
        ContactRecorded e => $"contact:{e.ContactId}",
        JourneyWentDormant e => $"dormant:{e.DormantAt.UtcTicks}",
        JourneyReactivated e => $"reactivated:{e.ReactivatedAt.UtcTicks}",
        WhatMattersRecorded => "what-matters",
        // Each plan is kept by its time (support-plan's recording time), not only the latest: a closed episode's summary is
        // built from the plan that stood when it closed, and a goal a later plan dropped is sent as cancelled.
        SupportPlanAgreed e => $"support-plan:{e.AgreedAt.UtcTicks}",
        CommunityConnectionMade e => $"connection:{e.ConnectionId}",
        OutcomeMeasured e => $"outcome:{e.MeasurementId}",
        ConsentScopeChanged e => $"consent:{e.ChangedAt.UtcTicks}",
        SafeguardingConcernRaised e => $"safeguarding:{e.ConcernId}",
        JourneyClosed e => $"closed:{e.ClosedAt.UtcTicks}",
        ReferralEscalated e => EscalationKey(e.EscalationId, e.Step),
        _ => throw new ArgumentException($"{fact.GetType().Name} is not a journey fact.", nameof(fact)),
    };

    /// <summary>The identity of the practice's notice of one escalation step (<see cref="KeyOf"/> of a <see cref="ReferralEscalated"/>).</summary>
    public static string EscalationKey(Guid escalationId, int step) =>
        $"escalation:{escalationId}:{step.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Whether a message is a journey fact at all: of triage's escalation notices only those to the registered practice
    /// are (the duty worker's, team leads' and referrer's are not for the GP record).
    /// </summary>
    public static bool IsJourneyFact(IIntegrationEvent fact) =>
        fact is not ReferralEscalated escalated || escalated.RecipientKind == EscalationRecipientKind.RegisteredPractice;

    /// <summary>
    /// Whether to record <paramref name="fact"/>: not when it is no journey fact (<see cref="IsJourneyFact"/>); not when the
    /// same fact (ignoring its source) is already recorded; not when an agreement for the episode, the practice's notice
    /// of an escalation step, or a safeguarding concern (support-plan re-sends it until triage confirms) is already recorded
    /// (once each); not when it is older than the recorded fact of the same
    /// identity (by source version when both carry one, else by the time the fact states).
    /// </summary>
    public static bool ShouldRecord(GpJourney? journey, IIntegrationEvent fact)
    {
        if (!IsJourneyFact(fact))
        {
            return false;
        }

        if (journey is null || !journey.Facts.TryGetValue(KeyOf(fact), out var existing))
        {
            return true;
        }

        // First wins for these: support-plan re-sends a concern triage has not confirmed, and a copy may differ from the first
        // (whitespace-only details dropped, details gone after an erasure); recording it would overwrite the fact and send again.
        if (fact is PersonAgreedToSocialPrescribing or ReferralEscalated or SafeguardingConcernRaised || Canonical(existing) == Canonical(fact))
        {
            return false;
        }

        if (existing.Source is { } before && fact.Source is { } after && before.StreamId == after.StreamId)
        {
            return after.Version > before.Version;
        }

        return (StatedAt(fact) ?? DateTimeOffset.MaxValue) >= (StatedAt(existing) ?? DateTimeOffset.MinValue);
    }

    /// <summary>The time the fact itself states (not when it arrived).</summary>
    public static DateTimeOffset? StatedAt(IIntegrationEvent fact) => fact switch
    {
        JourneyRegistered e => e.RegisteredAt,
        ReferralRetriaged e => e.TriagedAt,
        JourneyOpened e => e.OpenedAt,
        PersonAgreedToSocialPrescribing e => e.AgreedAt,
        SocialPrescribingDeclined e => e.DeclinedAt,
        ContactRecorded e => e.OccurredAt,
        JourneyWentDormant e => e.DormantAt,
        JourneyReactivated e => e.ReactivatedAt,
        WhatMattersRecorded e => e.RecordedAt,
        SupportPlanAgreed e => e.AgreedAt,
        CommunityConnectionMade e => e.MadeAt,
        OutcomeMeasured e => e.MeasuredAt,
        ConsentScopeChanged e => e.ChangedAt,
        SafeguardingConcernRaised e => e.RaisedAt,
        JourneyClosed e => e.ClosedAt,
        ReferralEscalated e => e.EscalatedAt,
        _ => null,
    };

    private static string Canonical(IIntegrationEvent fact)
    {
        var node = JsonSerializer.SerializeToNode(fact, fact.GetType(), Json)!.AsObject();
        node.Remove("source");
        return node.ToJsonString();
    }
}
