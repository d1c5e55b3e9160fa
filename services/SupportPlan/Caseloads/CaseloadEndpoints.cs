using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.GpRecords;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Caseloads;

/// <summary>One line of a caseload or journey list.</summary>
public sealed record JourneySummary(
    Guid JourneyId,
    long Version,
    Guid PersonId,
    string? PersonName,
    string ProgrammeId,
    JourneyStatus Status,
    string? LinkWorkerId,
    string RegisteredPracticeOds,
    Priority Priority,
    Tier RequiredTier,
    bool Escalated,
    bool AgreementDue,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? LastContactAt,
    DateTimeOffset? DormantSince,
    DateOnly? NextReviewDate,
    int ContactCount,
    int SafeguardingConcerns,
    bool Crisis,
    bool LoneWorkingAlert,
    DateTimeOffset? ClosedAt,
    ClosureReason? ClosureReason,
    bool UnconfirmedConcern,
    int UnacknowledgedFurtherReferrals,
    bool UnacknowledgedFurtherReferralCarriesRisk,
    bool NotYetInGpRecord = false)
{
    /// <summary>
    /// A journey's line; <paramref name="confirmations"/> holds its concerns' confirmation by triage, by concern id, and
    /// <paramref name="gpDeliveries"/> its GP delivery state, by journey id (HAZ-005 C12).
    /// </summary>
    public static JourneySummary Of(Journey j, IReadOnlyDictionary<Guid, ConcernConfirmation> confirmations,
        IReadOnlyDictionary<Guid, GpRecordDelivery>? gpDeliveries = null) => new(j.Id, j.Version, j.PersonId,
        j.Person is { } p ? $"{p.GivenName} {p.FamilyName}" : null, j.ProgrammeId, j.Status, j.LinkWorkerId, j.Referral.RegisteredPracticeOds,
        j.Referral.Priority, j.Referral.RequiredTier, j.Referral.Escalated, j.AgreementDue, j.RegisteredAt, j.OpenedAt, j.LastContactAt,
        j.DormantSince, j.NextReviewDate, j.Contacts.Count, j.Concerns.Count, j.Concerns.Exists(c => c.Crisis), j.Visits.Exists(v => v.AlertOutstanding),
        j.ClosedAt, j.ClosureReason, j.Concerns.Exists(c => confirmations.GetValueOrDefault(c.ConcernId)?.Unconfirmed ?? false),
        j.FurtherReferrals.Count(f => f.AcknowledgedAt is null), j.FurtherReferrals.Exists(f => f.AcknowledgedAt is null && f.ReportsRisk()),
        gpDeliveries?.GetValueOrDefault(j.Id)?.NotYetInGpRecord ?? false);
}

/// <summary>A page of a filtered journey list; ask for the next page while <see cref="HasMore"/>.</summary>
public sealed record JourneyPage(IReadOnlyList<JourneySummary> Journeys, int Page, int PageSize, bool HasMore);

/// <summary>A home visit whose worker has not checked out by its expected end, with no team lead yet in charge of it.</summary>
public sealed record OverdueVisit(Guid JourneyId, Guid VisitId, string ProgrammeId, string LinkWorkerId, DateTimeOffset CheckedInAt,
    DateTimeOffset ExpectedEnd, DateTimeOffset AlertRaisedAt);

/// <summary>
/// Caseloads and lists, read from the inline journey documents. A link worker sees only their own caseload; a team lead sees
/// the journeys of their programme(s), filtered. Every journey shown is recorded in the access audit.
/// </summary>
public static class CaseloadEndpoints
{
    public const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapCaseloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/caseload", MyCaseload).RequireAuthorization(Roles.LinkWorker).WithTags("Caseloads").WithName("GetMyCaseload")
            .WithSummary("The link worker's own caseload, dormant journeys included, and closed ones with a safeguarding concern triage has not confirmed or a further referral nobody has read; every closed one with includeClosed=true. What needs attention comes first: an overdue home-visit check-out, an unconfirmed concern, an unread further referral reporting risk, an urgent journey, any other unread further referral; then the longest without contact.");
        app.MapGet("/link-workers/{linkWorkerId}/caseload", WorkerCaseload).RequireAuthorization(Roles.TeamLead).WithTags("Caseloads")
            .WithName("GetWorkerCaseload").WithSummary("A worker's caseload within the team lead's programme(s), in the same order as the worker's own.");
        app.MapGet("/journeys", List).RequireAuthorization(Roles.TeamLead).WithTags("Caseloads").WithName("ListJourneys")
            .WithSummary("The team lead's filtered journey list (programme, status, worker, priority, practice, safeguarding, unconfirmed concern, alerts, unread further referral).");
        app.MapGet("/lone-working/overdue", Overdue).RequireAuthorization(Roles.TeamLead).WithTags("Caseloads").WithName("ListOverdueHomeVisits")
            .WithSummary("Home visits not checked out by their expected end, in the team lead's programme(s).");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<JourneySummary>>, ProblemHttpResult>> MyCaseload(bool? includeClosed, HttpContext http,
        IDocumentStore store, JourneyReads reads)
    {
        if (http.User.LinkWorkerId() is not { Length: > 0 } worker)
        {
            return TypedResults.Problem(statusCode: 403, title: "Your token names no link worker (link_worker_id).");
        }

        return TypedResults.Ok(await CaseloadAsync(http, store, reads, worker, null, includeClosed == true, "assigned link worker (own caseload)"));
    }

