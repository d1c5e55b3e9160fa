using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Worklist;

public sealed class IndexModel(TriageClient triage) : PageModel
{
    public Api.Worklist Worklist { get; private set; } = null!;

    public async Task OnGetAsync() => Worklist = await triage.WorklistAsync(HttpContext.RequestAborted);

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
