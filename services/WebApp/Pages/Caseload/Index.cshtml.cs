using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Caseload;

public sealed class IndexModel(SupportPlanClient supportPlan) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public bool IncludeClosed { get; set; }

    public IReadOnlyList<JourneySummary> Journeys { get; private set; } = [];

    public CaseloadTable Table => new(Journeys, "Your caseload");

    public async Task OnGetAsync() => Journeys = await supportPlan.CaseloadAsync(IncludeClosed, HttpContext.RequestAborted);
}
