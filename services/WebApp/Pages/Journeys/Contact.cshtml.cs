using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

public sealed class ContactModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public ContactInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(setVersion: true) ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        return await ChangeAsync("contacts", new
        {
            kind = Input.Kind,
            outcome = Input.Outcome,
            durationMinutes = Input.DurationMinutes,
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

    public string? Venue { get; set; }

    public string? Note { get; set; }
}
