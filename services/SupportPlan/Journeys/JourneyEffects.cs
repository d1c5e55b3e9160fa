using System.Globalization;
using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Connecting;
using Referrals.SupportPlan.Consenting;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Deciding;
using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.LoneWorking;
using Referrals.SupportPlan.MeasuringOutcomes;
using Referrals.SupportPlan.Opening;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.Planning;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Journeys;

/// <summary>
/// What follows from journey events, in the same transaction: the integration events other services read (through the outbox)
/// and the durable timers (lone-working check-out, dormancy). Every path that appends journey events - HTTP or consumer -
/// goes through here, so the same event always has the same effects.
/// </summary>
internal static class JourneyEffects
{
    public static void Apply(IDocumentSession session, Journey? before, Journey after, IReadOnlyList<object> events, JourneyPolicy policy)
    {
        foreach (var e in events)
        {
            if (IntegrationEventFor(after, e) is { } message)
            {
                session.Outbox.Publish(message, after.Id);
            }

            switch (e)
            {
                case HomeVisitCheckedIn visit:
                    session.Timers.Schedule(LoneWorkingTimerKey(visit.VisitId), visit.ExpectedEnd + policy.LoneWorkingGrace,
                        new Integration.LoneWorkingCheckOutDue(visit.VisitId, after.Id, after.PersonId, visit.ExpectedEnd), after.Id);
                    break;
                case HomeVisitCheckedOut visit:
                    session.Timers.Cancel(LoneWorkingTimerKey(visit.VisitId));
                    break;
                case SafeguardingConcernRaised concern:
                    // Later rounds, and triage's confirmation, are the concern's own stream's (ConcernConfirmationEffects).
                    ScheduleConcernCheck(session, after, concern.ConcernId, 1, concern.RaisedAt + SafeguardingDecider.ConcernCheckWait(policy, 1));
                    break;
            }
        }

        var previousDormancy = DormancyTimerKeyOf(before, policy);
        var nextDormancy = DormancyTimerKeyOf(after, policy);
        if (previousDormancy != nextDormancy)
        {
            if (previousDormancy is { } previous)
            {
                session.Timers.Cancel(previous);
            }

            EnsureDormancyTimer(session, after, policy);
        }
    }

    /// <summary>
    /// Schedules the dormancy timer for the journey's current due time and arming (a no-op if it already stands, so a replayed
    /// schedule does nothing; a reactivation arms a new timer under a new key).
    /// </summary>
    public static void EnsureDormancyTimer(IDocumentSession session, Journey journey, JourneyPolicy policy) =>
        ScheduleDormancyTimer(session, journey, policy, null);

    /// <summary>
    /// The dormancy timer for the journey's current due time fired before this service's clock reached that time (clocks of
    /// different instances drift): its key is spent (the timer store ignores a key it has seen), so the check is scheduled again
    /// under a key of its own for the same due time.
    /// </summary>
    public static void ScheduleDormancyRecheck(IDocumentSession session, Journey journey, JourneyPolicy policy, DateTimeOffset now) =>
        ScheduleDormancyTimer(session, journey, policy, $":recheck:{now.UtcTicks}");

    private static void ScheduleDormancyTimer(IDocumentSession session, Journey journey, JourneyPolicy policy, string? keySuffix)
    {
        if (DormancyDue(journey, policy) is { } due)
        {
            session.Timers.Schedule(DormancyTimerKey(journey.Id, due, journey.Reactivations) + keySuffix, due,
                new Integration.JourneyDormancyDue(journey.Id, journey.PersonId, journey.NoContactSince!.Value, due), journey.Id);
        }
    }

    /// <summary>
    /// Scheduled with no source stream, so the fired check's outbox row is a stream of its own: the relay stops a stream at its
    /// first failing row, and the watchdog must not wait behind the journey's own messages (the concern among them).
    /// </summary>
    internal static void ScheduleConcernCheck(IDocumentSession session, Journey journey, Guid concernId, int round, DateTimeOffset due) =>
        session.Timers.Schedule(ConcernCheckTimerKey(concernId, round), due,
            new Integration.SafeguardingConcernCheckDue(concernId, journey.Id, journey.PersonId, round, due));

