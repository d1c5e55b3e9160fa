using Referrals.Intake.People;

namespace Referrals.Intake.Submitting;

/// <summary>
/// The optional <c>Referrals-Identity-Confirmed</c> request header: <c>true</c> when the referrer has checked that details
/// differing from those held for the NHS number are still the same person (HAZ-003 C3). A header, not a field, so that
/// JSON and FHIR referrals confirm alike. Anything but a single <c>true</c> is no confirmation, never a refusal: a
/// referral is not turned away over a header.
/// </summary>
public static class IdentityConfirmation
{
    public static bool Read(HttpRequest request)
    {
        var values = request.Headers[IdentityCheck.ConfirmationHeader];
        return values.Count == 1 && string.Equals(values[0]?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    }
}
