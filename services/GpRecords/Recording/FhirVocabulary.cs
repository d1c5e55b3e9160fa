using Referrals.Fhir;
using Referrals.Fhir.Model;

namespace Referrals.GpRecords.Recording;

/// <summary>Codes and systems the mapping uses besides the SNOMED CT code set. None is an invented SNOMED CT code.</summary>
public static class FhirVocabulary
{
    /// <summary>RFC 3986 URI identifiers: every resource carries <c>urn:uuid:&lt;its id&gt;</c>, matched by conditional update.</summary>
    public const string UriIdentifierSystem = "urn:ietf:rfc:3986";

    public const string ConfidentialitySystem = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    /// <summary>Gravity (SDOH Clinical Care) temporary codes: Task.output type <c>resulting-activity</c>.</summary>
    public const string SdohccTemporaryCodes = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes";

    public const string ParticipationTypeSystem = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

    public static Identifier IdentifierFor(string id) => new() { System = UriIdentifierSystem, Value = "urn:uuid:" + id };

    public static CodeableConcept FulfillTask => CodeableConcept.From(FhirSystems.TaskCode, "fulfill", "Fulfill the focal request");

    public static CodeableConcept ResultingActivity => CodeableConcept.From(SdohccTemporaryCodes, "resulting-activity", "Resulting Activity");

    public static CodeableConcept SurveyCategory => CodeableConcept.From(FhirSystems.ObservationCategory, "survey", "Survey");

    public static CodeableConcept PrivacyConsent => CodeableConcept.From(FhirSystems.ConsentScope, "patient-privacy", "Privacy Consent");

    public static CodeableConcept InformationDisclosure => CodeableConcept.From(FhirSystems.V3ActCode, "IDSCL", "information disclosure");

    public static CodeableConcept InformationRecipient => CodeableConcept.From(ParticipationTypeSystem, "IRCP", "information recipient");

    /// <summary><c>meta.security</c> for safeguarding entries: the GP reviews them before they can show in record access.</summary>
    public static Coding Restricted => new() { System = ConfidentialitySystem, Code = "R", Display = "restricted" };

    public const string DataAbsentReasonSystem = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

    /// <summary>A value that does not apply (e.g. no acknowledgement was asked of the practice).</summary>
    public static CodeableConcept NotApplicable(string text) => new()
    {
        Coding = [new Coding { System = DataAbsentReasonSystem, Code = "not-applicable", Display = "Not Applicable" }],
        Text = text,
    };

    public static Coding Ambulatory => new() { System = FhirSystems.V3ActCode, Code = "AMB", Display = "ambulatory" };

    public static Coding Virtual => new() { System = FhirSystems.V3ActCode, Code = "VR", Display = "virtual" };

    public static Coding HomeHealth => new() { System = FhirSystems.V3ActCode, Code = "HH", Display = "home health" };

    public static Quantity Score(decimal value) => new() { Value = value, Unit = "score", System = FhirSystems.Ucum, Code = "{score}" };

    /// <summary>
    /// The local code system for the ONS4 personal wellbeing items, which have no SNOMED CT or LOINC codes (standards §2.3).
    /// It lives under this service's canonical base and is documented in the service README.
    /// </summary>
    public static string Ons4System(FhirOptions options) => options.CanonicalBase.TrimEnd('/') + "/CodeSystem/ons4-personal-wellbeing";

    /// <summary>Identifier system for agencies that refer without an ODS code.</summary>
    public static string AgencySystem(FhirOptions options) => options.CanonicalBase.TrimEnd('/') + "/Id/agency";
}
