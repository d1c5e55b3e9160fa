using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Worklist;

/// <summary>Decline an offer, or hand back an assignment, with the reason triage records.</summary>
public sealed class RespondModel(TriageClient triage) : PageModel
{
    [FromRoute]
    public Guid AssignmentId { get; set; }

    [FromRoute(Name = "response")]
    public string Action { get; set; } = "decline";

    [BindProperty]
    public string? Reason { get; set; }

    public WorklistItem Item { get; private set; } = null!;

    public bool IsDecline => Action == "decline";

    public string Heading => IsDecline ? "Decline this referral" : "Hand back this referral";

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            ModelState.AddModelError(nameof(Reason), IsDecline ? "Enter why you are declining this referral" : "Enter why you are handing this referral back");
            return Page();
        }

        var result = IsDecline
            ? await triage.DeclineAsync(AssignmentId, Reason.Trim(), HttpContext.RequestAborted)
            : await triage.HandBackAsync(AssignmentId, Reason.Trim(), HttpContext.RequestAborted);
        if (result.Problem is { } problem)
        {
            foreach (var (_, messages) in problem.Errors)
            {
                ModelState.AddModelError(nameof(Reason), string.Join(' ', messages));
            }

            if (problem.Errors.Count == 0)
            {
                ModelState.AddModelError(string.Empty, problem.Message);
            }

            return Page();
        }

        TempData["Success"] = $"Referral {Labels.Reference(Item.ReferralId)} was {(IsDecline ? "declined" : "handed back")}.";
        return Redirect("/worklist");
    }

    private async Task<bool> LoadAsync()
    {
        var list = await triage.WorklistAsync(HttpContext.RequestAborted);
        Item = list.Assignments.FirstOrDefault(a => a.AssignmentId == AssignmentId)!;
        return Item is not null;
    }
}
