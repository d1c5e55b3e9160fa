using System.Text.Json;

namespace Referrals.WebApp.Api;

/// <summary>Support-plan's HTTP API (services/SupportPlan/README.md), called as the signed-in user.</summary>
public sealed class SupportPlanClient(HttpClient http) : ApiClient(http)
{
    public Task<ApiResult<Journey>> JourneyAsync(Guid journeyId, CancellationToken ct = default) =>
        SendAsync<Journey>(HttpMethod.Get, $"/journeys/{journeyId}", ct: ct);

    public Task<Timeline> TimelineAsync(Guid journeyId, CancellationToken ct = default) => GetRequiredAsync<Timeline>($"/journeys/{journeyId}/timeline", ct);

    public Task<IReadOnlyList<InstrumentProgress>> OutcomesAsync(Guid journeyId, CancellationToken ct = default) =>
        GetRequiredAsync<IReadOnlyList<InstrumentProgress>>($"/journeys/{journeyId}/outcome-measures", ct);

    public Task<IReadOnlyList<Suggestion>> SuggestionsAsync(Guid journeyId, CancellationToken ct = default) =>
        GetRequiredAsync<IReadOnlyList<Suggestion>>($"/journeys/{journeyId}/suggestions", ct);

    public Task<IReadOnlyList<DirectoryEntry>> DirectoryAsync(string programmeId, string? category, string? area, CancellationToken ct = default)
    {
        var query = $"/directory?programme={Uri.EscapeDataString(programmeId)}";
        if (!string.IsNullOrWhiteSpace(category))
        {
            query += "&category=" + Uri.EscapeDataString(category);
        }

        if (!string.IsNullOrWhiteSpace(area))
        {
            query += "&area=" + Uri.EscapeDataString(area.Trim().ToUpperInvariant());
        }

        return GetRequiredAsync<IReadOnlyList<DirectoryEntry>>(query, ct);
    }

    public Task<ClosurePrompt> ClosurePromptAsync(Guid journeyId, CancellationToken ct = default) =>
        GetRequiredAsync<ClosurePrompt>($"/journeys/{journeyId}/closure-prompt", ct);

    public Task<IReadOnlyList<JourneySummary>> CaseloadAsync(bool includeClosed, CancellationToken ct = default) =>
        GetRequiredAsync<IReadOnlyList<JourneySummary>>($"/caseload?includeClosed={(includeClosed ? "true" : "false")}", ct);

    /// <summary>
    /// A worker's caseload as a team lead sees it (<c>GET /link-workers/{id}/caseload</c>): the worker's journeys in the team lead's
    /// programmes only, in the order and with the line of the worker's own caseload; empty for a worker with none there.
    /// </summary>
    public Task<IReadOnlyList<JourneySummary>> WorkerCaseloadAsync(string linkWorkerId, bool includeClosed, CancellationToken ct = default) =>
        GetRequiredAsync<IReadOnlyList<JourneySummary>>(
            $"/link-workers/{Uri.EscapeDataString(linkWorkerId)}/caseload?includeClosed={(includeClosed ? "true" : "false")}", ct);

    /// <summary>
    /// The journey support-plan recorded a referral against (new, or a closed one the referral reopened), from its referral → journey
    /// map: 404 until support-plan has registered the referral; 403 for a journey the caller may not read.
    /// </summary>
    public Task<ApiResult<ReferralJourney>> JourneyOfReferralAsync(Guid referralId, CancellationToken ct = default) =>
        SendAsync<ReferralJourney>(HttpMethod.Get, $"/referrals/{referralId}/journey", ct: ct);

    /// <summary>The signed-in worker's own home visits still checked in, on any journey, whoever holds it now.</summary>
    public Task<ApiResult<IReadOnlyList<MyOpenVisit>>> MyOpenVisitsAsync(CancellationToken ct = default) =>
        SendAsync<IReadOnlyList<MyOpenVisit>>(HttpMethod.Get, "/journeys/home-visits/mine", ct: ct);

