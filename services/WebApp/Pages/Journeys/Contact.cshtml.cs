using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>A contact, an attempt or indirect work; when it happened defaults to now (UK time), for one recorded later.</summary>
public sealed class ContactModel(SupportPlanClient supportPlan, TimeProvider clock) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public ContactInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        Input.OccurredAt = DateTime.Parse(Labels.LocalInput(clock.GetUtcNow()), CultureInfo.InvariantCulture);
        return await LoadAsync(setVersion: true) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The input has minutes only, so now is still the minute it is; support-plan refuses the future too.
        var occurredAt = Input.OccurredAt is { } local ? Labels.FromLocalInput(local) : (DateTimeOffset?)null;
        if (occurredAt > clock.GetUtcNow())
        {
            ModelState.AddModelError("Input.OccurredAt", "When it happened cannot be in the future");
        }

        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        return await ChangeAsync("contacts", new
        {
            kind = Input.Kind,
            outcome = Input.Outcome,
            durationMinutes = Input.DurationMinutes,
            occurredAt,
            venue = string.IsNullOrWhiteSpace(Input.Venue) ? null : Input.Venue.Trim(),
            note = string.IsNullOrWhiteSpace(Input.Note) ? null : Input.Note.Trim(),
        }, "Contact recorded.", f => Choices.Field(f));
    }
}

public sealed class ContactInput
{
    [Required(ErrorMessage = "Select what kind of contact it was")]
    public string? Kind { get; set; }

    [Required(ErrorMessage = "Select what happened")]
    public string? Outcome { get; set; }

    [Required(ErrorMessage = "Enter how long it took, in minutes")]
    [Range(0, 600, ErrorMessage = "How long it took must be between 0 and 600 minutes")]
    public int? DurationMinutes { get; set; }

    /// <summary>When it happened, UK time (none: now).</summary>
    public DateTime? OccurredAt { get; set; }

    public string? Venue { get; set; }

    public string? Note { get; set; }
}
