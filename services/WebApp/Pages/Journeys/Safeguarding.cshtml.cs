using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

public sealed class SafeguardingModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public SafeguardingInput Input { get; set; } = new();

    /// <summary>
    /// Made when the form is shown and sent with every post of it (support-plan's idempotency key), so the same concern sent
    /// again, after an answer lost to a timeout or a second press, is raised, and escalated, once. Support-plan derives the
    /// concern from it and the content, so the form redisplayed after an error and edited is raised as a new concern (HAZ-001).
    /// </summary>
    [BindProperty]
    public Guid RaiseKey { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        // Never kept by the browser: Back must fetch the form again, with a new key, not restore one already used (HAZ-001).
        // The form's anti-forgery token sets the same; said here so the page does not depend on it (and no-cache with no-store
        // so anti-forgery does not log that it overrode the header).
        Response.Headers.CacheControl = "no-cache, no-store";
        RaiseKey = Guid.NewGuid();
        return await LoadAsync(setVersion: true) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        return await ChangeAsync("safeguarding-concerns",
            new
            {
                crisis = Input.Crisis == true, indicators = Array.Empty<string>(), details = Input.Details!.Trim(),
                idempotencyKey = RaiseKey == Guid.Empty ? (Guid?)null : RaiseKey,
            },
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
