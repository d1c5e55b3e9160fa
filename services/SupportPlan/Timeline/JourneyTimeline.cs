using System.Globalization;
using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.Fhir.Terminology;
using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Connecting;
using Referrals.SupportPlan.Consenting;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Deciding;
using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.GpRecords;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.LinkingReferrals;
using Referrals.SupportPlan.LoneWorking;
using Referrals.SupportPlan.MeasuringOutcomes;
using Referrals.SupportPlan.Opening;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.People;
using Referrals.SupportPlan.Planning;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Timeline;

/// <summary>What the GP record gets from an entry: the SNOMED CT code (if coded) and how it is shared under the consent then in force.</summary>
public sealed record GpRecordEntry(string? Code, string? Term, GpSharing Sharing);

public enum GpSharing
{
    /// <summary>Sent to the GP record with its narrative (consent: full).</summary>
    CodedWithNarrative,

    /// <summary>Sent as coded entries only (consent: coded only).</summary>
    CodedOnly,

    /// <summary>Not sent: the person's consent does not allow sharing.</summary>
    NotShared,

    /// <summary>Sent to the GP record marked restricted (safeguarding).</summary>
    Restricted,

    /// <summary>GP-records reported the delivery filed to the record.</summary>
    Filed,
}

/// <summary>One line of the timeline. <see cref="Summary"/> holds no personal data; the words are in the timeline's details.</summary>
public sealed record TimelineEntry(string Key, long Sequence, DateTimeOffset At, string Kind, string Summary, string? Actor, GpRecordEntry? GpRecord);

/// <summary>
/// The whole journey in order, from referral to closure (an inline projection of the journey stream and of GP-records'
/// filing reports; rebuildable from events). Personal words (what matters, notes, goal wording) live in <see cref="Details"/>,
/// encrypted under the person's key.
/// </summary>
public sealed class JourneyTimeline
{
    public Guid Id { get; set; }

    public Guid PersonId { get; set; }

    /// <summary>The consent scope in force as the events were applied: what each coded entry means for the GP record.</summary>
    public ConsentScope Scope { get; set; }

    public List<TimelineEntry> Entries { get; set; } = [];

    [PersonalData]
    public Dictionary<string, string>? Details { get; set; }
}

/// <summary>Builds <see cref="JourneyTimeline"/> documents: one per journey, entries kept in order of when things happened.</summary>
public sealed class JourneyTimelineProjection : IProjection
{
    public const string ProjectionName = "JourneyTimeline";

    public string Name => ProjectionName;

    public IReadOnlyCollection<Type> DocumentTypes => [typeof(JourneyTimeline)];

    public bool Handles(Type eventType) => typeof(IJourneyEvent).IsAssignableFrom(eventType) || eventType == typeof(GpRecordFilingRecorded)
        || eventType == typeof(SafeguardingConcernConfirmed) || eventType == typeof(SafeguardingConcernUnconfirmed);

    public async Task ApplyAsync(IProjectionContext context, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var relevant = events.Where(e => Handles(e.EventType)).Select(e => (JourneyId: JourneyOf(e), Event: e)).ToList();
        if (relevant.Count == 0)
        {
            return;
        }

        var existing = await context.LoadManyForUpdateAsync<JourneyTimeline>(relevant.Select(r => r.JourneyId.ToString()).Distinct().ToList(), ct);
        foreach (var group in relevant.GroupBy(r => r.JourneyId))
        {
            var timeline = existing.GetValueOrDefault(group.Key.ToString()) ?? new JourneyTimeline { Id = group.Key };
            foreach (var (_, e) in group)
            {
                Apply(timeline, e);
            }

            timeline.Entries = [.. timeline.Entries.OrderBy(x => x.At).ThenBy(x => x.Sequence).ThenBy(x => x.Key, StringComparer.Ordinal)];
            context.Store(timeline);
        }
    }

    /// <summary>The journey an event belongs to: its stream, or the journey named by an event kept in a stream of its own.</summary>
    private static Guid JourneyOf(IEvent e) => e.Data switch
    {
        GpRecordFilingRecorded x => x.JourneyId,
        SafeguardingConcernConfirmed x => x.JourneyId,
        SafeguardingConcernUnconfirmed x => x.JourneyId,
        _ => e.StreamId,
    };

    private static void Apply(JourneyTimeline timeline, IEvent e)
    {
        if (timeline.Entries.Exists(x => x.Sequence == e.Sequence))
        {
            return; // already applied (a rebuild that overlaps)
        }

        var index = 0;
        void Add(DateTimeOffset at, string kind, string summary, string? actor = null, GpRecordEntry? gp = null, string? detail = null)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{e.Sequence}-{index++}");
            timeline.Entries.Add(new TimelineEntry(key, e.Sequence, at, kind, summary, actor, gp));
            if (!string.IsNullOrWhiteSpace(detail))
            {
                (timeline.Details ??= [])[key] = detail;
            }
        }

