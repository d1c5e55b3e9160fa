using Referrals.Contracts;
using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.GpRecords;
using Referrals.SupportPlan.Planning;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Journeys;

/// <summary>The whole journey as the web app shows it to its worker or team lead (GET /journeys/{id}; the ETag is <see cref="Version"/>).</summary>
public sealed record JourneyView(
    Guid JourneyId,
    long Version,
    Guid PersonId,
    string ProgrammeId,
    JourneyStatus Status,
    int Episode,
    bool Reopened,
    PersonDetails? Person,
    ReferralView Referral,
    string? LinkWorkerId,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? OpenedAt,
    DecisionView Decision,
    EngagementView Engagement,
    IReadOnlyList<ContactView> Contacts,
    IReadOnlyList<HomeVisitView> HomeVisits,
    AssessmentView Assessment,
    PlanView Plan,
    IReadOnlyList<ConnectionView> Connections,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyList<Instrument> ClosingMeasuresDue,
    ConsentView Consent,
    IReadOnlyList<ConcernView> SafeguardingConcerns,
    ClosureView? Closure,
    IReadOnlyList<FurtherReferralView> FurtherReferrals,
    NotYetInGpRecordView? NotYetInGpRecord = null)
{
    /// <summary>
    /// The journey as shown, with its concerns' confirmation by triage (kept in streams of their own, by concern id) and whether
    /// gp-records has a delivery of it parked (kept in a stream of its own; null when none is reported).
    /// </summary>
    public static JourneyView Of(Journey j, IReadOnlyDictionary<Guid, ConcernConfirmation> confirmations, GpRecordDelivery? gpDelivery = null) => new(
        j.Id,
        j.Version,
        j.PersonId,
        j.ProgrammeId,
        j.Status,
        j.Episode,
        j.Reopened,
        j.Person,
        new ReferralView(j.Referral.ReferralId, j.ReferralIds, j.Referral.Referrer, j.Referral.RegisteredPracticeOds, j.Referral.Needs,
            j.Referral.PostcodeDistrict, j.Referral.Urgency, j.ReferralWhatMatters, j.Referral.SubmittedAt, j.Referral.Eligible,
            j.Referral.TriageReasons, j.Referral.ComplexityScore, j.Referral.RequiredTier, j.Referral.Priority, j.Referral.Escalated,
            j.Referral.TriagedAt, j.WithdrawnReferralIds),
        j.LinkWorkerId,
        j.RegisteredAt,
        j.OpenedAt,
        new DecisionView(j.AgreementDue, j.AgreedAt, j.AgreedInEpisode, j.DeclinedAt, j.TextOf(TextKeys.Decline)),
        new EngagementView(j.LastContactAt, j.DormantSince, j.FailedAttemptsSinceLastContact, j.Contacts.Count, j.Contacts.Sum(c => c.DurationMinutes)),
        j.Contacts.Select(c => new ContactView(c.ContactId, c.Kind, c.Outcome, c.DurationMinutes, j.TextOf(TextKeys.Venue(c.ContactId)),
            j.TextOf(TextKeys.Of(c.ContactId)), c.RecordedBy, c.OccurredAt)).ToList(),
        j.Visits.Select(v => new HomeVisitView(v.VisitId, v.LinkWorkerId, v.CheckedInAt, v.ExpectedEnd, v.CheckedOutAt, v.IsOpen,
            v.OverdueAlertRaisedAt, v.AlertOutstanding, v.AlertAcknowledgedAt, v.AlertAcknowledgedBy)).ToList(),
        new AssessmentView(j.WhatMatters, j.WhatMattersRecordedAt, j.Strengths ?? [], j.Barriers, j.TextOf(TextKeys.Barriers),
            j.Needs.Select(n => new NeedView(n.NeedId, n.Domain, n.Priority, j.TextOf(TextKeys.Of(n.NeedId)), n.IdentifiedAt, n.ResolvedAt,
                j.TextOf(TextKeys.Resolution(n.NeedId)))).ToList()),
        new PlanView(
            j.Goals.Select(g => new GoalView(g.GoalId, j.TextOf(TextKeys.Of(g.GoalId)), g.TargetDate, g.ReviewDate, g.Status, g.SetAt,
                g.Milestones.Select(m => new MilestoneView(m.MilestoneId, j.TextOf(TextKeys.Of(m.MilestoneId)), m.TargetDate, m.ReachedOn)).ToList(),
                g.Steps.Select(s => new StepView(s.StepId, j.TextOf(TextKeys.Of(s.StepId)), s.Owner, s.DueDate, s.CompletedOn)).ToList(),
                g.Progress.Select(p => new ProgressView(p.UpdateId, p.Status, j.TextOf(TextKeys.Of(p.UpdateId)), p.RecordedBy, p.RecordedAt)).ToList()))
                .ToList(),
            j.PlanAgreement,
            j.Reviews.Select(r => new ReviewView(r.ReviewId, r.HeldOn, j.TextOf(TextKeys.Of(r.ReviewId)), r.NextReviewDate, r.RecordedBy)).ToList(),
            j.NextReviewDate),
        j.Connections.Select(c => new ConnectionView(c.ConnectionId, c.DirectoryEntryId, c.ServiceName, c.Kind, c.ConsentToShare,
            j.TextOf(TextKeys.Shared(c.ConnectionId)), c.MadeAt, c.Acknowledgement, j.TextOf(TextKeys.Acknowledgement(c.ConnectionId)), c.Outcome,
            c.OutcomeRecordedAt, j.TextOf(TextKeys.Outcome(c.ConnectionId)))).ToList(),
        j.Measurements,
        j.IsClosed ? [] : j.ClosingMeasuresDue,
        new ConsentView(j.SharingScope, j.ConsentWithdrawn, j.ConsentChanges),
        j.Concerns.Select(c => (Concern: c, Confirmation: confirmations.GetValueOrDefault(c.ConcernId)))
            .Select(x => new ConcernView(x.Concern.ConcernId, x.Concern.Crisis, j.IndicatorsOf(x.Concern), j.TextOf(TextKeys.Of(x.Concern.ConcernId)),
                x.Concern.RaisedBy, x.Concern.RaisedAt, x.Confirmation?.ConfirmedAt, x.Confirmation?.EscalationId, x.Confirmation?.Unconfirmed ?? false,
                x.Confirmation?.UnconfirmedChecks ?? 0, x.Confirmation?.LastUnconfirmedAt)).ToList(),
        j.ClosedAt is { } closedAt ? new ClosureView(closedAt, j.ClosureReason, j.TextOf(TextKeys.Closure)) : null,
        j.FurtherReferrals.Select(f => new FurtherReferralView(f.ReferralId, f.Referrer, f.Urgency, f.Needs, f.Risk, f.ReportsRisk(),
            j.TextOf(TextKeys.FurtherReason(f.ReferralId)), j.TextOf(TextKeys.FurtherWhatMatters(f.ReferralId)),
            j.TextOf(TextKeys.FurtherRiskNotes(f.ReferralId)), f.LinkedAt, f.ReceivedAt, f.AcknowledgedAt is null, f.AcknowledgedAt, f.AcknowledgedBy,
            f.TriageEscalationId)).ToList(),
        gpDelivery is { NotYetInGpRecord: true } d ? new NotYetInGpRecordView(d.Parked[0].ParkedAt, d.Parked) : null);
}

