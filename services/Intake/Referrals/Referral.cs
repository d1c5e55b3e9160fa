using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Intake.People;
using Referrals.Intake.ChangingRegisteredPractice;
using Referrals.Intake.ConfirmingTriage;
using Referrals.Intake.ExecutingErasure;
using Referrals.Intake.RectifyingDetails;
using Referrals.Intake.Releasing;
using Referrals.Intake.Submitting;
using Referrals.Intake.Tracking;
using Referrals.Intake.Withdrawing;

namespace Referrals.Intake.Referrals;

/// <summary>
/// The status a referrer sees. "First contact" is when the person agrees or declines; escalation is a separate flag
/// (<see cref="Referral.Escalated"/>) because it can happen at any stage.
/// </summary>
public enum ReferralStatus
{
    Submitted,
    LinkedToOpenJourney,
    Triaged,
    NotEligible,
    Queued,
    Assigned,
    Accepted,
    JourneyOpened,
    Agreed,
    Declined,
    Withdrawn,
    Closed,
}

/// <summary>The latest fact accepted for one phase, with where it came from.</summary>
public sealed record PhaseMark(ReferralStatus Status, EventSource Source, DateTimeOffset OccurredAt);

public sealed record StatusChange(ReferralStatus Status, DateTimeOffset At);

/// <summary>
/// What triage told the referrer about an escalation at one step of its duty chain: the service's fixed statement (e.g.
/// not a crisis service; the case needs your action), whether it came outside rota hours, any acknowledge-by time and
/// when triage sent it. Nothing about the person.
/// </summary>
public sealed record EscalationNotice(
    Guid EscalationId,
    int Step,
    string Statement,
    bool OutsideRotaHours,
    DateTimeOffset? AcknowledgeBy,
    DateTimeOffset SentAt);

/// <summary>
/// The referral: an immutable aggregate folded from its stream (Create/Apply), and - as an inline snapshot - the read
/// model behind <c>GET /referrals/{id}</c>. Personal fields are encrypted at rest under the person's key.
/// </summary>
public sealed record Referral
{
    public Guid Id { get; init; }

    /// <summary>The stream version; the ETag.</summary>
    public long Version { get; set; }

    public Guid PersonId { get; init; }

    public Guid? PersonIndexId { get; init; }

    /// <summary>The details differed from those held for the NHS number (HAZ-003 C3), and whether the referral was linked regardless.</summary>
    public IdentityMismatch? IdentityMismatch { get; init; }

    public Guid JourneyId { get; init; }

    public Guid? PreviousJourneyId { get; init; }

    public bool LinkedToOpenJourney { get; init; }

    public required string ProgrammeId { get; init; }

    public required string RegisteredPracticeOds { get; init; }

    public required Referrer Referrer { get; init; }

    /// <summary>The referring organisation (ODS code or agency id; <c>SELF</c> for self-referrals).</summary>
    public required string OrganisationId { get; init; }

    public ReferralChannel Channel { get; init; }

    [PersonalData]
    public PersonDetails? Person { get; init; }

    public int AgeAtReferral { get; init; }

    /// <summary>The postcode district as published to triage (not personal data on its own).</summary>
    public string? PostcodeDistrict { get; init; }

    public bool HasLongTermCondition { get; init; }

    public bool IsCarer { get; init; }

    public IReadOnlyList<NeedCategory> Needs { get; init; } = [];

    [PersonalData]
    public string? ReasonText { get; init; }

    [PersonalData]
    public string? WhatMatters { get; init; }

    public required RiskAnswers Risk { get; init; }

    [PersonalData]
    public string? RiskNotes { get; init; }

    public Urgency Urgency { get; init; }

    [PersonalData]
    public ConsentRecord? Consent { get; init; }

    public ConsentScope SharingScope { get; init; }

    public DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public ReferralStatus Status { get; init; }

    public bool Escalated { get; init; }

    public DateTimeOffset? EscalatedAt { get; init; }

    /// <summary>Escalation notices addressed to the referrer, in the order they arrived (one per escalation and step).</summary>
    public IReadOnlyList<EscalationNotice> EscalationNotices { get; init; } = [];

    public PhaseMark? TriageMark { get; init; }

    public PhaseMark? JourneyMark { get; init; }

    public bool Withdrawn { get; init; }

    [PersonalData]
    public string? WithdrawalReason { get; init; }

    public ClosureReason? ClosureReason { get; init; }

    [PersonalData]
    public ReferrerOutcome? Outcome { get; init; }

    /// <summary>Triage's reasons, while the triage shown found the referral not eligible.</summary>
    [PersonalData]
    public IReadOnlyList<string>? NotEligibleReasons { get; init; }