    /// <summary>
    /// A page of the team lead's journeys of a programme that have a safeguarding concern; with <paramref name="unconfirmedConcern"/>,
    /// only those that have (true) or have not (false) a concern triage has not confirmed.
    /// </summary>
    public Task<JourneyPage> SafeguardingJourneysAsync(string programmeId, bool? unconfirmedConcern, int page, int pageSize, CancellationToken ct = default)
    {
        var filter = unconfirmedConcern is { } u ? $"&unconfirmedConcern={(u ? "true" : "false")}" : string.Empty;
        return GetRequiredAsync<JourneyPage>(FormattableString.Invariant(
            $"/journeys?programme={Uri.EscapeDataString(programmeId)}&safeguarding=true{filter}&page={page}&pageSize={pageSize}"), ct);
    }

    /// <summary>
    /// A page of the team lead's journeys, in every programme they lead, with a further referral nobody has read, closed ones
    /// included (HAZ-001 C11): one closed before any worker took it on is on nobody's caseload. With <paramref name="unassigned"/>,
    /// only those with no worker (true) or with one (false).
    /// </summary>
    public Task<JourneyPage> UnreadFurtherReferralJourneysAsync(bool? unassigned, int page, int pageSize, CancellationToken ct = default) =>
        GetRequiredAsync<JourneyPage>(UnreadFurtherReferralPath(unassigned, page, pageSize), ct);

    private static string UnreadFurtherReferralPath(bool? unassigned, int page, int pageSize) =>
        FormattableString.Invariant($"/journeys?unreadFurtherReferral=true{(unassigned is { } u ? u ? "&unassigned=true" : "&unassigned=false" : "")}&page={page}&pageSize={pageSize}");

    public Task<IReadOnlyList<OverdueVisit>> OverdueVisitsAsync(CancellationToken ct = default) =>
        GetRequiredAsync<IReadOnlyList<OverdueVisit>>("/lone-working/overdue", ct);

    /// <summary>Any change of a journey: POST/PUT to <c>/journeys/{id}/{path}</c> with If-Match (the version the user saw).</summary>
    public Task<ApiResult<JsonElement>> ChangeAsync(Guid journeyId, string path, object? body, long? version, HttpMethod? method = null,
        CancellationToken ct = default) =>
        SendAsync<JsonElement>(method ?? HttpMethod.Post, $"/journeys/{journeyId}/{path}", body, version, ct);
}

public sealed record PersonDetails(string? NhsNumber, string? GivenName, string? FamilyName, DateOnly? DateOfBirth, string? Postcode, string? Phone,
    string? Email, string? PreferredContactMethod, string? InterpreterLanguage, string? AccessibilityNeeds)
{
    public string FullName => $"{GivenName} {FamilyName}".Trim();
}

public sealed record JourneyReferral(Guid ReferralId, string RegisteredPracticeOds, IReadOnlyList<string> Needs, string? PostcodeDistrict, string? WhatMatters,
    DateTimeOffset SubmittedAt, bool Eligible, IReadOnlyList<string> TriageReasons, int ComplexityScore, string RequiredTier, string Priority, bool Escalated);

public sealed record Decision(bool AgreementDue, DateTimeOffset? AgreedAt, int? AgreedInEpisode, DateTimeOffset? DeclinedAt, string? DeclineReason);

public sealed record Engagement(DateTimeOffset? LastContactAt, DateTimeOffset? DormantSince, int FailedAttemptsSinceLastContact, int ContactCount,
    int TotalContactMinutes);

public sealed record Contact(Guid ContactId, string Kind, string Outcome, int DurationMinutes, string? Venue, string? Note, string RecordedBy,
    DateTimeOffset OccurredAt);

public sealed record HomeVisit(Guid VisitId, string LinkWorkerId, DateTimeOffset CheckedInAt, DateTimeOffset ExpectedEnd, DateTimeOffset? CheckedOutAt,
    bool CheckedIn, DateTimeOffset? OverdueAlertRaisedAt, bool AlertOutstanding, DateTimeOffset? AlertAcknowledgedAt = null,
    string? AlertAcknowledgedBy = null);

public sealed record MyOpenVisit(Guid JourneyId, Guid ReferralId, Guid VisitId, DateTimeOffset CheckedInAt, DateTimeOffset ExpectedEnd,
    DateTimeOffset? OverdueAlertRaisedAt, DateTimeOffset? AlertAcknowledgedAt);

public sealed record Need(Guid NeedId, string Domain, string Priority, string? Description, DateTimeOffset IdentifiedAt, DateTimeOffset? ResolvedAt,
    string? ResolutionNote);