/// <summary>
/// GP-records has parked a delivery of the journey (HAZ-005 C12): the practice has not been sent the journey's latest entries,
/// and none after them, until a programme admin replays it. <see cref="Since"/> is when the oldest still parked was parked.
/// </summary>
public sealed record NotYetInGpRecordView(DateTimeOffset Since, IReadOnlyList<ParkedGpDelivery> ParkedDeliveries);

public sealed record ReferralView(
    Guid ReferralId,
    IReadOnlyList<Guid> AllReferralIds,
    Referrer Referrer,
    string RegisteredPracticeOds,
    IReadOnlyList<NeedCategory> Needs,
    string? PostcodeDistrict,
    Urgency Urgency,
    string? WhatMatters,
    DateTimeOffset SubmittedAt,
    bool Eligible,
    IReadOnlyList<string> TriageReasons,
    int ComplexityScore,
    Tier RequiredTier,
    Priority Priority,
    bool Escalated,
    DateTimeOffset TriagedAt,
    IReadOnlyList<Guid> WithdrawnReferralIds);

/// <summary>The first-contact decision: <see cref="AgreementDue"/> is false once agreed (once per episode) or after a decline.</summary>
public sealed record DecisionView(bool AgreementDue, DateTimeOffset? AgreedAt, int? AgreedInEpisode, DateTimeOffset? DeclinedAt, string? DeclineReason);

public sealed record EngagementView(DateTimeOffset? LastContactAt, DateTimeOffset? DormantSince, int FailedAttemptsSinceLastContact, int ContactCount,
    int TotalContactMinutes);