        GpRecordEntry Coded(SnomedConcept? concept) => new(concept?.Code.Value, concept?.Term, timeline.Scope switch
        {
            ConsentScope.Full => GpSharing.CodedWithNarrative,
            ConsentScope.CodedOnly => GpSharing.CodedOnly,
            _ => GpSharing.NotShared,
        });

        switch (e.Data)
        {
            case JourneyRegistered x:
                timeline.PersonId = x.PersonId;
                timeline.Scope = x.Referral.SharingScope;
                var r = x.Referral;
                Add(r.SubmittedAt, "ReferralSubmitted", Invariant($"Referral from {r.Referrer.Kind} {r.Referrer.OrganisationId} for practice {r.RegisteredPracticeOds}; needs: {List(r.Needs)}; urgency {r.Urgency}; consent to share: {r.SharingScope}"),
                    r.Referrer.OrganisationId, detail: x.WhatMatters);
                Add(r.TriagedAt, "ReferralTriaged", Invariant($"Triaged {(r.Eligible ? "eligible" : "not eligible")}: tier {r.RequiredTier}, priority {r.Priority}, complexity {r.ComplexityScore}{(r.Escalated ? ", escalated for risk" : string.Empty)}{(r.TriageReasons.Count > 0 ? "; " + string.Join("; ", r.TriageReasons) : string.Empty)}"),
                    "triage");
                // A referral triage found not eligible is never opened and will not go ahead (gp-records revokes the practice's request):
                // its entry says so, not that a referral was raised and awaits a worker. Triage's reasons are on the entry above.
                Add(x.RegisteredAt, x.Reopened ? "JourneyReopened" : "JourneyRegistered",
                    x.Reopened ? "Re-referral within the window: this journey was reopened, awaiting a worker's acceptance"
                    : r.Eligible ? "Journey registered; awaiting a worker's acceptance"
                    : "Triage found the referral not eligible: the journey was recorded but not opened, and the referral will not go ahead",
                    ReferralDecider.System, Coded(null) with
                    {
                        Code = null,
                        Term = r.Eligible || x.Reopened ? "Referral raised with the registered practice" : "Referral found not eligible by triage: it will not go ahead",
                    });
                break;
            case ReferralRetriaged x:
                Add(x.TriagedAt, "ReferralRetriaged", Invariant($"Triaged again: {(x.Eligible ? "eligible" : "not eligible, the referral will not go ahead")}, tier {x.RequiredTier}, priority {x.Priority}{(x.Escalated ? ", escalated for risk" : string.Empty)}"), "triage");
                break;
            case ReferralTriageOverridden x:
                // The team lead's reason stays in triage: the summary says what changed.
                Add(x.OverriddenAt, "TriageOverridden", Invariant($"A team lead overrode triage: tier {x.PreviousTier} to {x.RequiredTier}, priority {x.PreviousPriority} to {x.Priority}"), x.OverriddenBy);
                break;
            case ReferralEscalatedForRisk x:
                // The indicators and the duty chain's words stay in triage: the summary says what changed.
                Add(x.EscalatedAt, "ReferralEscalated", x.RequiredTier == x.PreviousTier && x.Priority == x.PreviousPriority
                    ? Invariant($"Triage escalated the referral for risk: tier {x.RequiredTier} and priority {x.Priority} unchanged")
                    : Invariant($"Triage escalated the referral for risk: tier {x.PreviousTier} to {x.RequiredTier}, priority {x.PreviousPriority} to {x.Priority}"), "triage");
                break;
            case JourneyOpened x:
                Add(x.AcceptedAt, "AssignmentAccepted", Invariant($"Assignment accepted by link worker {x.LinkWorkerId}"), x.LinkWorkerId);
                Add(x.OpenedAt, "JourneyOpened", Invariant($"Journey opened (opening {x.Episode}{(x.Reopened ? ", reopened" : string.Empty)})"), ReferralDecider.System);
                break;
            case LinkWorkerChanged x:
                Add(x.ChangedAt, "LinkWorkerChanged", Invariant($"Reassigned from {x.PreviousLinkWorkerId ?? "nobody"} to {x.LinkWorkerId}"), "triage");
                break;
            case ReferralWithdrawalNoted x:
                Add(x.WithdrawnAt, "ReferralWithdrawn", x.ClosesJourney ? "The referrer withdrew the referral" : "The referrer withdrew the referral; the person continues with their worker",
                    "intake", detail: x.Reason);
                break;
            case FurtherReferralReceived x:
                // The referrer's words (reason, what matters, risk notes) in the details; the summary names no more than the structure.
                Add(x.LinkedAt, "FurtherReferral", Invariant($"Further referral from {x.Referrer.Kind} {x.Referrer.OrganisationId} linked to this journey; needs: {(x.Needs.Count == 0 ? "none given" : List(x.Needs))}; urgency {x.Urgency?.ToString() ?? "not given"}{(x.CarriedRisk ? "; it reports risk (triage reads it for escalation to the duty worker)" : string.Empty)}"),
                    x.Referrer.OrganisationId, detail: FurtherReferralDetail(x));
                break;
            case FurtherReferralAcknowledged x:
                Add(x.AcknowledgedAt, "FurtherReferralAcknowledged", "Further referral read and acknowledged", x.AcknowledgedBy);
                break;
            case FurtherReferralEscalatedByTriage x:
                // Triage's indicators stay in triage: the worker is told that the duty chain was asked, and reads the referral.
                Add(x.EscalatedAt, "FurtherReferralEscalatedByTriage",
                    "Further referral reports risk: triage escalated it to the duty chain", "triage");
                break;
            case PersonDetailsUpdated x:
                Add(x.UpdatedAt, "PersonDetailsUpdated", "The person's details were corrected", "intake");
                break;
            case PersonAgreedToSocialPrescribing x:
                Add(x.AgreedAt, "PersonAgreed", "The person agreed to social prescribing", x.RecordedBy, Coded(SocialPrescribingCodes.ReferralToSocialPrescribingService));
                break;
            case SocialPrescribingDeclined x:
                Add(x.DeclinedAt, "PersonDeclined", "The person declined social prescribing", x.RecordedBy, Coded(SocialPrescribingCodes.SocialPrescribingDeclined), x.Reason);
                break;
            case ContactRecorded x:
                // Where it happened is the worker's free text (possibly a home address): with the note in the details, not the summary.
                Add(x.OccurredAt, "Contact", Invariant($"{x.Kind}: {x.Outcome}, {x.DurationMinutes} min"), x.RecordedBy,
                    detail: string.IsNullOrWhiteSpace(x.Venue) ? x.Note : string.IsNullOrWhiteSpace(x.Note) ? "At " + x.Venue : $"At {x.Venue}. {x.Note}");
                break;
            case JourneyWentDormant x:
                Add(x.DormantAt, "JourneyDormant", Invariant($"No contact since {x.LastContactAt:yyyy-MM-dd}: the journey is dormant (not closed)"), ReferralDecider.System);
                break;
            case JourneyReactivated x:
                Add(x.ReactivatedAt, "JourneyReactivated", "Contact resumed: the journey is active again", ReferralDecider.System);
                break;
            case HomeVisitCheckedIn x:
                Add(x.CheckedInAt, "HomeVisitCheckedIn", Invariant($"Checked in to a home visit, expected to end {x.ExpectedEnd.ToUniversalTime():HH:mm} UTC"), x.LinkWorkerId);
                break;
            case HomeVisitCheckedOut x:
                Add(x.CheckedOutAt, "HomeVisitCheckedOut", "Checked out of the home visit", null);
                break;
            case LoneWorkingCheckOutOverdue x:
                Add(x.RaisedAt, "LoneWorkingAlert", Invariant($"Home visit not checked out by {x.ExpectedEnd.ToUniversalTime():HH:mm} UTC: team lead alerted"), ReferralDecider.System);
                break;
            case LoneWorkingAlertAcknowledged x:
                Add(x.AcknowledgedAt, "LoneWorkingAlertAcknowledged", "A team lead took charge of the overdue-visit alert", x.AcknowledgedBy);
                break;
            case WhatMattersRecorded x:
                Add(x.RecordedAt, "WhatMatters", "\"What matters to you\" recorded", x.RecordedBy, detail: x.Narrative);
                break;
            case StrengthsRecorded x:
                Add(x.RecordedAt, "Strengths", Invariant($"{x.Strengths?.Count ?? 0} strengths recorded"), x.RecordedBy,
                    detail: x.Strengths is null ? null : string.Join("; ", x.Strengths));
                break;
            case BarriersRecorded x:
                Add(x.RecordedAt, "Barriers", Invariant($"Barriers: {(x.Barriers.Count == 0 ? "none" : List(x.Barriers))}"), x.RecordedBy, detail: x.Note);
                break;
            case NeedIdentified x:
                Add(x.IdentifiedAt, "NeedIdentified", Invariant($"Need identified: {x.Domain} ({x.Priority} priority)"), x.RecordedBy, detail: x.Description);
                break;
            case NeedReprioritised x:
                Add(x.ReprioritisedAt, "NeedReprioritised", Invariant($"Need reprioritised: {x.Priority}"), x.RecordedBy);
                break;
            case NeedResolved x:
                Add(x.ResolvedAt, "NeedResolved", "Need resolved", x.RecordedBy, detail: x.Note);
                break;
            case GoalSet x:
                Add(x.SetAt, "GoalSet", Invariant($"Goal set{(x.TargetDate is { } t ? $", target {t:yyyy-MM-dd}" : string.Empty)}"), x.RecordedBy, detail: x.Description);
                break;
            case MilestoneAdded x:
                Add(x.AddedAt, "MilestoneAdded", "Milestone added", x.RecordedBy, detail: x.Description);
                break;
            case MilestoneReached x:
                Add(x.RecordedAt, "MilestoneReached", Invariant($"Milestone reached on {x.ReachedOn:yyyy-MM-dd}"), x.RecordedBy);
                break;
            case StepAdded x:
                Add(x.AddedAt, "StepAdded", Invariant($"Step added for {x.Owner}"), x.RecordedBy, detail: x.Description);
                break;
            case StepCompleted x:
                Add(x.RecordedAt, "StepCompleted", "Step completed", x.RecordedBy);
                break;
            case GoalProgressRecorded x:
                Add(x.RecordedAt, "GoalProgress", Invariant($"Progress on a goal: {x.Status}"), x.RecordedBy, detail: x.Note);
                break;
            case SupportPlanAgreed x:
                Add(x.RecordedAt, "PlanAgreed", Invariant($"The person agreed their plan on {x.AgreedOn:yyyy-MM-dd}{(x.NextReviewDate is { } d ? $"; review {d:yyyy-MM-dd}" : string.Empty)}"),
                    x.RecordedBy, Coded(null) with { Term = "Support plan summary" });
                break;
            case ReviewHeld x:
                Add(x.RecordedAt, "ReviewHeld", Invariant($"Review held on {x.HeldOn:yyyy-MM-dd}"), x.RecordedBy, detail: x.Summary);
                break;
            case CommunityConnectionMade x:
                Add(x.MadeAt, x.Kind == ConnectionKind.OnwardReferral ? "OnwardReferral" : "Signposting",
                    x.Kind == ConnectionKind.OnwardReferral ? Invariant($"Referred onward to {x.ServiceName} with the person's consent") : Invariant($"Signposted to {x.ServiceName}"),
                    x.RecordedBy, detail: x.SharedInformation);
                break;
            case OnwardReferralAcknowledged x:
                Add(x.AcknowledgedAt, "OnwardReferralAcknowledged", x.Accepted ? "The service accepted the referral" : "The service did not accept the referral", x.RecordedBy, detail: x.Note);
                break;
            case ConnectionOutcomeRecorded x:
                Add(x.RecordedAt, "ConnectionOutcome", Invariant($"Connection outcome: {x.Outcome}"), x.RecordedBy, detail: x.Note);
                break;
            case OutcomeMeasured x:
                Add(x.MeasuredAt, "OutcomeMeasured", MeasureSummary(x), x.RecordedBy, x.Instrument == Instrument.Ons4 ? Coded(null) : Coded(MeasureConcept(x.Instrument)));
                break;
            case ConsentScopeChanged x:
                timeline.Scope = x.Scope;
                Add(x.ChangedAt, "ConsentChanged", x.Withdrawn ? "The person withdrew consent to share with their GP" : Invariant($"Sharing with the GP changed to {x.Scope}"),
                    x.RecordedBy, detail: x.Reason);
                break;
            case SafeguardingConcernRaised x:
                // The indicators are the worker's free text: with the details, not in the summary.
                var indicators = x.Indicators.Count == 0 ? null : "Indicators: " + string.Join(", ", x.Indicators);
                Add(x.RaisedAt, x.Crisis ? "Crisis" : "SafeguardingConcern", x.Crisis ? "Crisis raised" : "Safeguarding concern raised",
                    x.RaisedBy, new GpRecordEntry(null, "Safeguarding concern", GpSharing.Restricted),
                    indicators is null ? x.Details : string.IsNullOrWhiteSpace(x.Details) ? indicators : $"{indicators}. {x.Details}");
                break;
            case SafeguardingConcernConfirmed x:
                Add(x.ReceivedAt, "SafeguardingConcernConfirmed", "Triage confirmed it received the safeguarding concern", "triage");
                break;
            case SafeguardingConcernUnconfirmed x:
                Add(x.FlaggedAt, "SafeguardingConcernUnconfirmed",
                    Invariant($"Triage has not confirmed the safeguarding concern raised at {x.RaisedAt.ToUniversalTime():HH:mm} UTC (check {x.Round}): sent again; make sure the duty team knows"),
                    ReferralDecider.System);
                break;
            case JourneyClosed x:
                // Closed over concerns triage had not confirmed: said in the summary (ids are not personal), the worker's reason with the details.
                var overConcerns = x.ClosedWithUnconfirmedConcerns.Count > 0
                    ? Invariant($"; closed with {x.ClosedWithUnconfirmedConcerns.Count} safeguarding concern(s) not confirmed by triage: {string.Join(", ", x.ClosedWithUnconfirmedConcerns)}")
                    : string.Empty;
                var overFurther = x.ClosedWithUnacknowledgedFurtherReferrals.Count > 0
                    ? Invariant($"; closed with {x.ClosedWithUnacknowledgedFurtherReferrals.Count} further referral(s) not yet read: {string.Join(", ", x.ClosedWithUnacknowledgedFurtherReferrals)}")
                    : string.Empty;
                var closureDetail = string.IsNullOrWhiteSpace(x.ClosedWithUnconfirmedConcernReason) ? x.Note
                    : string.IsNullOrWhiteSpace(x.Note) ? $"Closed with unconfirmed safeguarding concerns because: {x.ClosedWithUnconfirmedConcernReason}"
                    : $"{x.Note}\nClosed with unconfirmed safeguarding concerns because: {x.ClosedWithUnconfirmedConcernReason}";
                Add(x.ClosedAt, "JourneyClosed", Invariant($"Journey closed: {x.Reason}{(x.ClosingMeasuresSkipped.Count > 0 ? "; closing measures skipped: " + List(x.ClosingMeasuresSkipped) : string.Empty)}{overConcerns}{overFurther}"),
                    x.ClosedBy, x.Reason is ClosureReason.Declined ? null : Coded(SocialPrescribingCodes.SocialPrescribingCaseClosed), closureDetail);
                break;
            case GpRecordFilingRecorded x:
                Add(x.FiledAt, "GpRecordFiled", Invariant($"Filed to the GP record at practice {x.PracticeOds}"), "gp-records", new GpRecordEntry(null, null, GpSharing.Filed));
                if (timeline.PersonId == Guid.Empty)
                {
                    timeline.PersonId = x.PersonId;
                }

                break;
        }
    }

    private static SnomedConcept? MeasureConcept(Instrument instrument) => instrument switch
    {
        Instrument.Wemwbs => OutcomeMeasureCodes.WemwbsScore,
        Instrument.Swemwbs => OutcomeMeasureCodes.SwemwbsScore,
        Instrument.Pam => OutcomeMeasureCodes.PatientActivationMeasureLevel,
        _ => null,
    };

    private static string MeasureSummary(OutcomeMeasured x)
    {
        var what = x.Instrument switch
        {
            Instrument.Wemwbs => Invariant($"WEMWBS {x.Point}: {x.Score:0}"),
            Instrument.Swemwbs => Invariant($"SWEMWBS {x.Point}: raw {x.RawScore}, metric {x.Score:0.00}"),
            Instrument.Pam => Invariant($"PAM {x.Point}: score {x.Score:0.0}, level {x.PamLevel}"),
            _ => x.Ons4 is { } o
                ? Invariant($"ONS4 {x.Point}: life satisfaction {o.LifeSatisfaction}, worthwhile {o.Worthwhile}, happy {o.Happy}, anxious {o.Anxious}")
                : Invariant($"ONS4 {x.Point}"),
        };
        return x.ChangeSinceBaseline is { } change
            ? what + Invariant($" (change {change:+0.##;-0.##;0}{(x.MeaningfulChange == true ? ", meaningful" : x.MeaningfulChange == false ? ", not meaningful" : string.Empty)})")
            : what;
    }

    private static string? FurtherReferralDetail(FurtherReferralReceived x)
    {
        var parts = new[] { ("Reason", x.ReasonText), ("What matters", x.WhatMatters), ("Risk notes", x.RiskNotes) }
            .Where(p => !string.IsNullOrWhiteSpace(p.Item2)).Select(p => $"{p.Item1}: {p.Item2}").ToList();
        return parts.Count == 0 ? null : string.Join("\n", parts);
    }

    private static string List<T>(IEnumerable<T> items) => string.Join(", ", items);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
