using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Referrals.Contracts;
using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Connecting;
using Referrals.SupportPlan.Consenting;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Deciding;
using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.LinkingReferrals;
using Referrals.SupportPlan.LoneWorking;
using Referrals.SupportPlan.MeasuringOutcomes;
using Referrals.SupportPlan.Opening;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.People;
using Referrals.SupportPlan.Planning;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Journeys;

/// <summary>Where a journey is.</summary>
public enum JourneyStatus
{
    /// <summary>A triaged referral is recorded; no worker has accepted it yet.</summary>
    AwaitingAcceptance,

    /// <summary>Triage found the referral out of scope; the journey stays on record but is not worked.</summary>
    NotEligible,

    /// <summary>A worker accepted; the person has not yet agreed or declined at first contact.</summary>
    Open,

    /// <summary>The person agreed; the work is under way.</summary>
    Active,

    /// <summary>No contact for the configured number of weeks. Never closed automatically: contact reactivates it.</summary>
    Dormant,

    Closed,
}

/// <summary>
/// A contact as the journey keeps it. Where it happened is free text typed by the worker (possibly a home address), so,
/// like the note, it lives in <see cref="Journey.Texts"/> (<see cref="TextKeys.Venue"/>), not here.
/// </summary>
public sealed record Contact(
    Guid ContactId,
    ContactKind Kind,
    ContactOutcome Outcome,
    int DurationMinutes,
    string RecordedBy,
    DateTimeOffset OccurredAt)
{
    /// <summary>Contact with the person themselves (not an attempt, not work on their behalf): it keeps the journey from going dormant.</summary>
    [JsonIgnore]
    public bool IsWithPerson => Outcome == ContactOutcome.Attended && Kind != ContactKind.IndirectWork;

    [JsonIgnore]
    public bool IsFailedAttempt => Outcome is ContactOutcome.DidNotAttend or ContactOutcome.UnableToContact;
}

public sealed record HomeVisit(
    Guid VisitId,
    string LinkWorkerId,
    DateTimeOffset CheckedInAt,
    DateTimeOffset ExpectedEnd,
    DateTimeOffset? CheckedOutAt = null,
    DateTimeOffset? OverdueAlertRaisedAt = null,
    DateTimeOffset? AlertAcknowledgedAt = null,
    string? AlertAcknowledgedBy = null)
{
    [JsonIgnore]
    public bool IsOpen => CheckedOutAt is null;

    /// <summary>An overdue alert nobody has resolved: the worker has not checked out and no team lead has acknowledged it.</summary>
    [JsonIgnore]
    public bool AlertOutstanding => OverdueAlertRaisedAt is not null && CheckedOutAt is null && AlertAcknowledgedAt is null;
}

public sealed record Need(Guid NeedId, NeedDomain Domain, NeedPriority Priority, DateTimeOffset IdentifiedAt, DateTimeOffset? ResolvedAt = null)
{
    [JsonIgnore]
    public bool IsOpen => ResolvedAt is null;
}

public sealed record Milestone(Guid MilestoneId, DateOnly? TargetDate, DateOnly? ReachedOn = null);

public sealed record PlanStep(Guid StepId, StepOwner Owner, DateOnly? DueDate, DateOnly? CompletedOn = null);

