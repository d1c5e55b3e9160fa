using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

public sealed class GoalModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public GoalInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(setVersion: true) ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        return await ChangeAsync("plan/goals", new
        {
            description = Input.Description!.Trim(),
            targetDate = Input.TargetDate,
            reviewDate = Input.ReviewDate,
        }, "Goal added to the plan.", f => Choices.Field(f));
    }
}

public sealed class GoalInput
{
    [Required(ErrorMessage = "Enter the goal")]
    [StringLength(500, ErrorMessage = "The goal must be 500 characters or fewer")]
    public string? Description { get; set; }

    public DateOnly? TargetDate { get; set; }

    public DateOnly? ReviewDate { get; set; }
}