    /// <summary>Where triage suggests the person is directed instead, while the triage shown found the referral not eligible.</summary>
    public string? Signposting { get; init; }

    public IReadOnlyList<StatusChange> History { get; init; } = [];

    /// <summary>Triage confirmation checks that found the referral not triaged (HAZ-001, HAZ-007); null while none has.</summary>
    public TriageConfirmationOverdue? TriageConfirmationOverdue { get; init; }

    /// <summary>
    /// The latest linking to an open journey and triage's receipt for it (HAZ-001 C18); null for a referral on a journey of its
    /// own. One linked before the check existed also shows its linking pending (the fold sets it), but no check was armed for
    /// it, so it is never flagged and the view shows nothing.
    /// </summary>
    public LinkedTriageReceipt? LinkedTriageReceipt { get; init; }

    /// <summary>When an executed erasure shredded the referral's personal data; null while it holds it.</summary>
    public DateTimeOffset? PersonalDataErasedAt { get; init; }

    /// <summary>No later fact can change what happens to the referral: its journey ended or it never started.</summary>
    public bool IsFinished => Status is ReferralStatus.Closed or ReferralStatus.Declined or ReferralStatus.NotEligible;

    /// <summary>
    /// Support-plan opened the journey (a worker accepted the referral). From then on support-plan alone decides whether a
    /// withdrawal ends the journey: it closes it as withdrawn until the person agreed (HAZ-007 C9). Not "started with a
    /// worker": support-plan counts that from the agreement, which intake may not have heard of yet.
    /// </summary>
    public bool JourneyOpenedBySupportPlan => JourneyMark is not null;

    public static Referral Create(ReferralReceived e)
    {
        var status = e.LinkedToOpenJourney ? ReferralStatus.LinkedToOpenJourney : ReferralStatus.Submitted;
        return new Referral
        {
            Id = e.ReferralId,
            PersonId = e.PersonId,
            PersonIndexId = e.PersonIndexId,
            IdentityMismatch = e.IdentityMismatch,
            JourneyId = e.JourneyId,
            PreviousJourneyId = e.PreviousJourneyId,
            LinkedToOpenJourney = e.LinkedToOpenJourney,
            ProgrammeId = e.ProgrammeId,
            RegisteredPracticeOds = e.RegisteredPracticeOds,
            Referrer = e.Referrer,
            OrganisationId = e.Referrer.OrganisationId,
            Channel = e.Channel,
            Person = e.Person,
            AgeAtReferral = e.AgeAtReferral,
            PostcodeDistrict = e.PostcodeDistrict,
            HasLongTermCondition = e.HasLongTermCondition,
            IsCarer = e.IsCarer,
            Needs = e.Needs,
            ReasonText = e.ReasonText,
            WhatMatters = e.WhatMatters,
            Risk = e.Risk,
            RiskNotes = e.RiskNotes,
            Urgency = e.Urgency,
            Consent = e.Consent,
            SharingScope = e.SharingScope,
            SubmittedAt = e.ReceivedAt,
            UpdatedAt = e.ReceivedAt,
            Status = status,
            History = [new StatusChange(status, e.ReceivedAt)],
            LinkedTriageReceipt = e.LinkedToOpenJourney ? new LinkedTriageReceipt(e.JourneyId, e.ReceivedAt, null, null, null) : null,
        };
    }

    public Referral Apply(ReferralProgressRecorded e)
    {
        var mark = new PhaseMark(e.Status, e.Source, e.OccurredAt);
        var next = e.Phase == ProgressPhase.Triage
            ? this with { TriageMark = mark, NotEligibleReasons = e.NotEligibleReasons, Signposting = e.Signposting }
            : this with { JourneyMark = mark };
        if (e.Status == ReferralStatus.Closed)
        {
            next = next with { ClosureReason = e.ClosureReason, Outcome = e.Outcome };
        }

        return next.WithStatus(e.RecordedAt);
    }

    public Referral Apply(ReferralEscalationNoted e) =>
        this with { Escalated = true, EscalatedAt = e.EscalatedAt, UpdatedAt = e.RecordedAt };

    public Referral Apply(EscalationNoticeReceived e) => this with
    {
        EscalationNotices = [.. EscalationNotices, new EscalationNotice(e.EscalationId, e.Step, e.Statement, e.OutsideRotaHours, e.AcknowledgeBy, e.SentAt)],
        UpdatedAt = e.RecordedAt,
    };

    public Referral Apply(ReferralJourneyIdentified e) => this with { JourneyId = e.JourneyId, UpdatedAt = e.IdentifiedAt };

