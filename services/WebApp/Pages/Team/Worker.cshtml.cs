using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;
using Referrals.WebApp.Pages.Caseload;

namespace Referrals.WebApp.Pages.Team;

/// <summary>
/// A worker's caseload as their team lead sees it (HAZ-021 C2, HAZ-001): support-plan's <c>GET /link-workers/{id}/caseload</c>,
/// the worker's journeys in the team lead's programmes only, in the order and with the marks of the worker's own caseload. A
/// worker who is away or has left keeps their journeys (open, dormant, urgent), and this is where someone else sees them.
/// </summary>
public sealed class WorkerModel(SupportPlanClient supportPlan) : TeamPageModel
{
    [BindProperty(SupportsGet = true)]
    public string LinkWorkerId { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public bool IncludeClosed { get; set; }

    public IReadOnlyList<JourneySummary> Journeys { get; private set; } = [];

    public CaseloadTable Table => new(Journeys, $"Caseload of {LinkWorkerId}", ShowProgramme: SeveralProgrammes);

    /// <summary>This page, with or without the closed journeys.</summary>
    public string Link(bool includeClosed) => $"/team/workers/{Uri.EscapeDataString(LinkWorkerId)}{(includeClosed ? "?includeClosed=true" : "")}";

    public async Task OnGetAsync() =>
        Journeys = await supportPlan.WorkerCaseloadAsync(LinkWorkerId, IncludeClosed, HttpContext.RequestAborted);
}