    private static async Task<Results<Ok<IReadOnlyList<JourneySummary>>, ProblemHttpResult>> WorkerCaseload(string linkWorkerId, bool? includeClosed,
        HttpContext http, IDocumentStore store, JourneyReads reads) =>
        TypedResults.Ok(await CaseloadAsync(http, store, reads, linkWorkerId, http.User.Programmes().ToArray(), includeClosed == true,
            "team lead of the journey's programme (worker caseload)"));

    private static async Task<IReadOnlyList<JourneySummary>> CaseloadAsync(HttpContext http, IDocumentStore store, JourneyReads reads, string worker,
        string[]? programmes, bool includeClosed, string basis)
    {
        var sql = new StringBuilder("data->>'linkWorkerId' = ?");
        var args = new List<object?> { worker };
        if (programmes is not null)
        {
            sql.Append(" and data->>'programmeId' = any(?)");
            args.Add(programmes);
        }

        await using var session = store.QuerySession();
        if (!includeClosed)
        {
            // A journey closed over a concern triage has not confirmed (a withdrawal cannot be refused) stays until it is (HAZ-001 C9);
            // one closed over a further referral nobody read (a withdrawal, or one recorded after the closure) until it is read (C11).
            sql.Append(" and (data->>'status' <> 'Closed' or ").Append(ConcernNotConfirmedOf(store.Options)).Append(" or ")
                .Append(FurtherReferralUnread).Append(')');
            args.Add(session.TenantId);
        }

        // By the moment, not the text: contacts keep the offset they were given in (a summer time from the web app is +01:00).
        sql.Append(" order by (data->>'lastContactAt')::timestamptz nulls first, id");
        var journeys = await session.QueryAsync<Journey>(sql.ToString(), [.. args], http.RequestAborted);
        await reads.RecordListAsync(http, journeys.Select(j => j.Id).ToList(), "ListCaseload", basis);
        var confirmations = await ConcernConfirmation.OfAsync(session, journeys, http.RequestAborted);
        var gpDeliveries = await GpRecordDelivery.OfAsync(session, journeys, http.RequestAborted);
        return CaseloadOrder.AttentionFirst(journeys.Select(j => JourneySummary.Of(j, confirmations, gpDeliveries)));
    }

    private static async Task<Results<Ok<JourneyPage>, ProblemHttpResult>> List(string? programme, JourneyStatus? status, string? linkWorkerId,
        bool? unassigned, Priority? priority, string? practice, bool? safeguarding, bool? unconfirmedConcern, bool? loneWorkingAlert,
        bool? unreadFurtherReferral, int? page, int? pageSize, HttpContext http, IDocumentStore store, JourneyReads reads)
    {
        var mine = http.User.Programmes();
        if (programme is not null && !mine.Contains(programme, StringComparer.Ordinal))
        {
            return TypedResults.Problem(statusCode: 403, title: "You are not a team lead of this programme");
        }

        var size = pageSize ?? 50;
        var number = page ?? 1;
        new Validation()
            .Check(size is >= 1 and <= MaxPageSize, "pageSize", $"From 1 to {MaxPageSize}.")
            .Check(number >= 1, "page", "Pages count from 1.")
            .ThrowIfAny();

        var sql = new StringBuilder("data->>'programmeId' = any(?)");
        var args = new List<object?> { programme is null ? mine.ToArray() : new[] { programme } };
        void Where(string condition, object? arg)
        {
            sql.Append(" and ").Append(condition);
            if (arg is not null)
            {
                args.Add(arg);
            }
        }

        if (status is { } s)
        {
            Where("data->>'status' = ?", s.ToString());
        }

        if (linkWorkerId is not null)
        {
            Where("data->>'linkWorkerId' = ?", linkWorkerId);
        }

        if (unassigned is { } u)
        {
            Where(u ? "data->>'linkWorkerId' is null" : "data->>'linkWorkerId' is not null", null);
        }

        if (priority is { } p)
        {
            Where("data->'referral'->>'priority' = ?", p.ToString());
        }

        if (practice is not null)
        {
            Where("data->'referral'->>'registeredPracticeOds' = ?", practice.ToUpperInvariant());
        }

        if (safeguarding is { } g)
        {
            Where(g ? "jsonb_array_length(coalesce(data->'concerns', '[]'::jsonb)) > 0" : "jsonb_array_length(coalesce(data->'concerns', '[]'::jsonb)) = 0", null);
        }

        await using var session = store.QuerySession();
        if (unconfirmedConcern is { } c)
        {
            // In SQL, so that paging reaches every such journey, not only those among the first pages (HAZ-001 C7).
            Where((c ? string.Empty : "not ") + UnconfirmedConcernOf(store.Options), session.TenantId);
        }

        if (loneWorkingAlert is { } a)
        {
            Where((a ? string.Empty : "not ") + OutstandingAlert, null);
        }

        if (unreadFurtherReferral is { } f)
        {
            // Closed ones included: a journey closed before any worker took it on is on nobody's caseload, so this list is where
            // its further referral reaches someone (HAZ-001 C11, HAZ-007). In SQL, so paging reaches every such journey.
            Where((f ? string.Empty : "not ") + FurtherReferralUnread, null);
        }

        sql.Append(CultureInfo.InvariantCulture, $" order by data->>'registeredAt' desc, id limit {size + 1} offset {(number - 1) * size}");
        var journeys = await session.QueryAsync<Journey>(sql.ToString(), [.. args], http.RequestAborted);
        var shown = journeys.Take(size).ToList();
        await reads.RecordListAsync(http, shown.Select(j => j.Id).ToList(), "ListJourneys", "team lead of the journey's programme (journey list)");
        var confirmations = await ConcernConfirmation.OfAsync(session, shown, http.RequestAborted);
        var gpDeliveries = await GpRecordDelivery.OfAsync(session, shown, http.RequestAborted);
        return TypedResults.Ok(new JourneyPage(shown.Select(j => JourneySummary.Of(j, confirmations, gpDeliveries)).ToList(), number, size,
            journeys.Count > size));
    }

