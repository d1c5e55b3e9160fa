namespace Referrals.Intake.Fhir;

/// <summary>
/// The <c>Prefer: return=</c> a FHIR client may send (RFC 7240; FHIR R4 http.html): <c>minimal</c>, <c>representation</c>
/// or <c>OperationOutcome</c>. A preference is a wish: one that cannot be followed is ignored, and
/// <c>Preference-Applied</c> names only one that was.
/// </summary>
public static class FhirPrefer
{
    public const string Header = "Prefer";

    public const string AppliedHeader = "Preference-Applied";

    public const string Minimal = "minimal";

    public const string Representation = "representation";

    public const string OperationOutcome = "OperationOutcome";

    /// <summary>The return= asked for (in its canonical spelling), or null.</summary>
    public static string? Return(HttpRequest request)
    {
        foreach (var header in request.Headers[Header])
        {
            foreach (var preference in (header ?? "").Split(','))
            {
                var nameAndValue = preference.Split(';')[0].Split('=', 2);
                if (nameAndValue.Length == 2 && nameAndValue[0].Trim().Equals("return", StringComparison.OrdinalIgnoreCase))
                {
                    var value = nameAndValue[1].Trim().Trim('"');
                    return new[] { Minimal, Representation, OperationOutcome }
                        .FirstOrDefault(known => known.Equals(value, StringComparison.OrdinalIgnoreCase));
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Says which return= the answer follows: minimal and OperationOutcome can be; representation cannot, as intake keeps
    /// no FHIR representation of a referral to return.
    /// </summary>
    public static void Applied(HttpResponse response, string? preference)
    {
        if (preference is Minimal or OperationOutcome)
        {
            response.Headers[AppliedHeader] = "return=" + preference;
        }
    }
}
