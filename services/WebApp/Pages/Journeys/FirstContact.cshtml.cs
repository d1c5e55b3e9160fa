using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>
/// The first contact that reached the person, and their decision: agreement (coded once per episode) or decline. A decline
/// closes the journey, so over a safeguarding concern the duty team has not confirmed it needs a reason (HAZ-001 C9), and it
/// waits until every further referral on the journey is read (HAZ-001 C11) and for a home visit's check-out. The contact and the
/// decision are two writes: when the decision fails after the contact was saved, the form says so and carries that the contact is
/// saved (<see cref="FirstContactInput.ContactRecorded"/>), so saving again sends only the decision.
/// </summary>
public sealed class FirstContactModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    [BindProperty]
    public FirstContactInput Input { get; set; } = new();

    /// <summary>The journey's concerns triage has not confirmed, as support-plan's decline rule counts them.</summary>
    public IReadOnlyList<Concern> UnconfirmedConcerns => [.. Journey.SafeguardingConcerns.Where(c => !c.Confirmed)];

    /// <summary>The further referrals nobody has acknowledged, which support-plan's decline rule refuses over.</summary>
    public IReadOnlyList<FurtherReferral> UnreadFurtherReferrals => [.. (Journey.FurtherReferrals ?? []).Where(f => f.Unacknowledged)];

    public const string ContactSavedMessage =
        "The contact is saved; the person's decision is not. Save again to record the decision: the contact will not be recorded twice.";

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(setVersion: true) ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (Input.Decision == "Declined" && string.IsNullOrWhiteSpace(Input.DeclineReason))
        {
            ModelState.AddModelError("Input.DeclineReason", "Enter why the person declined");
        }

        // Checked before the contact is saved, so the worker does not record the contact twice when support-plan refuses the decline.
        if (Input.Decision == "Declined")
        {
            if (await LoadAsync(setVersion: false) is { } failed)
            {
                return failed;
            }

            if (UnreadFurtherReferrals.Count > 0)
            {
                ModelState.AddModelError("Input.Decision",
                    "Read the new referral on the journey page before recording a decline: declining closes the journey, which answers its referrer too");
            }

            if (Journey.HomeVisits.Any(v => v.CheckedIn))
            {
                ModelState.AddModelError("Input.Decision",
                    "Check out of the home visit before recording a decline: declining closes the journey, and the check-out records the visit");
            }

            if (UnconfirmedConcerns.Count > 0 && string.IsNullOrWhiteSpace(Input.CloseWithUnconfirmedConcernReason))
            {
                ModelState.AddModelError("Input.CloseWithUnconfirmedConcernReason",
                    "Enter why you close the journey before the duty team has confirmed the safeguarding concern");
            }
        }

        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        if (!Input.ContactRecorded)
        {
            var contact = await SendAsync("contacts", new
            {
                kind = Input.Kind,
                outcome = "Attended",
                durationMinutes = Input.DurationMinutes,
                note = string.IsNullOrWhiteSpace(Input.Note) ? null : Input.Note.Trim(),
            });
            if (contact.Problem is { } contactProblem)
            {
                return await ShowProblemAsync(contactProblem, f => Choices.Field(f));
            }

            Input.ContactRecorded = true;
        }

        var decision = Input.Decision == "Agreed"
            ? await SendAsync("agreement", new { })
            : await SendAsync("decline", new
            {
                reason = Input.DeclineReason!.Trim(),
                closeWithUnconfirmedConcernReason = string.IsNullOrWhiteSpace(Input.CloseWithUnconfirmedConcernReason)
                    ? null
                    : Input.CloseWithUnconfirmedConcernReason.Trim(),
            });
        if (decision.Problem is { } decisionProblem)
        {
            // The contact is saved; only the decision needs doing again. A conflict's usual message says nothing was saved.
            ModelState.AddModelError(string.Empty, ContactSavedMessage);
            if (decisionProblem.IsVersionConflict)
            {
                ModelState.AddModelError(string.Empty, "Someone else changed this journey meanwhile: check it, then save the decision again.");
                return await RedisplayAsync(takeCurrentVersion: true);
            }

            return await ShowProblemAsync(decisionProblem);
        }

        TempData["Success"] = Input.Decision == "Agreed"
            ? "First contact recorded. The person agreed to social prescribing."
            : "First contact recorded. The person declined, and the journey is closed.";
        return Redirect(JourneyUrl);
    }
}

public sealed class FirstContactInput
{
    [Required(ErrorMessage = "Select how you made contact")]
    public string? Kind { get; set; }

    [Required(ErrorMessage = "Enter how long the contact took, in minutes")]
    [Range(1, 600, ErrorMessage = "How long the contact took must be between 1 and 600 minutes")]
    public int? DurationMinutes { get; set; }

    [Required(ErrorMessage = "Select whether the person agrees to social prescribing")]
    public string? Decision { get; set; }

    public string? DeclineReason { get; set; }

    public string? CloseWithUnconfirmedConcernReason { get; set; }

    public string? Note { get; set; }

    /// <summary>The contact was saved by an earlier post of this form whose decision failed: it is not sent again.</summary>
    public bool ContactRecorded { get; set; }
}