    private static async Task<Ok<IReadOnlyList<OverdueVisit>>> Overdue(HttpContext http, IDocumentStore store, JourneyReads reads)
    {
        await using var session = store.QuerySession();
        var journeys = await session.QueryAsync<Journey>($"data->>'programmeId' = any(?) and {OutstandingAlert}", [http.User.Programmes().ToArray()],
            http.RequestAborted);
        await reads.RecordListAsync(http, journeys.Select(j => j.Id).ToList(), "ListOverdueHomeVisits", "team lead of the journey's programme (lone working)");
        IReadOnlyList<OverdueVisit> visits = journeys
            .SelectMany(j => j.Visits.Where(v => v.AlertOutstanding)
                .Select(v => new OverdueVisit(j.Id, v.VisitId, j.ProgrammeId, v.LinkWorkerId, v.CheckedInAt, v.ExpectedEnd, v.OverdueAlertRaisedAt!.Value)))
            .OrderBy(v => v.ExpectedEnd).ToList();
        return TypedResults.Ok(visits);
    }

    /// <summary>
    /// One of the journey's concerns is <see cref="ConcernConfirmation.Unconfirmed"/> (a check flagged it, triage has not confirmed
    /// it since): <see cref="JourneySummary.UnconfirmedConcern"/>, read from the same confirmation documents. Its placeholder is
    /// the tenant. The concerns come first in the subquery's FROM, so their <c>data</c> is the journey's, not the confirmation's.
    /// </summary>
    private static string UnconfirmedConcernOf(EventStoreOptions store) =>
        "exists (select 1 from jsonb_array_elements(coalesce(data->'concerns', '[]'::jsonb)) concern " +
        $"join {store.Schema}.{store.Documents.For<ConcernConfirmation>().TableName} confirmation " +
        "on confirmation.tenant_id = ? and confirmation.id = concern->>'concernId' " +
        "where confirmation.data->>'confirmedAt' is null and coalesce((confirmation.data->>'unconfirmedChecks')::int, 0) > 0)";

    /// <summary>
    /// One of the journey's concerns has no confirmation from triage, flagged by a check or not yet checked: the closure rule's
    /// "unconfirmed" (<see cref="Closing.ClosureDecider.UnconfirmedConcerns"/>). Its placeholder is the tenant.
    /// </summary>
    private static string ConcernNotConfirmedOf(EventStoreOptions store) =>
        "exists (select 1 from jsonb_array_elements(coalesce(data->'concerns', '[]'::jsonb)) concern " +
        $"where not exists (select 1 from {store.Schema}.{store.Documents.For<ConcernConfirmation>().TableName} confirmation " +
        "where confirmation.tenant_id = ? and confirmation.id = concern->>'concernId' and confirmation.data->>'confirmedAt' is not null))";

    /// <summary>A further referral nobody has acknowledged.</summary>
    private const string FurtherReferralUnread =
        "exists (select 1 from jsonb_array_elements(coalesce(data->'furtherReferrals', '[]'::jsonb)) f where f->>'acknowledgedAt' is null)";

    /// <summary>A visit with an overdue alert that is neither checked out nor acknowledged.</summary>
    private const string OutstandingAlert =
        "exists (select 1 from jsonb_array_elements(coalesce(data->'visits', '[]'::jsonb)) v where v->>'overdueAlertRaisedAt' is not null " +
        "and v->>'checkedOutAt' is null and v->>'alertAcknowledgedAt' is null)";
}
