namespace Referrals.Contracts.SupportPlan;

/// <summary>
/// Support-plan recorded a triaged referral against the person's journey; the journey awaits a worker's acceptance.
/// GP-records raises the referral (ServiceRequest and Task) for the registered practice from this.
/// </summary>
public sealed record JourneyRegistered(
    Guid JourneyId,
    Guid PersonId,
    Guid ReferralId,
    string ProgrammeId,
    string RegisteredPracticeOds,
    Referrer Referrer,
    IReadOnlyList<NeedCategory> Needs,
    Tier RequiredTier,
    Priority Priority,
    bool Eligible,
    bool Escalated,
    ConsentScope SharingScope,
    DateTimeOffset RegisteredAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }

    /// <summary>True when a re-referral within the window reopened a closed journey: <see cref="JourneyId"/> is that journey's id.</summary>
    public bool Reopened { get; init; }
}

/// <summary>
/// Triage decided the journey's current referral again after it was registered (a team lead's override): whether it is
/// eligible now, and the tier and priority that follow. Also sent when a team lead's override changes only the tier or
/// priority (triage does not decide again for that): then the journey's eligibility and escalation, the override's tier and
/// priority, and the override's time as <see cref="TriagedAt"/>. <see cref="Source"/> is the journey's stream, so the latest
/// version is the journey's referral as it now stands. GP-records follows it, so the practice's record shows a referral
/// ruled out of scope as not going ahead, one brought back into scope as requested again, and the priority now given.
/// Triage's reasons are not carried: the referrer has them from triage, and they may quote the person's postcode district.
/// </summary>
public sealed record ReferralRetriaged(
    Guid JourneyId,
    Guid PersonId,
    Guid ReferralId,
    string ProgrammeId,
    bool Eligible,
    Tier RequiredTier,
    Priority Priority,
    bool Escalated,
    DateTimeOffset TriagedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>The journey (one episode of care) opened, or reopened for a re-referral within the window.</summary>
public sealed record JourneyOpened(
    Guid JourneyId,
    Guid PersonId,
    Guid ReferralId,
    string ProgrammeId,
    string LinkWorkerId,
    bool Reopened,
    int Episode,
    DateTimeOffset OpenedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>At first contact the person agreed: the coded moment for 871731000000106, once per episode.</summary>
public sealed record PersonAgreedToSocialPrescribing(
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    int Episode,
    string LinkWorkerId,
    DateTimeOffset AgreedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>At first contact the person declined (coded 871711000000103); the journey closes.</summary>
public sealed record SocialPrescribingDeclined(
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    [property: PersonalData] string? Reason,
    DateTimeOffset DeclinedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

public enum ContactKind
{
    Phone,
    Video,
    FaceToFacePractice,
    FaceToFaceCommunity,
    HomeVisit,
    GroupSession,
    SupportedVisit,
    IndirectWork,
}

public enum ContactOutcome
{
    Attended,
    DidNotAttend,
    UnableToContact,
}

public sealed record ContactRecorded(
    Guid JourneyId,
    Guid PersonId,
    Guid ContactId,
    ContactKind Kind,
    ContactOutcome Outcome,
    int DurationMinutes,
    string LinkWorkerId,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

public sealed record JourneyWentDormant(Guid JourneyId, Guid PersonId, DateTimeOffset LastContactAt, DateTimeOffset DormantAt)
    : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

public sealed record JourneyReactivated(Guid JourneyId, Guid PersonId, DateTimeOffset ReactivatedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>The "what matters to you" conversation and the needs found, as they stand.</summary>
public sealed record WhatMattersRecorded(
    Guid JourneyId,
    Guid PersonId,
    [property: PersonalData] string? WhatMatters,
    IReadOnlyList<NeedCategory> Needs,
    DateTimeOffset RecordedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

public sealed record GoalSummary(Guid GoalId, string Description, DateOnly? TargetDate, string Status);

/// <summary>The person agreed their plan; goals are in their own words.</summary>
public sealed record SupportPlanAgreed(
    Guid JourneyId,
    Guid PersonId,
    [property: PersonalData] IReadOnlyList<GoalSummary>? Goals,
    DateOnly? ReviewDate,
    DateTimeOffset AgreedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

public enum ConnectionKind
{
    Signposting,
    OnwardReferral,
}

public enum ConnectionOutcome
{
    Attended,
    DidNotAttend,
    Declined,
    ServiceFull,
}

public sealed record CommunityConnectionMade(
    Guid JourneyId,
    Guid PersonId,
    Guid ConnectionId,
    string ServiceName,
    ConnectionKind Kind,
    ConnectionOutcome? Outcome,
    DateTimeOffset MadeAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

public enum Instrument
{
    Wemwbs,
    Swemwbs,
    Ons4,
    Pam,
}

public enum MeasurementPoint
{
    Baseline,
    FollowUp,
    Closing,
}

/// <summary>ONS4 items are reported separately, each 0-10; for anxiety, higher is worse.</summary>
public sealed record Ons4Scores(int LifeSatisfaction, int Worthwhile, int Happy, int Anxious);

/// <summary>
/// A scored outcome measure. WEMWBS: total 14-70. SWEMWBS: raw 7-35 and the Rasch metric score. PAM: licensed 0-100 score and
/// level 1-4. ONS4: four separate items. Change and meaningful change are against the baseline of the same instrument in the
/// same episode.
/// </summary>
public sealed record OutcomeMeasured(
    Guid JourneyId,
    Guid PersonId,
    Guid MeasurementId,
    Instrument Instrument,
    MeasurementPoint Point,
    decimal? Score,
    int? RawScore,
    int? PamLevel,
    Ons4Scores? Ons4,
    decimal? ChangeSinceBaseline,
    bool? MeaningfulChange,
    DateTimeOffset MeasuredAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }

    /// <summary>
    /// The opening of the journey the measure was taken in (<see cref="JourneyOpened.Episode"/>); a reopened journey is measured
    /// afresh. Null in a message sent before it was added.
    /// </summary>
    public int? Episode { get; init; }
}

/// <summary>The person changed how much may be shared with the GP, or withdrew consent. GP-records applies it before its next send.</summary>
public sealed record ConsentScopeChanged(
    Guid JourneyId,
    Guid PersonId,
    ConsentScope Scope,
    bool Withdrawn,
    [property: PersonalData] string? Reason,
    DateTimeOffset ChangedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>
/// A worker raised a safeguarding concern or crisis during the journey. It escalates as in triage and is restricted in the GP record.
/// <see cref="Indicators"/>, like <see cref="Details"/>, are personal data: the worker's free text, which may describe the person.
/// After erasure they read as empty.
/// </summary>
public sealed record SafeguardingConcernRaised(
    Guid ConcernId,
    Guid JourneyId,
    Guid PersonId,
    Guid ReferralId,
    string ProgrammeId,
    bool Crisis,
    IReadOnlyList<string>? Indicators,
    [property: PersonalData] string? Details,
    string RaisedBy,
    DateTimeOffset RaisedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }

    [PersonalData]
    public IReadOnlyList<string> Indicators { get; init; } = Indicators ?? [];
}

/// <summary>A home visit was not checked out by its expected end; the team lead must act.</summary>
public sealed record LoneWorkingCheckOutOverdue(
    Guid VisitId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    string LinkWorkerId,
    DateTimeOffset ExpectedEnd,
    DateTimeOffset RaisedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

public enum ClosureReason
{
    GoalsMet,
    PersonChoseToEnd,
    MovedAway,
    ReferredToAnotherService,
    UnableToContact,
    Deceased,
    Declined,
    Withdrawn,
}

public sealed record ConnectionSummary(string ServiceName, ConnectionKind Kind, ConnectionOutcome? Outcome);

public sealed record OutcomeChange(Instrument Instrument, decimal? Baseline, decimal? Latest, decimal? Change, bool? MeaningfulChange)
{
    /// <summary>For ONS4, whose items are reported separately: which item (LifeSatisfaction, Worthwhile, Happy, Anxious).</summary>
    public string? Item { get; init; }
}

/// <summary>The closing summary for the GP and referrer.</summary>
public sealed record ClosingSummary(
    string? WhatMatters,
    IReadOnlyList<GoalSummary> Goals,
    IReadOnlyList<ConnectionSummary> Connections,
    IReadOnlyList<OutcomeChange> OutcomeChanges);

public sealed record JourneyClosed(
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    ClosureReason Reason,
    [property: PersonalData] ClosingSummary? Summary,
    DateTimeOffset ClosedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }

    /// <summary>
    /// The person's sharing consent when the journey closed (None once withdrawn), which may be narrower than at referral.
    /// Absent from journeys closed before this was added.
    /// </summary>
    public ConsentScope? SharingScope { get; init; }
}