    /// <summary>
    /// The key of a concern's confirmation check: one per round, because a key that has fired is ignored by the timer store,
    /// so re-arming the check after an unconfirmed round must use a new key.
    /// </summary>
    public static string ConcernCheckTimerKey(Guid concernId, int round) =>
        string.Create(CultureInfo.InvariantCulture, $"support-plan:concern-check:{concernId:N}:round:{round}");

    public static string LoneWorkingTimerKey(Guid visitId) => $"support-plan:lone-working:{visitId:N}";

    /// <summary>
    /// The dormancy timer's key: the journey, the due time and the arming (how many reactivations came before it). Within one
    /// active period an unchanged due time gives the same key (a replay is a no-op); after a reactivation the key is new even if
    /// the due time were the same, so a timer key that has already fired is never reused.
    /// </summary>
    public static string DormancyTimerKey(Guid journeyId, DateTimeOffset dueAt, int reactivations = 0) =>
        reactivations == 0
            ? $"support-plan:dormancy:{journeyId:N}:{dueAt.UtcTicks}"
            : $"support-plan:dormancy:{journeyId:N}:{dueAt.UtcTicks}:armed-{reactivations}";

    private static string? DormancyTimerKeyOf(Journey? journey, JourneyPolicy policy) =>
        DormancyDue(journey, policy) is { } due ? DormancyTimerKey(journey!.Id, due, journey.Reactivations) : null;

    /// <summary>
    /// When the journey goes dormant if nobody makes contact: only open or active journeys are watched, and the count runs from
    /// the last contact with the person or the last reactivation, whichever is later.
    /// </summary>
    public static DateTimeOffset? DormancyDue(Journey? journey, JourneyPolicy policy) =>
        journey is { Status: JourneyStatus.Open or JourneyStatus.Active, DormancyCountsFrom: { } from } ? from + policy.DormantAfter : null;

    public static object? IntegrationEventFor(Journey journey, object e) => e switch
    {
        JourneyRegistered x => new Integration.JourneyRegistered(x.JourneyId, journey.PersonId, x.Referral.ReferralId, journey.ProgrammeId,
            x.Referral.RegisteredPracticeOds, x.Referral.Referrer, x.Referral.Needs, x.Referral.RequiredTier, x.Referral.Priority,
            x.Referral.Eligible, x.Referral.Escalated, journey.SharingScope, x.RegisteredAt) { Reopened = x.Reopened },
        ReferralRetriaged x => new Integration.ReferralRetriaged(x.JourneyId, journey.PersonId, x.ReferralId, journey.ProgrammeId, x.Eligible,
            x.RequiredTier, x.Priority, x.Escalated, x.TriagedAt),

        // The practice's record follows an override too (triage does not decide again for a change of priority alone). Sent from
        // the journey's stream like a re-triage, so its version orders it against them as the journey applied them.
        ReferralTriageOverridden x => new Integration.ReferralRetriaged(x.JourneyId, journey.PersonId, x.ReferralId, journey.ProgrammeId,
            journey.Referral.Eligible, x.RequiredTier, x.Priority, journey.Referral.Escalated, x.OverriddenAt),

