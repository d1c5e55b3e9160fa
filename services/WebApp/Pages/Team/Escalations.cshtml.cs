using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Team;

public sealed class EscalationsModel(TriageClient triage) : TeamPageModel
{
    public IReadOnlyList<EscalationSummary> Escalations { get; private set; } = [];

    public async Task OnGetAsync() =>
        Escalations = (await triage.QueueAsync(ProgrammeId, HttpContext.RequestAborted)).UnacknowledgedEscalations;

    public async Task<IActionResult> OnPostAsync(Guid escalationId)
    {
        var escalation = (await triage.QueueAsync(ProgrammeId, HttpContext.RequestAborted)).UnacknowledgedEscalations
            .FirstOrDefault(e => e.EscalationId == escalationId);
        var result = await triage.AcknowledgeEscalationAsync(escalationId, HttpContext.RequestAborted);
        if (result.Problem is { } problem)
        {
            ModelState.AddModelError(string.Empty, problem.Message);
            await OnGetAsync();
            return Page();
        }

        TempData["Success"] = $"You acknowledged the escalation for referral {Labels.Reference(escalation?.ReferralId ?? escalationId)}. The duty chain has stopped.";
        return RedirectToPage();
    }
}
