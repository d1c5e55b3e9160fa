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
    /// </summary>
    [BindProperty]
    public Guid CheckInKey { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        CheckInKey = Guid.NewGuid();
        ExpectedEnd = DateTime.Parse(Labels.LocalInput(clock.GetUtcNow().AddHours(1)), System.Globalization.CultureInfo.InvariantCulture);
        return await LoadAsync(setVersion: true) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
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

        return await ChangeAsync("home-visits",
            new { expectedEnd = Labels.FromLocalInput(ExpectedEnd!.Value), idempotencyKey = CheckInKey == Guid.Empty ? (Guid?)null : CheckInKey },
            $"You checked in. Check out by {Labels.Time(Labels.FromLocalInput(ExpectedEnd!.Value))}.", f => f == "expectedEnd" ? nameof(ExpectedEnd) : null);
    }
}