public sealed record ContactView(Guid ContactId, ContactKind Kind, ContactOutcome Outcome, int DurationMinutes, string? Venue, string? Note,
    string RecordedBy, DateTimeOffset OccurredAt);

public sealed record HomeVisitView(
    Guid VisitId,
    string LinkWorkerId,
    DateTimeOffset CheckedInAt,
    DateTimeOffset ExpectedEnd,
    DateTimeOffset? CheckedOutAt,
    bool CheckedIn,
    DateTimeOffset? OverdueAlertRaisedAt,
    bool AlertOutstanding,
    DateTimeOffset? AlertAcknowledgedAt,
    string? AlertAcknowledgedBy);

public sealed record AssessmentView(
    string? WhatMatters,
    DateTimeOffset? WhatMattersRecordedAt,
    IReadOnlyList<string> Strengths,
    IReadOnlyList<Barrier> Barriers,
    string? BarriersNote,
    IReadOnlyList<NeedView> Needs);

public sealed record NeedView(Guid NeedId, NeedDomain Domain, NeedPriority Priority, string? Description, DateTimeOffset IdentifiedAt,
    DateTimeOffset? ResolvedAt, string? ResolutionNote);

public sealed record PlanView(IReadOnlyList<GoalView> Goals, PlanAgreement? Agreement, IReadOnlyList<ReviewView> Reviews, DateOnly? NextReviewDate);

public sealed record GoalView(
    Guid GoalId,
    string? Description,
    DateOnly? TargetDate,
    DateOnly? ReviewDate,
    GoalStatus Status,
    DateTimeOffset SetAt,
    IReadOnlyList<MilestoneView> Milestones,
    IReadOnlyList<StepView> Steps,
    IReadOnlyList<ProgressView> Progress);

public sealed record MilestoneView(Guid MilestoneId, string? Description, DateOnly? TargetDate, DateOnly? ReachedOn);

public sealed record StepView(Guid StepId, string? Description, StepOwner Owner, DateOnly? DueDate, DateOnly? CompletedOn);

public sealed record ProgressView(Guid UpdateId, GoalStatus Status, string? Note, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record ReviewView(Guid ReviewId, DateOnly HeldOn, string? Summary, DateOnly? NextReviewDate, string RecordedBy);

public sealed record ConnectionView(
    Guid ConnectionId,
    Guid? DirectoryEntryId,
    string ServiceName,
    ConnectionKind Kind,
    bool ConsentToShare,
    string? SharedInformation,
    DateTimeOffset MadeAt,
    OnwardReferralAcknowledgement? Acknowledgement,
    string? AcknowledgementNote,
    ConnectionOutcome? Outcome,
    DateTimeOffset? OutcomeRecordedAt,
    string? OutcomeNote);

public sealed record ConsentView(ConsentScope Scope, bool Withdrawn, IReadOnlyList<ConsentChange> Changes);

/// <summary>
/// A concern and whether triage confirmed it received it: <see cref="Unconfirmed"/> is true once a check found it unconfirmed
/// and until triage confirms (it has been sent again <see cref="UnconfirmedChecks"/> times).
/// </summary>
public sealed record ConcernView(Guid ConcernId, bool Crisis, IReadOnlyList<string> Indicators, string? Details, string RaisedBy, DateTimeOffset RaisedAt,
    DateTimeOffset? ConfirmedByTriageAt, Guid? EscalationId, bool Unconfirmed, int UnconfirmedChecks, DateTimeOffset? LastUnconfirmedAt);

/// <summary>
/// A referral intake linked to the journey while it was open: who referred again, why and with what risk (the free text is
/// the referrer's). <see cref="Unacknowledged"/> until the worker or a team lead acknowledges it. <see cref="CarriedRisk"/>: the
/// referrer reported risk (a structured answer, risk notes) or triage escalated it to the duty chain (<see cref="TriageEscalationId"/>,
/// HAZ-001 C19), which it also does on risk found only in the referrer's words or an urgent request.
/// </summary>
public sealed record FurtherReferralView(
    Guid ReferralId,
    Referrer Referrer,
    Urgency? Urgency,
    IReadOnlyList<NeedCategory> Needs,
    RiskAnswers? Risk,
    bool CarriedRisk,
    string? ReasonText,
    string? WhatMatters,
    string? RiskNotes,
    DateTimeOffset LinkedAt,
    DateTimeOffset ReceivedAt,
    bool Unacknowledged,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    Guid? TriageEscalationId);

public sealed record ClosureView(DateTimeOffset ClosedAt, ClosureReason? Reason, string? Note);
