using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>The first contact that reached the person, and their decision: agreement (coded once per episode) or decline.</summary>
public sealed class FirstContactModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public FirstContactInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(setVersion: true) ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (Input.Decision == "Declined" && string.IsNullOrWhiteSpace(Input.DeclineReason))
        {
            ModelState.AddModelError("Input.DeclineReason", "Enter why the person declined");
        }

        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        var contact = await SendAsync("contacts", new
        {
            kind = Input.Kind,
            outcome = "Attended",
            durationMinutes = Input.DurationMinutes,
            note = string.IsNullOrWhiteSpace(Input.Note) ? null : Input.Note.Trim(),
        });
        if (contact.Problem is { } contactProblem)
        {
            return await ShowProblemAsync(contactProblem, f => Choices.Field(f));
        }

        var decision = Input.Decision == "Agreed"
            ? await SendAsync("agreement", new { })
            : await SendAsync("decline", new { reason = Input.DeclineReason!.Trim() });
        if (decision.Problem is { } decisionProblem)
        {
            // The contact is saved; only the decision needs doing again.
            return await ShowProblemAsync(decisionProblem);
        }

        TempData["Success"] = Input.Decision == "Agreed"
            ? "First contact recorded. The person agreed to social prescribing."
            : "First contact recorded. The person declined, and the journey is closed.";
        return Redirect(JourneyUrl);
    }
}

public sealed class FirstContactInput
{
    [Required(ErrorMessage = "Select how you made contact")]
    public string? Kind { get; set; }

    [Required(ErrorMessage = "Enter how long the contact took, in minutes")]
    [Range(1, 600, ErrorMessage = "How long the contact took must be between 1 and 600 minutes")]
    public int? DurationMinutes { get; set; }

    [Required(ErrorMessage = "Select whether the person agrees to social prescribing")]
    public string? Decision { get; set; }

    public string? DeclineReason { get; set; }

    public string? Note { get; set; }
}