public sealed record Assessment(string? WhatMatters, DateTimeOffset? WhatMattersRecordedAt, IReadOnlyList<string> Strengths, IReadOnlyList<string> Barriers,
    string? BarriersNote, IReadOnlyList<Need> Needs);

public sealed record Milestone(Guid MilestoneId, string? Description, DateOnly? TargetDate, DateOnly? ReachedOn);

public sealed record PlanStep(Guid StepId, string? Description, string Owner, DateOnly? DueDate, DateOnly? CompletedOn);

public sealed record Goal(Guid GoalId, string? Description, DateOnly? TargetDate, DateOnly? ReviewDate, string Status, DateTimeOffset SetAt,
    IReadOnlyList<Milestone> Milestones, IReadOnlyList<PlanStep> Steps);

public sealed record PlanAgreement(DateOnly AgreedOn, DateOnly? NextReviewDate, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record Review(Guid ReviewId, DateOnly HeldOn, string? Summary, DateOnly? NextReviewDate, string RecordedBy);

public sealed record Plan(IReadOnlyList<Goal> Goals, PlanAgreement? Agreement, IReadOnlyList<Review> Reviews, DateOnly? NextReviewDate);

public sealed record Connection(Guid ConnectionId, Guid? DirectoryEntryId, string ServiceName, string Kind, bool ConsentToShare, string? SharedInformation,
    DateTimeOffset MadeAt, string? Outcome);

public sealed record Ons4Scores(int LifeSatisfaction, int Worthwhile, int Happy, int Anxious);

/// <summary>A scored measure; <see cref="Episode"/> is the journey's episode it was taken in (baseline and closing are per episode).</summary>
public sealed record Measurement(Guid MeasurementId, string Instrument, string Point, decimal? Score, int? RawScore, int? PamLevel, Ons4Scores? Ons4,
    decimal? ChangeSinceBaseline, bool? MeaningfulChange, DateTimeOffset MeasuredAt, int Episode);

/// <summary>
/// A safeguarding concern and whether triage confirmed it received it (HAZ-001 C7): <see cref="Unconfirmed"/> is true once
/// support-plan's check found it unconfirmed and until triage confirms; it has then been sent again <see cref="UnconfirmedChecks"/> times.
/// </summary>
public sealed record Concern(Guid ConcernId, bool Crisis, IReadOnlyList<string> Indicators, string? Details, string RaisedBy, DateTimeOffset RaisedAt,
    DateTimeOffset? ConfirmedByTriageAt = null, Guid? EscalationId = null, bool Unconfirmed = false, int UnconfirmedChecks = 0,
    DateTimeOffset? LastUnconfirmedAt = null)
{
    /// <summary>Triage has confirmed it: the concern reached the duty chain.</summary>
    public bool Confirmed => ConfirmedByTriageAt is not null;

    /// <summary>A check found it unconfirmed and triage still has not confirmed: the team must make sure the duty team knows.</summary>
    public bool NotReachedDutyTeam => Unconfirmed && !Confirmed;
}

public sealed record Referrer(string Kind, string OrganisationId, string? Name, string? Role, string? Contact);

/// <summary>A referral intake linked to the journey while it was open (HAZ-001 C8): another professional referred the person again.</summary>
public sealed record FurtherReferral(Guid ReferralId, Referrer Referrer, string? Urgency, IReadOnlyList<string> Needs, bool CarriedRisk, string? ReasonText,
    string? WhatMatters, string? RiskNotes, DateTimeOffset LinkedAt, bool Unacknowledged, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy);

public sealed record Closure(DateTimeOffset ClosedAt, string? Reason, string? Note);

/// <summary>A delivery of the journey to the practice that gp-records parked (HAZ-005 C12).</summary>
public sealed record ParkedGpDelivery(Guid DeliveryId, string PracticeOds, DateTimeOffset ParkedAt);

/// <summary>
/// GP-records parked a delivery of the journey (HAZ-005 C12): the practice has not been sent the latest entries, nor any after
/// them, until a programme admin replays it. <see cref="Since"/> is when the oldest still parked was parked.
/// </summary>
public sealed record NotYetInGpRecord(DateTimeOffset Since, IReadOnlyList<ParkedGpDelivery> ParkedDeliveries);

public sealed record Journey(Guid JourneyId, long Version, string ProgrammeId, string Status, int Episode, bool Reopened, PersonDetails? Person,
    JourneyReferral Referral, string? LinkWorkerId, DateTimeOffset RegisteredAt, DateTimeOffset? OpenedAt, Decision Decision, Engagement Engagement,
    IReadOnlyList<Contact> Contacts, IReadOnlyList<HomeVisit> HomeVisits, Assessment Assessment, Plan Plan, IReadOnlyList<Connection> Connections,
    IReadOnlyList<Measurement> Measurements, IReadOnlyList<string> ClosingMeasuresDue, IReadOnlyList<Concern> SafeguardingConcerns, Closure? Closure,
    IReadOnlyList<FurtherReferral>? FurtherReferrals = null, NotYetInGpRecord? NotYetInGpRecord = null)
{
    public bool IsClosed => Status == "Closed";

    public bool IsWorkable => Status is "Active" or "Dormant";

    public string PersonName => Person?.FullName is { Length: > 0 } name ? name : "Name not available";
}

public sealed record TimelineItem(DateTimeOffset At, string Kind, string Summary, string? Detail, string? Actor);

public sealed record Timeline(Guid JourneyId, IReadOnlyList<TimelineItem> Entries);

public sealed record Ons4ItemProgress(string Item, bool HigherIsBetter, int? Baseline, int? Latest, int? Change, string? Direction);

public sealed record InstrumentProgress(string Instrument, Measurement? Baseline, Measurement? Latest, decimal? Change, bool? MeaningfulChange,
    string? Direction, IReadOnlyList<Ons4ItemProgress>? Ons4Items, IReadOnlyList<Measurement> Measurements);

public sealed record Suggestion(Guid EntryId, string Name, string Sector, string ReferralMethod, IReadOnlyList<string> MatchedNeeds, string AreaMatch, int Score);

public sealed record DirectoryDetails(string Name, string Sector, IReadOnlyList<string> Categories, IReadOnlyList<string> Areas, string? Contact,
    string ReferralMethod, string? OpeningTimes, string? Description);

public sealed record DirectoryEntry(Guid Id, string ProgrammeId, DirectoryDetails Details, bool Active);

/// <summary>
/// Before closing: <see cref="Reasons"/> the journey may close with now, the safeguarding concerns triage has not confirmed
/// (closing over one needs a reason), and the further referrals nobody has read (support-plan refuses closure until each is).
/// </summary>
public sealed record ClosurePrompt(IReadOnlyList<string> ClosingMeasuresDue, bool HomeVisitCheckedIn, int FailedAttemptsSinceLastContact,
    IReadOnlyList<string>? Reasons = null, IReadOnlyList<UnconfirmedConcern>? UnconfirmedConcerns = null,
    IReadOnlyList<UnacknowledgedFurtherReferral>? UnacknowledgedFurtherReferrals = null);

public sealed record UnconfirmedConcern(Guid ConcernId, DateTimeOffset RaisedAt);

public sealed record UnacknowledgedFurtherReferral(Guid ReferralId, DateTimeOffset LinkedAt);

public sealed record JourneySummary(Guid JourneyId, long Version, string? PersonName, string ProgrammeId, string Status, string? LinkWorkerId,
    string RegisteredPracticeOds, string Priority, bool Escalated, bool AgreementDue, DateTimeOffset? OpenedAt, DateTimeOffset? LastContactAt,
    DateTimeOffset? DormantSince, DateOnly? NextReviewDate, int ContactCount, int SafeguardingConcerns, bool LoneWorkingAlert, DateTimeOffset? ClosedAt,
    string? ClosureReason, bool UnconfirmedConcern = false, int UnacknowledgedFurtherReferrals = 0, bool Crisis = false, string? RequiredTier = null,
    bool UnacknowledgedFurtherReferralCarriesRisk = false, bool NotYetInGpRecord = false);

/// <summary>A page of the team lead's journey list (<c>GET /journeys</c>).</summary>
public sealed record JourneyPage(IReadOnlyList<JourneySummary> Journeys, int Page, int PageSize, bool HasMore);

/// <summary>The journey a referral was recorded against (<c>GET /referrals/{referralId}/journey</c>).</summary>
public sealed record ReferralJourney(Guid ReferralId, Guid JourneyId, bool Reopened);

public sealed record OverdueVisit(Guid JourneyId, Guid VisitId, string ProgrammeId, string LinkWorkerId, DateTimeOffset CheckedInAt, DateTimeOffset ExpectedEnd,
    DateTimeOffset? AlertRaisedAt);