        // And an escalation triage raised after its decision (HAZ-001 C12): the ServiceRequest's priority follows, as for an override.
        ReferralEscalatedForRisk x => new Integration.ReferralRetriaged(x.JourneyId, journey.PersonId, x.ReferralId, journey.ProgrammeId,
            journey.Referral.Eligible, x.RequiredTier, x.Priority, true, x.EscalatedAt),
        JourneyOpened x => new Integration.JourneyOpened(x.JourneyId, journey.PersonId, x.ReferralId, journey.ProgrammeId, x.LinkWorkerId,
            x.Reopened, x.Episode, x.OpenedAt),
        PersonAgreedToSocialPrescribing x => new Integration.PersonAgreedToSocialPrescribing(x.JourneyId, journey.PersonId, journey.ProgrammeId,
            x.Episode, journey.LinkWorkerId ?? x.RecordedBy, x.AgreedAt),
        SocialPrescribingDeclined x => new Integration.SocialPrescribingDeclined(x.JourneyId, journey.PersonId, journey.ProgrammeId, x.Reason,
            x.DeclinedAt),
        ContactRecorded x => new Integration.ContactRecorded(x.JourneyId, journey.PersonId, x.ContactId, x.Kind, x.Outcome, x.DurationMinutes,
            journey.LinkWorkerId ?? x.RecordedBy, x.OccurredAt),
        JourneyWentDormant x => new Integration.JourneyWentDormant(x.JourneyId, journey.PersonId, x.LastContactAt, x.DormantAt),
        JourneyReactivated x => new Integration.JourneyReactivated(x.JourneyId, journey.PersonId, x.ReactivatedAt),
        WhatMattersRecorded x => WhatMatters(journey, x.RecordedAt),
        NeedIdentified x => WhatMatters(journey, x.IdentifiedAt),
        NeedResolved x => WhatMatters(journey, x.ResolvedAt),
        SupportPlanAgreed x => new Integration.SupportPlanAgreed(x.JourneyId, journey.PersonId, GoalSummaries(journey), x.NextReviewDate,
            x.RecordedAt),
        CommunityConnectionMade x => Connection(journey, x.ConnectionId),
        ConnectionOutcomeRecorded x => Connection(journey, x.ConnectionId),
        OutcomeMeasured x => new Integration.OutcomeMeasured(x.JourneyId, journey.PersonId, x.MeasurementId, x.Instrument, x.Point, x.Score,
            x.RawScore, x.PamLevel, x.Ons4, x.ChangeSinceBaseline, x.MeaningfulChange, x.MeasuredAt)
        {
            Episode = journey.Measurements.Find(m => m.MeasurementId == x.MeasurementId)?.Episode ?? journey.Episode,
        },
        ConsentScopeChanged x => new Integration.ConsentScopeChanged(x.JourneyId, journey.PersonId, x.Scope, x.Withdrawn, x.Reason, x.ChangedAt),
        SafeguardingConcernRaised x => new Integration.SafeguardingConcernRaised(x.ConcernId, x.JourneyId, journey.PersonId,
            journey.Referral.ReferralId, journey.ProgrammeId, x.Crisis, x.Indicators, x.Details, x.RaisedBy, x.RaisedAt),
        LoneWorkingCheckOutOverdue x => new Integration.LoneWorkingCheckOutOverdue(x.VisitId, x.JourneyId, journey.PersonId,
            journey.ProgrammeId, x.LinkWorkerId, x.ExpectedEnd, x.RaisedAt),
        JourneyClosed x => new Integration.JourneyClosed(x.JourneyId, journey.PersonId, journey.ProgrammeId, x.Reason,
            ClosingSummaryFor(journey), x.ClosedAt) { SharingScope = journey.ConsentWithdrawn ? ConsentScope.None : journey.SharingScope },
        _ => null,
    };

    /// <summary>
    /// The concern as first sent to triage, sent again because triage has not confirmed it. Triage escalates a concern once
    /// (its escalation has the concern's id), so a copy of one it did apply only brings its confirmation again.
    /// </summary>
    internal static Integration.SafeguardingConcernRaised? ResentConcern(Journey journey, Guid concernId) =>
        journey.Concerns.Find(c => c.ConcernId == concernId) is { } c
            ? new Integration.SafeguardingConcernRaised(c.ConcernId, journey.Id, journey.PersonId,
                c.ReferralId == Guid.Empty ? journey.Referral.ReferralId : c.ReferralId, journey.ProgrammeId, c.Crisis, journey.IndicatorsOf(c),
                journey.TextOf(TextKeys.Of(c.ConcernId)), c.RaisedBy, c.RaisedAt)
            : null;

