using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>
/// Closure with its reason; support-plan refuses while closing measures are due and no reason is given for skipping them, and
/// while a safeguarding concern triage has not confirmed is open and no reason is given for closing anyway (HAZ-001 C9), and
/// while a further referral nobody has read is on the journey (HAZ-001 C11; the page links to it).
/// </summary>
public sealed class CloseModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public CloseInput Input { get; set; } = new();

    public ClosurePrompt? Prompt { get; private set; }

    /// <summary>The reasons the journey may close with now (all of them until the prompt says otherwise).</summary>
    public IReadOnlyList<Choice> Reasons =>
        Prompt?.Reasons is { } allowed ? Choices.ClosureReasons.Where(c => allowed.Contains(c.Value, StringComparer.Ordinal)).ToList() : Choices.ClosureReasons;

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
            closeWithUnconfirmedConcernReason = string.IsNullOrWhiteSpace(Input.CloseWithUnconfirmedConcernReason)
                ? null
                : Input.CloseWithUnconfirmedConcernReason.Trim(),
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

    public string? CloseWithUnconfirmedConcernReason { get; set; }
}
