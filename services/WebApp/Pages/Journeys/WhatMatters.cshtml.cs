using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>The "what matters to you" assessment: the person's words and, optionally, a need with its priority.</summary>
public sealed class WhatMattersModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public WhatMattersInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        var failed = await LoadAsync(setVersion: true);
        Input.Narrative = Journey?.Assessment.WhatMatters ?? Journey?.Referral.WhatMatters;
        return failed ?? Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        var narrative = await SendAsync("assessment/what-matters", new { narrative = Input.Narrative!.Trim() }, HttpMethod.Put);
        if (narrative.Problem is { } problem)
        {
            return await ShowProblemAsync(problem, f => f == "narrative" ? "Input.Narrative" : null);
        }

        if (!string.IsNullOrEmpty(Input.Domain))
        {
            var need = await SendAsync("assessment/needs", new
            {
                domain = Input.Domain,
                priority = Input.Priority ?? "Medium",
                description = string.IsNullOrWhiteSpace(Input.NeedDescription) ? null : Input.NeedDescription.Trim(),
            });
            if (need.Problem is { } needProblem)
            {
                return await ShowProblemAsync(needProblem, f => f == "description" ? "Input.NeedDescription" : Choices.Field(f));
            }
        }

        TempData["Success"] = "What matters to the person is recorded.";
        return Redirect(JourneyUrl);
    }
}

public sealed class WhatMattersInput
{
    [Required(ErrorMessage = "Enter what matters to the person")]
    public string? Narrative { get; set; }

    public string? Domain { get; set; }

    public string? Priority { get; set; }

    public string? NeedDescription { get; set; }
}
