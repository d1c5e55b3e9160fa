using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

public sealed class PlanAgreementModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public PlanAgreementInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(setVersion: true) ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (Input.PersonAgreed == false)
        {
            ModelState.AddModelError("Input.PersonAgreed", "The plan can only be recorded as agreed when the person agrees it");
        }

        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        return await ChangeAsync("plan/agreement", new { personAgreed = true, nextReviewDate = Input.NextReviewDate }, "The plan is agreed.",
            f => Choices.Field(f));
    }
}

public sealed class PlanAgreementInput
{
    [Required(ErrorMessage = "Select whether the person agrees the plan")]
    public bool? PersonAgreed { get; set; }

    public DateOnly? NextReviewDate { get; set; }
}
