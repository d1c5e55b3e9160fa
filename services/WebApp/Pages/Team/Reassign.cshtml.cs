using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Team;

/// <summary>A team lead gives a referral to a worker: from the queue, from their hold, or from another worker.</summary>
public sealed class ReassignModel(TriageClient triage) : TeamPageModel
{
    [FromRoute]
    public Guid ReferralId { get; set; }

    [BindProperty]
    public long Version { get; set; }

    [BindProperty]
    public string? LinkWorkerId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public TriageReferral Referral { get; private set; } = null!;

    public IReadOnlyList<WorkerCapacity> Workers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var failed = await LoadAsync();
        Version = failed is null ? Referral.Version : 0;
        return failed ?? Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(LinkWorkerId))
        {
            ModelState.AddModelError(nameof(LinkWorkerId), "Select who should take the referral");
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            ModelState.AddModelError(nameof(Reason), "Enter why you are reassigning it");
        }

        if (ModelState.IsValid)
        {
            var result = await triage.ReassignAsync(ReferralId, LinkWorkerId!, Reason!.Trim(), Version, HttpContext.RequestAborted);
            if (result.Problem is null)
            {
                TempData["Success"] = $"Referral {Labels.Reference(ReferralId)} is now offered to {LinkWorkerId}.";
                // Back to the queue of the referral's programme, not the team lead's first.
                return result.Value is { } reassigned ? Redirect($"/team?programme={Uri.EscapeDataString(reassigned.ProgrammeId)}") : Redirect("/team");
            }

            if (result.Problem.IsVersionConflict)
            {
                ModelState.AddModelError(string.Empty,
                    "Someone else changed this referral while you were deciding, so it was not reassigned. Your choice is kept: check the referral below and reassign again.");
                ModelState.Remove(nameof(Version));
                var failedReload = await LoadAsync();
                Version = Referral?.Version ?? Version;
                return failedReload ?? Page();
            }

            foreach (var (field, messages) in result.Problem.Errors)
            {
                ModelState.AddModelError(field == "linkWorkerId" ? nameof(LinkWorkerId) : nameof(Reason), string.Join(' ', messages));
            }

            if (result.Problem.Errors.Count == 0)
            {
                ModelState.AddModelError(nameof(LinkWorkerId), result.Problem.Message);
            }
        }

        return await LoadAsync() ?? Page();
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var referral = await triage.ReferralAsync(ReferralId, HttpContext.RequestAborted);
        if (referral.Value is null)
        {
            return StatusCode(referral.Problem?.Status is 403 or 404 ? referral.Problem.Status : 502);
        }

        Referral = referral.Value;
        Workers = (await triage.QueueAsync(Referral.ProgrammeId, HttpContext.RequestAborted)).Workers.Where(w => w.Active).ToList();
        return null;
    }
}
