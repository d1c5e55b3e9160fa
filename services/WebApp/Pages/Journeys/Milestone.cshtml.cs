using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

public sealed class MilestoneModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [FromRoute]
    public Guid GoalId { get; set; }

    [BindProperty]
    public MilestoneInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(setVersion: true) ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        return await ChangeAsync($"plan/goals/{GoalId}/milestones", new { description = Input.Description!.Trim(), targetDate = Input.TargetDate },
            "Milestone added.", f => Choices.Field(f));
    }
}

public sealed class MilestoneInput
{
    [Required(ErrorMessage = "Enter the milestone")]
    public string? Description { get; set; }

    public DateOnly? TargetDate { get; set; }
}
