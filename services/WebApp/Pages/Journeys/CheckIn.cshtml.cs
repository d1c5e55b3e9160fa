using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>Lone working: check in with the expected end; the journey page offers the check-out.</summary>
public sealed class CheckInModel(SupportPlanClient supportPlan, TimeProvider clock) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public DateTime? ExpectedEnd { get; set; }

    /// <summary>
    /// Made when the form is shown and sent with every post of it (support-plan's idempotency key), so the same check-in sent
    /// again, after an answer lost to a timeout or a second press, records one visit and is answered as the first was (HAZ-008).
    /// Support-plan derives the visit from it and the expected end, and refuses (409) a key whose visit was checked out since;
    /// a refusal recorded nothing, so the form comes back with a new key and the worker can check in again from it.
    /// </summary>
    [BindProperty]
    public Guid CheckInKey { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        // Never kept by the browser: Back must fetch the form again, with a new key, not restore one already used (HAZ-008).
        // The form's anti-forgery token sets the same; said here so the page does not depend on it (and no-cache with no-store
        // so anti-forgery does not log that it overrode the header).
        Response.Headers.CacheControl = "no-cache, no-store";
        CheckInKey = Guid.NewGuid();
        ExpectedEnd = DateTime.Parse(Labels.LocalInput(clock.GetUtcNow().AddHours(1)), System.Globalization.CultureInfo.InvariantCulture);
        return await LoadAsync(setVersion: true) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        if (ExpectedEnd is null)
        {
            ModelState.AddModelError(nameof(ExpectedEnd), "Enter when you expect to leave");
        }
        else if (Labels.FromLocalInput(ExpectedEnd.Value) <= clock.GetUtcNow())
        {
            ModelState.AddModelError(nameof(ExpectedEnd), "When you expect to leave must be in the future");
        }

        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        var result = await SendAsync("home-visits",
            new { expectedEnd = Labels.FromLocalInput(ExpectedEnd!.Value), idempotencyKey = CheckInKey == Guid.Empty ? (Guid?)null : CheckInKey });
        if (result.Succeeded)
        {
            TempData["Success"] = $"You checked in. Check out by {Labels.Time(Labels.FromLocalInput(ExpectedEnd!.Value))}.";
            return Redirect(JourneyUrl);
        }

        // Refused: nothing was recorded, so the next press is a new check-in (a timeout or a 5xx keeps the key: it may have landed).
        if (result.Problem!.Status == StatusCodes.Status409Conflict)
        {
            CheckInKey = Guid.NewGuid();
        }

        return await ShowProblemAsync(result.Problem, f => f == "expectedEnd" ? nameof(ExpectedEnd) : null);
    }
}
