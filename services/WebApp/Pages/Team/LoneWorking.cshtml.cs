using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Team;

/// <summary>
/// Overdue home-visit check-outs (HAZ-008) in every programme the team lead leads: support-plan's list covers all their programme
/// claims, so each row names its programme when they lead several.
/// </summary>
public sealed class LoneWorkingModel(SupportPlanClient supportPlan) : TeamPageModel
{
    public IReadOnlyList<OverdueVisit> Overdue { get; private set; } = [];

    /// <summary>The journey whose visit alert was just acknowledged: the page links to it, where the team lead may now check the visit out.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Acknowledged { get; set; }

    public async Task OnGetAsync() => Overdue = await supportPlan.OverdueVisitsAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync(Guid journeyId, Guid visitId)
    {
        var result = await supportPlan.ChangeAsync(journeyId, $"home-visits/{visitId}/alert-acknowledgement", null, null, ct: HttpContext.RequestAborted);
        if (result.Problem is { } problem)
        {
            ModelState.AddModelError(string.Empty, problem.Message);
            await OnGetAsync();
            return Page();
        }

        TempData["Success"] = "The overdue check-out is acknowledged.";
        return RedirectToPage(new { acknowledged = journeyId });
    }
}