    public Referral Apply(ReferralWithdrawnByReferrer e) =>
        (this with { Withdrawn = true, WithdrawalReason = e.Reason }).WithStatus(e.WithdrawnAt);

    public Referral Apply(PersonDetailsCorrected e) => this with { Person = e.Person, UpdatedAt = e.CorrectedAt };

    public Referral Apply(ReferralPersonIndexed e) => this with { PersonIndexId = e.PersonIndexId };

    public Referral Apply(RegisteredPracticeRecorded e) => this with { RegisteredPracticeOds = e.RegisteredPracticeOds, UpdatedAt = e.RecordedAt };

    public Referral Apply(ReferralTriageConfirmationOverdue e) =>
        this with { TriageConfirmationOverdue = new TriageConfirmationOverdue(e.Round, e.FlaggedAt, e.FinalCheck), UpdatedAt = e.FlaggedAt };

    /// <summary>
    /// Admitted again after its journey ended untaken: on a journey of its own it shows Submitted (for triage), or linked
    /// to the journey a referral released before it opened.
    /// </summary>
    public Referral Apply(LinkedReferralReleased e) =>
        (this with
        {
            JourneyId = e.JourneyId,
            PreviousJourneyId = e.PreviousJourneyId,
            LinkedToOpenJourney = e.LinkedToOpenJourney,
            LinkedTriageReceipt = e.LinkedToOpenJourney ? new LinkedTriageReceipt(e.JourneyId, e.ReleasedAt, null, null, null) : null,
        })
        .WithStatus(e.ReleasedAt);

    /// <summary>
    /// Moves <see cref="UpdatedAt"/> only when the receipt clears an overdue flag the referral view was showing: otherwise
    /// nothing the referrer sees changed, and a <c>since</c> poller would list the referral again for nothing.
    /// </summary>
    public Referral Apply(LinkedReferralTriageReceiptRecorded e) => LinkedTriageReceipt is { } pending && pending.JourneyId == e.JourneyId
        ? this with
        {
            LinkedTriageReceipt = pending with { ReceivedAt = e.ReceivedAt, EscalationId = e.EscalationId },
            UpdatedAt = LinkedToOpenJourney && pending is { ReceivedAt: null, Overdue: not null } ? e.RecordedAt : UpdatedAt,
        }
        : this;

    public Referral Apply(LinkedReferralTriageReceiptOverdue e) => LinkedTriageReceipt is { } pending && pending.JourneyId == e.JourneyId
        ? this with
        {
            LinkedTriageReceipt = pending with { Overdue = new TriageConfirmationOverdue(e.Round, e.FlaggedAt, e.FinalCheck) },
            UpdatedAt = e.FlaggedAt,
        }
        : this;

    public Referral Apply(ReferralPersonalDataErased e) => this with { PersonalDataErasedAt = e.ErasedAt, UpdatedAt = e.ErasedAt };

    /// <summary>Applies one of the referral's own events (the same fold the store runs).</summary>
    public Referral Then(object @event) => @event switch
    {
        ReferralPersonalDataErased e => Apply(e),
        ReferralProgressRecorded e => Apply(e),
        ReferralEscalationNoted e => Apply(e),
        EscalationNoticeReceived e => Apply(e),
        ReferralJourneyIdentified e => Apply(e),
        ReferralWithdrawnByReferrer e => Apply(e),
        PersonDetailsCorrected e => Apply(e),
        ReferralPersonIndexed e => Apply(e),
        RegisteredPracticeRecorded e => Apply(e),
        ReferralTriageConfirmationOverdue e => Apply(e),
        LinkedReferralReleased e => Apply(e),
        LinkedReferralTriageReceiptRecorded e => Apply(e),
        LinkedReferralTriageReceiptOverdue e => Apply(e),
        _ => this,
    };

    /// <summary>
    /// The status shown: the journey's (support-plan) over triage's, triage's over the submission; a withdrawal shows
    /// unless the journey has since closed.
    /// </summary>
    public ReferralStatus DeriveStatus()
    {
        if (JourneyMark?.Status == ReferralStatus.Closed)
        {
            return ReferralStatus.Closed;
        }

        if (Withdrawn)
        {
            return ReferralStatus.Withdrawn;
        }

        return JourneyMark?.Status ?? TriageMark?.Status ??
               (LinkedToOpenJourney ? ReferralStatus.LinkedToOpenJourney : ReferralStatus.Submitted);
    }

    private Referral WithStatus(DateTimeOffset at)
    {
        var status = DeriveStatus();
        return status == Status
            ? this with { UpdatedAt = at }
            : this with { Status = status, UpdatedAt = at, History = [.. History, new StatusChange(status, at)] };
    }
}
