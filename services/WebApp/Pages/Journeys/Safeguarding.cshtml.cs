using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

public sealed class SafeguardingModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public SafeguardingInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(setVersion: true) ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        return await ChangeAsync("safeguarding-concerns",
            new { crisis = Input.Crisis == true, indicators = Array.Empty<string>(), details = Input.Details!.Trim() },
            "Safeguarding concern raised. It has been escalated.", f => Choices.Field(f));
    }
}

public sealed class SafeguardingInput
{
    [Required(ErrorMessage = "Select whether the person is in crisis now")]
    public bool? Crisis { get; set; }

    [Required(ErrorMessage = "Enter what happened")]
    public string? Details { get; set; }
}
