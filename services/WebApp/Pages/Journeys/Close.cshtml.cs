using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>Closure with its reason; support-plan refuses while closing measures are due and no reason is given for skipping them.</summary>
public sealed class CloseModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public CloseInput Input { get; set; } = new();

    public ClosurePrompt? Prompt { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(setVersion: true) ?? await AfterRedisplayAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        return await ChangeAsync("closure", new
        {
            reason = Input.Reason,
            note = string.IsNullOrWhiteSpace(Input.Note) ? null : Input.Note.Trim(),
            closingMeasuresSkippedReason = string.IsNullOrWhiteSpace(Input.ClosingMeasuresSkippedReason) ? null : Input.ClosingMeasuresSkippedReason.Trim(),
        }, "The journey is closed. The closing summary goes to the GP as the person's consent allows.", f => Choices.Field(f));
    }

    protected override async Task<IActionResult> AfterRedisplayAsync()
    {
        Prompt = await SupportPlan.ClosurePromptAsync(JourneyId, HttpContext.RequestAborted);
        return Page();
    }
}

public sealed class CloseInput
{
    [Required(ErrorMessage = "Select why the journey is ending")]
    public string? Reason { get; set; }

    public string? Note { get; set; }

    public string? ClosingMeasuresSkippedReason { get; set; }
}
