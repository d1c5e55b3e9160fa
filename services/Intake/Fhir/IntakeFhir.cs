using System.Text.RegularExpressions;
using Referrals.Fhir;
using Referrals.Fhir.Model;

namespace Referrals.Intake.Fhir;

/// <summary>
/// The few extensions, identifier systems and codes intake reads on top of UK Core, under the project's canonical base.
/// The README shows them in full examples.
/// </summary>
public static partial class IntakeFhir
{
    public const string Base = "https://referrals.local/fhir/";

    /// <summary>On ServiceRequest: the structured risk answers (sub-extensions, valueBoolean) and notes (valueString).</summary>
    public const string RiskExtension = Base + "StructureDefinition/referral-risk";

    /// <summary>On ServiceRequest: what matters to the person, in their words (valueString).</summary>
    public const string WhatMattersExtension = Base + "StructureDefinition/what-matters";

    /// <summary>On ServiceRequest: long-term condition as defined by the GP (valueBoolean).</summary>
    public const string LongTermConditionExtension = Base + "StructureDefinition/long-term-condition";

    /// <summary>On ServiceRequest: the person is a carer (valueBoolean).</summary>
    public const string CarerExtension = Base + "StructureDefinition/carer";

    /// <summary>On Consent: on whose authority (valueCode: person, parent-or-guardian, lasting-power-of-attorney, best-interests-decision).</summary>
    public const string ConsentAuthorityExtension = Base + "StructureDefinition/consent-authority";

    /// <summary>On Consent: who recorded it (valueString).</summary>
    public const string ConsentRecordedByExtension = Base + "StructureDefinition/consent-recorded-by";

    /// <summary>On Consent: how much may be shared back to the GP record (valueCode: full, coded-only, none).</summary>
    public const string GpSharingScopeExtension = Base + "StructureDefinition/gp-sharing-scope";

    /// <summary>ServiceRequest.performer identifier system naming the programme (optional: derived from the practice).</summary>
    public const string ProgrammeSystem = Base + "Id/programme";

    /// <summary>ServiceRequest.reasonCode system for need categories (codes such as <c>loneliness-or-isolation</c>).</summary>
    public const string NeedCategorySystem = Base + "CodeSystem/need-category";

    /// <summary>UK Core / SNOMED CT: referral to social prescribing service.</summary>
    public const string ReferralToSocialPrescribing = "871731000000106";

    public const string MediaType = "application/fhir+json";

    public static bool AcceptsMediaType(string mediaType) => mediaType is MediaType or "application/json";

    /// <summary>Kebab-case code of an enum member (LonelinessOrIsolation is loneliness-or-isolation).</summary>
    public static string Code(Enum value) => KebabBoundary().Replace(value.ToString(), "$1-$2").ToLowerInvariant();

    public static bool TryParseCode<TEnum>(string? code, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Code(candidate), code, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Error diagnostics must not echo personal data: quoted values that are not plain element names or codes (a malformed
    /// birth date, say) are replaced by an ellipsis.
    /// </summary>
    public static OperationOutcome Sanitised(OperationOutcome outcome)
    {
        foreach (var issue in outcome.Issue)
        {
            if (issue.Diagnostics is { } text)
            {
                issue.Diagnostics = Quoted().Replace(text, m => Identifier().IsMatch(m.Groups[1].Value) ? m.Value : "'…'");
            }
        }

        return outcome;
    }

    public static IResult Outcome(int status, OperationOutcome outcome) =>
        Results.Text(FhirJson.Serialize(Sanitised(outcome)), MediaType, System.Text.Encoding.UTF8, status);

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex KebabBoundary();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_\-\.\[\]]{0,63}$")]
    private static partial Regex Identifier();
}
