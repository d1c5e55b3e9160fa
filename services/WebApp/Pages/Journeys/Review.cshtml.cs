using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

public sealed class ReviewModel(SupportPlanClient supportPlan, TimeProvider clock) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public ReviewInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        Input.HeldOn = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return await LoadAsync(setVersion: true) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        return await ChangeAsync("reviews", new { heldOn = Input.HeldOn, summary = Input.Summary!.Trim(), nextReviewDate = Input.NextReviewDate },
            "Review recorded.", f => Choices.Field(f));
    }
}

public sealed class ReviewInput
{
    [Required(ErrorMessage = "Enter when the review was held")]
    public DateOnly? HeldOn { get; set; }

    [Required(ErrorMessage = "Enter a summary of the review")]
    public string? Summary { get; set; }

    public DateOnly? NextReviewDate { get; set; }
}