public sealed record ProgressUpdate(Guid UpdateId, GoalStatus Status, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record Goal(
    Guid GoalId,
    DateOnly? TargetDate,
    DateOnly? ReviewDate,
    GoalStatus Status,
    DateTimeOffset SetAt,
    ImmutableList<Milestone> Milestones,
    ImmutableList<PlanStep> Steps,
    ImmutableList<ProgressUpdate> Progress);

public sealed record PlanAgreement(DateOnly AgreedOn, DateOnly? NextReviewDate, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record Review(Guid ReviewId, DateOnly HeldOn, DateOnly? NextReviewDate, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record OnwardReferralAcknowledgement(bool Accepted, DateTimeOffset AcknowledgedAt);

public sealed record Connection(
    Guid ConnectionId,
    Guid? DirectoryEntryId,
    string ServiceName,
    ConnectionKind Kind,
    bool ConsentToShare,
    DateTimeOffset MadeAt,
    OnwardReferralAcknowledgement? Acknowledgement = null,
    ConnectionOutcome? Outcome = null,
    DateTimeOffset? OutcomeRecordedAt = null);

/// <summary>
/// A scored outcome measure. <see cref="Episode"/> is the opening of the journey it was taken in (1, 2, … as
/// <see cref="Journey.Episode"/>): baseline, follow-ups and closing measure are per episode. It is 0 only in a journey document
/// stored before measurements carried it (<see cref="JourneyReads"/> works those out when it reads the journey).
/// </summary>
public sealed record Measurement(
    Guid MeasurementId,
    Instrument Instrument,
    MeasurementPoint Point,
    decimal? Score,
    int? RawScore,
    int? PamLevel,
    Ons4Scores? Ons4,
    decimal? ChangeSinceBaseline,
    bool? MeaningfulChange,
    DateTimeOffset MeasuredAt,
    int Episode);

/// <summary>
/// A concern as the journey keeps it. Its indicators are the worker's free text, so they live in
/// <see cref="Journey.ConcernIndicators"/> (encrypted), not here: read them with <see cref="Journey.IndicatorsOf"/>.
/// </summary>
public sealed record SafeguardingConcern(Guid ConcernId, bool Crisis, string RaisedBy, DateTimeOffset RaisedAt)
{
    /// <summary>The referral the concern was raised under (the journey's current one then), so a re-sent copy names it again.</summary>
    public Guid ReferralId { get; init; }

    /// <summary>
    /// The indicators as journey documents stored before they were personal data hold them (plain); null in any written since.
    /// Read so those concerns keep their indicators until the projection is rebuilt.
    /// </summary>
    public IReadOnlyList<string>? Indicators { get; init; }
}

/// <summary>
/// A referral intake linked to this journey while it was open (another professional referred the person again). The referrer's
/// words live in <see cref="Journey.Texts"/> (<see cref="TextKeys.FurtherReason"/> and its siblings), encrypted.
/// </summary>
public sealed record FurtherReferral(
    Guid ReferralId,
    Referrer Referrer,
    Urgency? Urgency,
    IReadOnlyList<NeedCategory> Needs,
    RiskAnswers? Risk,
    bool CarriedRisk,
    DateTimeOffset LinkedAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? AcknowledgedAt = null,
    string? AcknowledgedBy = null,
    Guid? TriageEscalationId = null)
{
    /// <summary>
    /// What the worker is told: the referrer reported risk (<see cref="CarriedRisk"/>: structured answers, risk notes), or triage
    /// escalated it to the duty chain, which it also does on risk found only in the referrer's words or an urgent request.
    /// </summary>
    public bool ReportsRisk() => CarriedRisk || TriageEscalationId is not null;
}

public sealed record ConsentChange(ConsentScope Scope, bool Withdrawn, string RecordedBy, DateTimeOffset ChangedAt);

/// <summary>
/// One episode of care for one person: the aggregate of a journey stream, and (inline) the journey document the caseload and
/// team-lead views query. Structure and decisions live in plain properties; the person's details and every piece of free text
/// live in a few top-level personal-data properties (<see cref="Person"/>, <see cref="WhatMatters"/>, <see cref="Strengths"/>,
/// <see cref="Texts"/>, <see cref="ConcernIndicators"/>), encrypted under the person's key, so erasing the person leaves the
/// structure and removes the words.
/// </summary>
public sealed record Journey
{
    public Guid Id { get; init; }

    /// <summary>The stream version, stamped by the store (the ETag).</summary>
    public long Version { get; set; }

    public Guid PersonId { get; init; }

    public string ProgrammeId { get; init; } = string.Empty;

    public JourneyStatus Status { get; init; }

    /// <summary>The referral the journey currently works from (the latest, after a reopening).</summary>
    public ReferralFacts Referral { get; init; } = null!;

    public ImmutableList<Guid> ReferralIds { get; init; } = [];

    public ImmutableList<Guid> WithdrawnReferralIds { get; init; } = [];

    public DateTimeOffset RegisteredAt { get; init; }

    /// <summary>How many times the journey has opened (1 at first, +1 at each reopening).</summary>
    public int Episode { get; init; }

    /// <summary>The journey was reopened for a re-referral at least once.</summary>
    public bool Reopened { get; init; }

    /// <summary>
    /// The worker who holds the journey: set by the acceptance that opens an episode and by a reassignment; none while an
    /// episode awaits acceptance (a first registration, or a reopening, which releases the previous episode's worker).
    /// </summary>
    public string? LinkWorkerId { get; init; }

    public Guid? AssignmentId { get; init; }

    public DateTimeOffset? OpenedAt { get; init; }

    /// <summary>When the person agreed to social prescribing (the coded moment, once per journey).</summary>
    public DateTimeOffset? AgreedAt { get; init; }

    public int? AgreedInEpisode { get; init; }

    public DateTimeOffset? DeclinedAt { get; init; }

    /// <summary>The last contact with the person themselves, in any episode; none until there has been one (never the opening).</summary>
    public DateTimeOffset? LastContactAt { get; init; }

    /// <summary>Did-not-attend and unable-to-contact attempts that happened after the last contact with the person (by their dates).</summary>
    public int FailedAttemptsSinceLastContact { get; init; }

    public DateTimeOffset? DormantSince { get; init; }

    /// <summary>When the journey was last reactivated from dormancy, if ever.</summary>
    public DateTimeOffset? ReactivatedAt { get; init; }

    /// <summary>How many times the journey has been reactivated from dormancy: each reactivation arms a new dormancy timer.</summary>
    public int Reactivations { get; init; }

    public ImmutableList<Contact> Contacts { get; init; } = [];

    public ImmutableList<HomeVisit> Visits { get; init; } = [];

    public ImmutableList<Need> Needs { get; init; } = [];

    public ImmutableList<Barrier> Barriers { get; init; } = [];

    public DateTimeOffset? WhatMattersRecordedAt { get; init; }

    public ImmutableList<Goal> Goals { get; init; } = [];

    public PlanAgreement? PlanAgreement { get; init; }

    public ImmutableList<Review> Reviews { get; init; } = [];

    public ImmutableList<Connection> Connections { get; init; } = [];

    public ImmutableList<Measurement> Measurements { get; init; } = [];

    public ConsentScope SharingScope { get; init; }

    public bool ConsentWithdrawn { get; init; }

    public ImmutableList<ConsentChange> ConsentChanges { get; init; } = [];

    public ImmutableList<SafeguardingConcern> Concerns { get; init; } = [];

    /// <summary>Referrals linked to the journey after it was registered, in the order they arrived.</summary>
    public ImmutableList<FurtherReferral> FurtherReferrals { get; init; } = [];

    public DateTimeOffset? ClosedAt { get; init; }

    public ClosureReason? ClosureReason { get; init; }

    [PersonalData]
    public PersonDetails? Person { get; init; }

    /// <summary>The source (intake's stream and version) of the last rectification of <see cref="Person"/> applied, if any.</summary>
    public EventSource? DetailsSource { get; init; }

    /// <summary>When intake made the last rectification of <see cref="Person"/> applied, if any.</summary>
    public DateTimeOffset? DetailsRectifiedAt { get; init; }

    /// <summary>What matters, in the referrer's words at referral.</summary>
    [PersonalData]
    public string? ReferralWhatMatters { get; init; }

    /// <summary>"What matters to you?", in the person's own words, from the assessment.</summary>
    [PersonalData]
    public string? WhatMatters { get; init; }

    [PersonalData]
    public ImmutableList<string>? Strengths { get; init; }

    /// <summary>Every other piece of free text (goal wording, notes, details), keyed by <see cref="TextKeys"/>.</summary>
    [PersonalData]
    public ImmutableDictionary<string, string>? Texts { get; init; }

    /// <summary>Each safeguarding concern's indicators (the worker's words), by concern id.</summary>
    [PersonalData]
    public ImmutableDictionary<Guid, ImmutableList<string>>? ConcernIndicators { get; init; }

    // ------------------------------------------------------------------ derived

    [JsonIgnore]
    public bool IsClosed => Status == JourneyStatus.Closed;

    /// <summary>The rule for 871731000000106: the agreement is recorded once per journey (one episode of care), never again after a reopening.</summary>
    [JsonIgnore]
    public bool AgreementDue => AgreedAt is null && Status == JourneyStatus.Open;

    /// <summary>
    /// Dormancy counts from the last contact with the person or the last reactivation, whichever is later: a journey reactivated
    /// by a contact recorded late (dated before the last contact, or long ago) gets the configured weeks again from the reactivation.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? DormancyCountsFrom => Later(NoContactSince, ReactivatedAt);

    /// <summary>
    /// Since when this episode has gone without contact with the person: the last contact, or the episode's opening when that is
    /// later (none yet, or only in an earlier episode). Dormancy and failed attempts count from here; the dormancy timer carries it.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? NoContactSince => Later(LastContactAt, OpenedAt);

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null || b > a ? b : a;

    [JsonIgnore]
    public HomeVisit? OpenVisit => Visits.Find(v => v.IsOpen);

    public string? TextOf(string key) => Texts?.GetValueOrDefault(key);

    /// <summary>A concern's indicators: empty once the person is erased (or plain, from a document stored before they were encrypted).</summary>
    public IReadOnlyList<string> IndicatorsOf(SafeguardingConcern concern) =>
        ConcernIndicators?.GetValueOrDefault(concern.ConcernId) ?? concern.Indicators ?? [];

    /// <summary>
    /// The measurements taken in the current episode. A re-referral that reopens the journey starts a new period of support,
    /// measured from a new baseline to a new closing measure; the earlier episodes' measurements stay in <see cref="Measurements"/>.
    /// </summary>
    [JsonIgnore]
    public IEnumerable<Measurement> EpisodeMeasurements => Measurements.Where(m => m.Episode == Episode);

    /// <summary>The instrument's baseline in the current episode.</summary>
    public Measurement? BaselineOf(Instrument instrument) =>
        EpisodeMeasurements.FirstOrDefault(m => m.Instrument == instrument && m.Point == MeasurementPoint.Baseline);

    /// <summary>The instrument's closing measure in the current episode.</summary>
    public Measurement? ClosingMeasureOf(Instrument instrument) =>
        EpisodeMeasurements.FirstOrDefault(m => m.Instrument == instrument && m.Point == MeasurementPoint.Closing);

    /// <summary>The instruments with a baseline but no closing measurement in the current episode: the closing prompt.</summary>
    [JsonIgnore]
    public IReadOnlyList<Instrument> ClosingMeasuresDue =>
        EpisodeMeasurements.Where(m => m.Point == MeasurementPoint.Baseline).Select(m => m.Instrument).Distinct()
            .Where(i => ClosingMeasureOf(i) is null)
            .Order().ToList();

    /// <summary>The next review date: the latest review's, else the plan agreement's.</summary>
    [JsonIgnore]
    public DateOnly? NextReviewDate => Reviews.Count > 0 ? Reviews[^1].NextReviewDate : PlanAgreement?.NextReviewDate;

    // ------------------------------------------------------------------ registering and opening

    public static Journey Create(JourneyRegistered e) => new Journey
    {
        Id = e.JourneyId,
        PersonId = e.PersonId,
        ProgrammeId = e.ProgrammeId,
        SharingScope = e.Referral.SharingScope,
    }.Apply(e);

    public Journey Apply(JourneyRegistered e) => this with
    {
        Status = e.Referral.Eligible ? JourneyStatus.AwaitingAcceptance : JourneyStatus.NotEligible,
        Referral = e.Referral,
        ReferralIds = ReferralIds.Contains(e.Referral.ReferralId) ? ReferralIds : ReferralIds.Add(e.Referral.ReferralId),
        RegisteredAt = e.RegisteredAt,
        Reopened = Reopened || e.Reopened,
        Person = e.Person ?? Person,
        ReferralWhatMatters = e.WhatMatters,
        DormantSince = null,

        // The person's latest word on sharing wins, by time: the consent given with the (re-)referral, unless the person changed
        // or withdrew consent on this journey after that referral was submitted (a change on the closed journey while the
        // re-referral waited for triage).
        SharingScope = ConsentChangedSince(e.Referral.SubmittedAt) ? SharingScope : e.Referral.SharingScope,
        ConsentWithdrawn = ConsentChangedSince(e.Referral.SubmittedAt) && ConsentWithdrawn,

        // A reopened journey is no longer closed; its earlier closure stays in the stream and on the timeline.
        ClosedAt = null,
        ClosureReason = null,

        // The re-referral is a new episode nobody has been offered yet: no worker holds it until one accepts it (JourneyOpened,
        // the previous worker too). Kept, it sat on the previous worker's caseload, open to them, and off the team lead's
        // lists of journeys with no worker (HAZ-001, HAZ-019). A first registration has no worker anyway.
        LinkWorkerId = null,
        AssignmentId = null,
    };

    public Journey Apply(ReferralRetriaged e) => this with
    {
        Referral = Referral with
        {
            Eligible = e.Eligible,
            TriageReasons = e.Reasons,
            ComplexityScore = e.ComplexityScore,
            RequiredTier = e.RequiredTier,
            Priority = e.Priority,
            Escalated = e.Escalated,
            TriagedAt = e.TriagedAt,
        },
        Status = Status is JourneyStatus.AwaitingAcceptance or JourneyStatus.NotEligible
            ? e.Eligible ? JourneyStatus.AwaitingAcceptance : JourneyStatus.NotEligible
            : Status,
    };

    public Journey Apply(ReferralTriageOverridden e) => this with
    {
        Referral = Referral with { RequiredTier = e.RequiredTier, Priority = e.Priority },
    };

    public Journey Apply(ReferralEscalatedForRisk e) => this with
    {
        Referral = Referral with { RequiredTier = e.RequiredTier, Priority = e.Priority, Escalated = true },
    };

    public Journey Apply(JourneyOpened e) => this with
    {
        Status = AgreedAt is null ? JourneyStatus.Open : JourneyStatus.Active,
        Episode = e.Episode,
        LinkWorkerId = e.LinkWorkerId,
        AssignmentId = e.AssignmentId,
        OpenedAt = e.OpenedAt,
        FailedAttemptsSinceLastContact = 0,
        ClosedAt = null,
        ClosureReason = null,
    };

    public Journey Apply(LinkWorkerChanged e) => this with { LinkWorkerId = e.LinkWorkerId, AssignmentId = e.AssignmentId };

    public Journey Apply(ReferralWithdrawalNoted e) => this with
    {
        WithdrawnReferralIds = WithdrawnReferralIds.Add(e.ReferralId),
        Texts = WithText(TextKeys.Withdrawal(e.ReferralId), e.Reason),
    };

    public Journey Apply(PersonDetailsUpdated e) => this with
    {
        Person = e.Person,
        DetailsSource = e.Source ?? DetailsSource,
        DetailsRectifiedAt = e.RectifiedAt ?? DetailsRectifiedAt,
    };

    // ------------------------------------------------------------------ first contact

    public Journey Apply(PersonAgreedToSocialPrescribing e) => this with
    {
        Status = Status == JourneyStatus.Open ? JourneyStatus.Active : Status,
        AgreedAt = e.AgreedAt,
        AgreedInEpisode = e.Episode,
    };

    public Journey Apply(SocialPrescribingDeclined e) => this with
    {
        DeclinedAt = e.DeclinedAt,
        Texts = WithText(TextKeys.Decline, e.Reason),
    };

    // ------------------------------------------------------------------ contacts, dormancy, lone working

    public Journey Apply(ContactRecorded e)
    {
        var contact = new Contact(e.ContactId, e.Kind, e.Outcome, e.DurationMinutes, e.RecordedBy, e.OccurredAt);
        var withVenue = this with { Texts = WithText(TextKeys.Venue(e.ContactId), e.Venue) };
        var contacts = Contacts.Add(contact);
        var last = contact.IsWithPerson && (LastContactAt is null || e.OccurredAt > LastContactAt) ? e.OccurredAt : LastContactAt;
        var countsFrom = Later(last, OpenedAt);
        return withVenue with
        {
            Contacts = contacts,
            LastContactAt = last,

            // By when they happened, not when they were recorded: an attempt dated before the last contact (or the episode's
            // opening) does not count, and a contact recorded late with an older date does not wipe out the attempts made since.
            FailedAttemptsSinceLastContact = contacts.Count(c => c.IsFailedAttempt && (countsFrom is null || c.OccurredAt > countsFrom)),
            Texts = withVenue.WithText(TextKeys.Of(e.ContactId), e.Note),
        };
    }

    public Journey Apply(JourneyWentDormant e) => this with { Status = JourneyStatus.Dormant, DormantSince = e.DormantAt };

    public Journey Apply(JourneyReactivated e) => this with
    {
        Status = AgreedAt is null ? JourneyStatus.Open : JourneyStatus.Active,
        DormantSince = null,
        ReactivatedAt = e.ReactivatedAt,
        Reactivations = Reactivations + 1,
    };

    public Journey Apply(HomeVisitCheckedIn e) =>
        this with { Visits = Visits.Add(new HomeVisit(e.VisitId, e.LinkWorkerId, e.CheckedInAt, e.ExpectedEnd)) };

    public Journey Apply(HomeVisitCheckedOut e) => WithVisit(e.VisitId, v => v with { CheckedOutAt = e.CheckedOutAt });

    public Journey Apply(LoneWorkingCheckOutOverdue e) => WithVisit(e.VisitId, v => v with { OverdueAlertRaisedAt = e.RaisedAt });

    public Journey Apply(LoneWorkingAlertAcknowledged e) =>
        WithVisit(e.VisitId, v => v with { AlertAcknowledgedAt = e.AcknowledgedAt, AlertAcknowledgedBy = e.AcknowledgedBy });

    // ------------------------------------------------------------------ assessment

    public Journey Apply(WhatMattersRecorded e) => this with { WhatMatters = e.Narrative, WhatMattersRecordedAt = e.RecordedAt };

    public Journey Apply(StrengthsRecorded e) => this with { Strengths = e.Strengths?.ToImmutableList() };

    public Journey Apply(BarriersRecorded e) => this with { Barriers = [.. e.Barriers], Texts = WithText(TextKeys.Barriers, e.Note) };

    public Journey Apply(NeedIdentified e) => this with
    {
        Needs = Needs.Add(new Need(e.NeedId, e.Domain, e.Priority, e.IdentifiedAt)),
        Texts = WithText(TextKeys.Of(e.NeedId), e.Description),
    };

    public Journey Apply(NeedReprioritised e) => WithNeed(e.NeedId, n => n with { Priority = e.Priority });

    public Journey Apply(NeedResolved e) =>
        WithNeed(e.NeedId, n => n with { ResolvedAt = e.ResolvedAt }) with { Texts = WithText(TextKeys.Resolution(e.NeedId), e.Note) };

    // ------------------------------------------------------------------ plan

    public Journey Apply(GoalSet e) => this with
    {
        Goals = Goals.Add(new Goal(e.GoalId, e.TargetDate, e.ReviewDate, GoalStatus.NotStarted, e.SetAt, [], [], [])),
        Texts = WithText(TextKeys.Of(e.GoalId), e.Description),
    };

    public Journey Apply(MilestoneAdded e) =>
        WithGoal(e.GoalId, g => g with { Milestones = g.Milestones.Add(new Milestone(e.MilestoneId, e.TargetDate)) })
            with { Texts = WithText(TextKeys.Of(e.MilestoneId), e.Description) };

    public Journey Apply(MilestoneReached e) => WithGoal(e.GoalId, g => g with
    {
        Milestones = g.Milestones.Replace(g.Milestones.Single(m => m.MilestoneId == e.MilestoneId),
            g.Milestones.Single(m => m.MilestoneId == e.MilestoneId) with { ReachedOn = e.ReachedOn }),
    });

    public Journey Apply(StepAdded e) =>
        WithGoal(e.GoalId, g => g with { Steps = g.Steps.Add(new PlanStep(e.StepId, e.Owner, e.DueDate)) })
            with { Texts = WithText(TextKeys.Of(e.StepId), e.Description) };

    public Journey Apply(StepCompleted e) => WithGoal(e.GoalId, g => g with
    {
        Steps = g.Steps.Replace(g.Steps.Single(s => s.StepId == e.StepId), g.Steps.Single(s => s.StepId == e.StepId) with { CompletedOn = e.CompletedOn }),
    });

    public Journey Apply(GoalProgressRecorded e) =>
        WithGoal(e.GoalId, g => g with { Status = e.Status, Progress = g.Progress.Add(new ProgressUpdate(e.UpdateId, e.Status, e.RecordedBy, e.RecordedAt)) })
            with { Texts = WithText(TextKeys.Of(e.UpdateId), e.Note) };

    public Journey Apply(SupportPlanAgreed e) => this with { PlanAgreement = new PlanAgreement(e.AgreedOn, e.NextReviewDate, e.RecordedBy, e.RecordedAt) };

    public Journey Apply(ReviewHeld e) => this with
    {
        Reviews = Reviews.Add(new Review(e.ReviewId, e.HeldOn, e.NextReviewDate, e.RecordedBy, e.RecordedAt)),
        Texts = WithText(TextKeys.Of(e.ReviewId), e.Summary),
    };

    // ------------------------------------------------------------------ connections

    public Journey Apply(CommunityConnectionMade e) => this with
    {
        Connections = Connections.Add(new Connection(e.ConnectionId, e.DirectoryEntryId, e.ServiceName, e.Kind, e.ConsentToShare, e.MadeAt)),
        Texts = WithText(TextKeys.Shared(e.ConnectionId), e.SharedInformation),
    };

    public Journey Apply(OnwardReferralAcknowledged e) =>
        WithConnection(e.ConnectionId, c => c with { Acknowledgement = new OnwardReferralAcknowledgement(e.Accepted, e.AcknowledgedAt) })
            with { Texts = WithText(TextKeys.Acknowledgement(e.ConnectionId), e.Note) };

    public Journey Apply(ConnectionOutcomeRecorded e) =>
        WithConnection(e.ConnectionId, c => c with { Outcome = e.Outcome, OutcomeRecordedAt = e.RecordedAt })
            with { Texts = WithText(TextKeys.Outcome(e.ConnectionId), e.Note) };

    // ------------------------------------------------------------------ measures, consent, safeguarding, closure

    /// <summary>
    /// A measure belongs to the episode it was recorded in: the event does not name it, as the journey's stream puts every
    /// measurement after its episode's opening (measures need the journey active or dormant).
    /// </summary>
    public Journey Apply(OutcomeMeasured e) => this with
    {
        Measurements = Measurements.Add(new Measurement(e.MeasurementId, e.Instrument, e.Point, e.Score, e.RawScore, e.PamLevel, e.Ons4,
            e.ChangeSinceBaseline, e.MeaningfulChange, e.MeasuredAt, Episode)),
    };

    public Journey Apply(ConsentScopeChanged e) => this with
    {
        SharingScope = e.Scope,
        ConsentWithdrawn = e.Withdrawn,
        ConsentChanges = ConsentChanges.Add(new ConsentChange(e.Scope, e.Withdrawn, e.RecordedBy, e.ChangedAt)),
    };

    public Journey Apply(SafeguardingConcernRaised e) => this with
    {
        Concerns = Concerns.Add(new SafeguardingConcern(e.ConcernId, e.Crisis, e.RaisedBy, e.RaisedAt) { ReferralId = Referral.ReferralId }),
        ConcernIndicators = e.Indicators.Count == 0
            ? ConcernIndicators
            : (ConcernIndicators ?? ImmutableDictionary<Guid, ImmutableList<string>>.Empty).SetItem(e.ConcernId, [.. e.Indicators]),
        Texts = WithText(TextKeys.Of(e.ConcernId), e.Details),
    };

    public Journey Apply(JourneyClosed e) => this with
    {
        Status = JourneyStatus.Closed,
        ClosedAt = e.ClosedAt,
        ClosureReason = e.Reason,
        DormantSince = null,
        Texts = WithText(TextKeys.Closure, e.Note),
    };

    // ------------------------------------------------------------------ further referrals

    public Journey Apply(FurtherReferralReceived e)
    {
        var withReason = this with { Texts = WithText(TextKeys.FurtherReason(e.ReferralId), e.ReasonText) };
        var withMatters = withReason with { Texts = withReason.WithText(TextKeys.FurtherWhatMatters(e.ReferralId), e.WhatMatters) };
        return withMatters with
        {
            FurtherReferrals = FurtherReferrals.Add(new FurtherReferral(e.ReferralId, e.Referrer, e.Urgency, e.Needs, e.Risk, e.CarriedRisk, e.LinkedAt,
                e.ReceivedAt)),
            Texts = withMatters.WithText(TextKeys.FurtherRiskNotes(e.ReferralId), e.RiskNotes),
        };
    }

    public Journey Apply(FurtherReferralAcknowledged e) =>
        FurtherReferrals.Find(f => f.ReferralId == e.ReferralId) is { } further
            ? this with { FurtherReferrals = FurtherReferrals.Replace(further, further with { AcknowledgedAt = e.AcknowledgedAt, AcknowledgedBy = e.AcknowledgedBy }) }
            : this;

    public Journey Apply(FurtherReferralEscalatedByTriage e) =>
        FurtherReferrals.Find(f => f.ReferralId == e.ReferralId) is { } further
            ? this with { FurtherReferrals = FurtherReferrals.Replace(further, further with { TriageEscalationId = e.EscalationId }) }
            : this;

    // ------------------------------------------------------------------ helpers

    /// <summary>The person's current consent (the last change recorded on the journey) was given after the time.</summary>
    private bool ConsentChangedSince(DateTimeOffset at) => ConsentChanges.Count > 0 && ConsentChanges[^1].ChangedAt > at;

    private ImmutableDictionary<string, string>? WithText(string key, string? text) =>
        string.IsNullOrWhiteSpace(text) ? Texts : (Texts ?? ImmutableDictionary<string, string>.Empty).SetItem(key, text);

    private Journey WithVisit(Guid id, Func<HomeVisit, HomeVisit> change) =>
        Visits.Find(v => v.VisitId == id) is { } visit ? this with { Visits = Visits.Replace(visit, change(visit)) } : this;

    private Journey WithNeed(Guid id, Func<Need, Need> change) =>
        Needs.Find(n => n.NeedId == id) is { } need ? this with { Needs = Needs.Replace(need, change(need)) } : this;

    private Journey WithGoal(Guid id, Func<Goal, Goal> change) =>
        Goals.Find(g => g.GoalId == id) is { } goal ? this with { Goals = Goals.Replace(goal, change(goal)) } : this;

    private Journey WithConnection(Guid id, Func<Connection, Connection> change) =>
        Connections.Find(c => c.ConnectionId == id) is { } connection ? this with { Connections = Connections.Replace(connection, change(connection)) } : this;
}

/// <summary>Keys of <see cref="Journey.Texts"/>.</summary>
public static class TextKeys
{
    public const string Decline = "decline";
    public const string Barriers = "barriers";
    public const string Closure = "closure";

    public static string Of(Guid id) => id.ToString("N");

    public static string Resolution(Guid needId) => "resolution:" + Of(needId);

    public static string Shared(Guid connectionId) => "shared:" + Of(connectionId);

    public static string Acknowledgement(Guid connectionId) => "acknowledgement:" + Of(connectionId);

    public static string Outcome(Guid connectionId) => "outcome:" + Of(connectionId);

    public static string Withdrawal(Guid referralId) => "withdrawal:" + Of(referralId);

    public static string Venue(Guid contactId) => "venue:" + Of(contactId);

    public static string FurtherReason(Guid referralId) => "further-reason:" + Of(referralId);

    public static string FurtherWhatMatters(Guid referralId) => "further-what-matters:" + Of(referralId);

    public static string FurtherRiskNotes(Guid referralId) => "further-risk-notes:" + Of(referralId);
}
