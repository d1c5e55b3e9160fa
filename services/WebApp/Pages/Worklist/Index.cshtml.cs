using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Worklist;

public sealed class IndexModel(TriageClient triage, SupportPlanClient supportPlan) : PageModel
{
    public Api.Worklist Worklist { get; private set; } = null!;

    /// <summary>
    /// The worker's own home visits still checked in, whoever holds the journey now: after a reassignment this is where they
    /// check out (HAZ-008), as they can no longer open the journey.
    /// </summary>
    public IReadOnlyList<MyOpenVisit> OpenVisits { get; private set; } = [];

    /// <summary>Support-plan did not answer: the worklist still shows (escalations must not wait on it), with a warning.</summary>
    public bool OpenVisitsUnavailable { get; private set; }

    public async Task OnGetAsync()
    {
        var visits = LoadOpenVisitsAsync();
        Worklist = await triage.WorklistAsync(HttpContext.RequestAborted);
        await visits;
    }

    private async Task LoadOpenVisitsAsync()
    {
        try
        {
            var result = await supportPlan.MyOpenVisitsAsync(HttpContext.RequestAborted);
            OpenVisits = result.Value ?? [];
            OpenVisitsUnavailable = !result.Succeeded;
        }
        catch (HttpRequestException)
        {
            OpenVisitsUnavailable = true;
        }
    }

    /// <summary>Check-out needs no version: support-plan records it whatever changed on the journey since.</summary>
    public async Task<IActionResult> OnPostCheckOutAsync(Guid journeyId, Guid visitId)
    {
        var result = await supportPlan.ChangeAsync(journeyId, $"home-visits/{visitId}/check-out", new { outcome = "Attended" }, null,
            ct: HttpContext.RequestAborted);
        return await AfterAsync(result.Problem, "You checked out of the home visit. The visit is recorded as a contact.");
    }

    public async Task<IActionResult> OnPostAcceptAsync(Guid assignmentId, Guid referralId)
    {
        var result = await triage.AcceptAsync(assignmentId, HttpContext.RequestAborted);
        return await AfterAsync(result.Problem,
            $"You accepted referral {Labels.Reference(referralId)}. Its journey is on your caseload; open it from this list.");
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(Guid escalationId)
    {
        var result = await triage.AcknowledgeEscalationAsync(escalationId, HttpContext.RequestAborted);
        return await AfterAsync(result.Problem, "You acknowledged the escalation. The duty chain has stopped.");
    }

    private async Task<IActionResult> AfterAsync(ApiProblem? problem, string success)
    {
        if (problem is null)
        {
            TempData["Success"] = success;
            return RedirectToPage();
        }

        ModelState.AddModelError(string.Empty, problem.Message);
        await OnGetAsync();
        return Page();
    }
}
