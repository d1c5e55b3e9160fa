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

    /// <summary>When the person's data was erased (at their request, or at the end of the retention period): why the referral
    /// names nobody. Null while it holds their data.</summary>
    public DateTimeOffset? PersonalDataErasedAt { get; init; }

    public static ReferralView From(Referral r) => new(r.Id, r.Status, r.Escalated, r.EscalatedAt, r.LinkedToOpenJourney, r.SubmittedAt,
        r.UpdatedAt, r.ProgrammeId, r.RegisteredPracticeOds, r.Referrer, r.Person, r.Needs, r.ReasonText, r.WhatMatters, r.Risk,
        r.RiskNotes, r.Urgency, r.Consent, r.WithdrawalReason, r.ClosureReason, r.Outcome, r.History, r.NotEligibleReasons, r.Signposting,
        r.EscalationNotices)
    {
        IdentityMismatch = r.IdentityMismatch,
        PersonalDataErasedAt = r.PersonalDataErasedAt,
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
    DateTimeOffset UpdatedAt)
{
    /// <summary>When the person's data was erased; null while the referral holds it.</summary>
    public DateTimeOffset? PersonalDataErasedAt { get; init; }
}

/// <param name="Next">
/// With <c>since</c>: the query that continues after the last referral listed (its <c>updatedAt</c> and id), to follow
/// at once while pages are full and to poll later; null without <c>since</c>.
/// </param>
public sealed record ReferralList(IReadOnlyList<ReferralSummary> Referrals, int Limit, string? Next = null);

public static class ReferralQueryEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>
    /// With <c>since</c>, only changes stamped at least this long ago are listed: <c>updatedAt</c> is stamped before the
    /// change commits (lock waits included), so a younger one could still commit behind a <c>next</c> already handed out.
    /// </summary>
    public static readonly TimeSpan SettlingTime = TimeSpan.FromSeconds(30);

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
            .WithSummary("Your organisation's referrals, most recently updated first; status= filters. With since= (and after=, from " +
                         "next): those updated since, oldest change first, once 30 seconds old, and next continues after the last one listed.")
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

    private static async Task<Ok<ReferralList>> ListAsync(HttpContext http, IDocumentStore store, TimeProvider time, string? status,
        string? since, string? after, string? limit, CancellationToken ct)
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

        Guid? afterId = null;
        if (after is not null)
        {
            if (since is null)
            {
                errors.Add("after", "Use after only with since (both from next).");
            }
            else if (Guid.TryParseExact(after, "D", out var parsed))
            {
                afterId = parsed;
            }
            else
            {
                errors.Add("after", "Use the referral id from next.");
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
        const string filter = "data->>'organisationId' = any(?) and (?::text is null or data->>'status' = ?) ";
        if (from is not { } start)
        {
            var latest = await session.QueryAsync<Referral>(
                filter + "order by (data->>'updatedAt')::timestamptz desc limit ?",
                [organisations, wanted?.ToString(), wanted?.ToString(), take], ct);
            return TypedResults.Ok(new ReferralList(latest.Select(Summary).ToList(), take));
        }

        // Oldest change first from a cursor (updatedAt, id), so a client following next sees every change once however
        // many changed, once settled (SettlingTime). Instants go as text and are cast as the stored one is, so all round
        // alike (microseconds).
        var cursor = start.ToString("O", CultureInfo.InvariantCulture);
        var settled = (time.GetUtcNow() - SettlingTime).ToString("O", CultureInfo.InvariantCulture);
        var changed = await session.QueryAsync<Referral>(
            filter + "and ((data->>'updatedAt')::timestamptz > ?::timestamptz " +
            "or ((data->>'updatedAt')::timestamptz = ?::timestamptz and (?::uuid is null or id::uuid > ?::uuid))) " +
            "and (data->>'updatedAt')::timestamptz < ?::timestamptz " +
            "order by (data->>'updatedAt')::timestamptz, id::uuid limit ?",
            [organisations, wanted?.ToString(), wanted?.ToString(), cursor, cursor, afterId, afterId, settled, take], ct);
        var (nextSince, nextAfter) = changed.Count > 0 ? (changed[^1].UpdatedAt, changed[^1].Id) : (start, afterId);
        var next = "/referrals?since=" + Uri.EscapeDataString(nextSince.ToString("O", CultureInfo.InvariantCulture)) +
                   (nextAfter is { } id ? "&after=" + id.ToString("D") : "") +
                   (wanted is { } s ? "&status=" + s : "") + "&limit=" + take.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok(new ReferralList(changed.Select(Summary).ToList(), take, next));
    }

    private static ReferralSummary Summary(Referral r) =>
        new(r.Id, r.OrganisationId, r.Status, r.Escalated, r.ProgrammeId, r.SubmittedAt, r.UpdatedAt) { PersonalDataErasedAt = r.PersonalDataErasedAt };
}