    private static Integration.WhatMattersRecorded WhatMatters(Journey journey, DateTimeOffset at) =>
        new(journey.Id, journey.PersonId, journey.WhatMatters, NeedCategories(journey), at);

    private static Integration.CommunityConnectionMade Connection(Journey journey, Guid connectionId)
    {
        var connection = journey.Connections.Single(c => c.ConnectionId == connectionId);
        return new Integration.CommunityConnectionMade(journey.Id, journey.PersonId, connection.ConnectionId, connection.ServiceName,
            connection.Kind, connection.Outcome, connection.MadeAt);
    }

    /// <summary>The needs still open, in the platform's categories (the referral's vocabulary).</summary>
    public static IReadOnlyList<NeedCategory> NeedCategories(Journey journey) =>
        journey.Needs.Where(n => n.IsOpen).Select(n => ToCategory(n.Domain)).Distinct().ToList();

    public static NeedCategory ToCategory(NeedDomain domain) => domain switch
    {
        NeedDomain.SocialConnection => NeedCategory.LonelinessOrIsolation,
        NeedDomain.MentalWellbeing => NeedCategory.MentalWellbeing,
        NeedDomain.PhysicalActivity => NeedCategory.PhysicalActivity,
        NeedDomain.Housing => NeedCategory.Housing,
        NeedDomain.MoneyDebtAndBenefits => NeedCategory.DebtOrBenefits,
        NeedDomain.EmploymentAndEducation => NeedCategory.Employment,
        NeedDomain.CarerRole => NeedCategory.CarerSupport,
        NeedDomain.PracticalNeeds => NeedCategory.PracticalSupport,
        _ => NeedCategory.Other,
    };

    public static IReadOnlyList<Integration.GoalSummary> GoalSummaries(Journey journey) =>
        journey.Goals.Select(g => new Integration.GoalSummary(g.GoalId, journey.TextOf(TextKeys.Of(g.GoalId)) ?? string.Empty, g.TargetDate,
            g.Status.ToString())).ToList();

    /// <summary>The closing summary for the GP and referrer: what mattered, the goals, the connections and the outcome changes.</summary>
    public static Integration.ClosingSummary ClosingSummaryFor(Journey journey) => new(
        journey.WhatMatters ?? journey.ReferralWhatMatters,
        GoalSummaries(journey),
        journey.Connections.Select(c => new Integration.ConnectionSummary(c.ServiceName, c.Kind, c.Outcome)).ToList(),
        OutcomeChanges(journey));

    /// <summary>How the measures changed in the current episode: an earlier episode's closing summary reported its own.</summary>
    public static IReadOnlyList<Integration.OutcomeChange> OutcomeChanges(Journey journey)
    {
        var changes = new List<Integration.OutcomeChange>();
        var measurements = journey.EpisodeMeasurements.ToList();
        foreach (var instrument in measurements.Select(m => m.Instrument).Distinct().Order())
        {
            var baseline = journey.BaselineOf(instrument);
            var latest = measurements.Where(m => m.Instrument == instrument).OrderBy(m => m.MeasuredAt).LastOrDefault();
            if (instrument == Instrument.Ons4)
            {
                foreach (var item in Ons4Item.All)
                {
                    decimal? from = baseline?.Ons4 is { } b ? item.Of(b) : null;
                    decimal? to = latest?.Ons4 is { } l ? item.Of(l) : null;
                    // Only a later measurement against the baseline is a change: a baseline alone is not "no change".
                    var itemChange = from is { } first && to is { } last && !ReferenceEquals(baseline, latest) ? last - first : (decimal?)null;
                    changes.Add(new Integration.OutcomeChange(instrument, from, to, itemChange, null) { Item = item.Name });
                }

                continue;
            }

            var change = baseline?.Score is { } start && latest?.Score is { } end && !ReferenceEquals(baseline, latest) ? end - start : (decimal?)null;
            changes.Add(new Integration.OutcomeChange(instrument, baseline?.Score, latest?.Score, change,
                change is { } c ? OutcomeScoring.IsMeaningful(instrument, c) : null));
        }

        return changes;
    }
}
