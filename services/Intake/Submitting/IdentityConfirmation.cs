using Referrals.Intake.People;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.Submitting;

/// <summary>
/// The optional <c>Referrals-Identity-Confirmed</c> request header: <c>true</c> when the referrer has checked that details
/// differing from those held for the NHS number are still the same person (HAZ-003 C3). A header, not a field, so that
/// JSON and FHIR referrals confirm alike.
/// </summary>
public static class IdentityConfirmation
{
    public static bool Read(HttpRequest request)
    {
        var values = request.Headers[IdentityCheck.ConfirmationHeader];
        if (values.Count == 0)
        {
            return false;
        }

        if (values.Count == 1 && bool.TryParse(values[0], out var confirmed))
        {
            return confirmed;
        }

        throw RequestValidationException.For(IdentityCheck.ConfirmationHeader, "Send " + IdentityCheck.ConfirmationHeader + " once, as true or false.");
    }
}
