using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.EventStore;
using Referrals.Intake.ConfirmingTriage;
using Referrals.Intake.Http;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Http;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.Tracking;

/// <summary>
/// What the referrer sees of one of its referrals: what it sent, where the referral has got to, and the escalation
/// notices triage addressed to the referrer (the service's statements; nothing about the person).
/// </summary>
public sealed record ReferralView(
    Guid ReferralId,
    ReferralStatus Status,
    bool Escalated,
    DateTimeOffset? EscalatedAt,
    bool LinkedToOpenJourney,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    string Programme,
    string RegisteredPracticeOds,
    Referrer Referrer,
    PersonDetails? Person,
    IReadOnlyList<NeedCategory> Needs,
    string? ReasonText,
    string? WhatMatters,
    RiskAnswers Risk,
    string? RiskNotes,
    Urgency Urgency,
    ConsentRecord? Consent,
    string? WithdrawalReason,
    ClosureReason? ClosureReason,
    ReferrerOutcome? Outcome,
    IReadOnlyList<StatusChange> History,
    IReadOnlyList<string>? NotEligibleReasons,
    string? Signposting,
    IReadOnlyList<EscalationNotice> EscalationNotices)
{
    /// <summary>Which identifying fields differed from those held for the NHS number, and whether the referral was linked regardless.</summary>
    public IdentityMismatch? IdentityMismatch { get; init; }

    /// <summary>
    /// Intake's checks found triage had not triaged the referral, and sent it again (HAZ-001, HAZ-007); for a linked referral,
    /// that triage had not read it for risk (C18), shown until triage's receipt comes. Null while none has.
    /// </summary>
    public TriageConfirmationOverdue? TriageConfirmationOverdue { get; init; }

    public static ReferralView From(Referral r) => new(r.Id, r.Status, r.Escalated, r.EscalatedAt, r.LinkedToOpenJourney, r.SubmittedAt,
        r.UpdatedAt, r.ProgrammeId, r.RegisteredPracticeOds, r.Referrer, r.Person, r.Needs, r.ReasonText, r.WhatMatters, r.Risk,
        r.RiskNotes, r.Urgency, r.Consent, r.WithdrawalReason, r.ClosureReason, r.Outcome, r.History, r.NotEligibleReasons, r.Signposting,
        r.EscalationNotices)
    {
        IdentityMismatch = r.IdentityMismatch,
        TriageConfirmationOverdue = r.LinkedToOpenJourney
            ? r.LinkedTriageReceipt is { ReceivedAt: null, Overdue: { } overdue } ? overdue : null
            : r.TriageConfirmationOverdue,
    };
}

/// <summary>One line of the organisation's list: identifiers and status only (open the referral for its details).</summary>
public sealed record ReferralSummary(
    Guid ReferralId,
    string OrganisationId,
    ReferralStatus Status,
    bool Escalated,
    string Programme,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt);

public sealed record ReferralList(IReadOnlyList<ReferralSummary> Referrals, int Limit);

public static class ReferralQueryEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapReferralQueries(this IEndpointRouteBuilder app)
    {
        app.MapGet("/referrals/{id:guid}", GetAsync)
            .RequireAuthorization(IntakeAccess.ReferrerPolicy)
            .WithName("GetReferral")
            .WithTags("Referrals")
            .WithSummary("A referral of your organisation, with its status. The ETag is its version (for If-Match on withdraw).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/referrals", ListAsync)
            .RequireAuthorization(IntakeAccess.ReferrerPolicy)
            .WithName("ListReferrals")
            .WithTags("Referrals")
            .WithSummary("Your organisation's referrals, most recently updated first; status= filters, since= returns those updated since.")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> GetAsync(Guid id, HttpContext http, IDocumentStore store,
        CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var referral = await session.LoadAsync<Referral>(id, ct);
        if (referral is null || !http.User.ActsFor(referral.OrganisationId))
        {
            return IntakeAccess.ReferralNotFound();
        }

        http.Response.SetETag(referral.Version);
        return TypedResults.Ok(ReferralView.From(referral));
    }

    private static async Task<Ok<ReferralList>> ListAsync(HttpContext http, IDocumentStore store, string? status, string? since,
        string? limit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        ReferralStatus? wanted = null;
        if (status is not null)
        {
            if (Enum.TryParse<ReferralStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _))
            {
                wanted = parsed;
            }
            else
            {
                errors.Add("status", "Use one of: " + string.Join(", ", Enum.GetNames<ReferralStatus>()) + ".");
            }
        }

        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                from = parsed.ToUniversalTime();
            }
            else
            {
                errors.Add("since", "Use an ISO 8601 date and time, e.g. 2026-01-05T09:00:00Z.");
            }
        }

        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            errors.Add("limit", $"Use a number from 1 to {MaxLimit}.");
        }

        errors.ThrowIfAny();
        var organisations = http.User.ReferrerOrganisations().ToArray();
        await using var session = store.QuerySession();
        var referrals = await session.QueryAsync<Referral>(
            "data->>'organisationId' = any(?) and (?::text is null or data->>'status' = ?) " +
            "and (?::timestamptz is null or (data->>'updatedAt')::timestamptz >= ?) " +
            "order by (data->>'updatedAt')::timestamptz desc limit ?",
            [organisations, wanted?.ToString(), wanted?.ToString(), from, from, take], ct);
        return TypedResults.Ok(new ReferralList(
            referrals.Select(r => new ReferralSummary(r.Id, r.OrganisationId, r.Status, r.Escalated, r.ProgrammeId, r.SubmittedAt, r.UpdatedAt))
                .ToList(),
            take));
    }
}
