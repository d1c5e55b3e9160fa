using System.Globalization;

namespace Referrals.Fhir;

/// <summary>Code system and identifier system URIs used by the referral services.</summary>
public static class FhirSystems
{
    /// <summary>UK Core: NHS number (UKCore-Patient <c>identifier:nhsNumber</c>).</summary>
    public const string NhsNumber = "https://fhir.nhs.uk/Id/nhs-number";

    /// <summary>UK Core: ODS organisation code (UKCore-Organization <c>identifier:odsOrganisationCode</c>).</summary>
    public const string OdsOrganizationCode = "https://fhir.nhs.uk/Id/ods-organization-code";

    /// <summary>UK Core: ODS site code (UKCore-Organization <c>identifier:odsSiteCode</c>).</summary>
    public const string OdsSiteCode = "https://fhir.nhs.uk/Id/ods-site-code";

    /// <summary>SNOMED CT.</summary>
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>UCUM units.</summary>
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>Condition.clinicalStatus codes (required binding).</summary>
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";

    /// <summary>Condition.verificationStatus codes (required binding).</summary>
    public const string ConditionVerificationStatus = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

    /// <summary>Observation.category codes, e.g. <c>survey</c>.</summary>
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

    /// <summary>HL7 v3 ActCode (Encounter.class, Consent.category IDSCL).</summary>
    public const string V3ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /// <summary>Consent.scope codes.</summary>
    public const string ConsentScope = "http://terminology.hl7.org/CodeSystem/consentscope";

    /// <summary>Task.code codes, e.g. <c>fulfill</c>.</summary>
    public const string TaskCode = "http://hl7.org/fhir/CodeSystem/task-code";

    /// <summary>Bundle/MessageHeader events: FHIR message events.</summary>
    public const string MessageEvents = "http://terminology.hl7.org/CodeSystem/message-events";

    /// <summary>A <c>urn:uuid:</c> URI (lower-case, as the <c>uuid</c> type requires) for Bundle fullUrls and references.</summary>
    public static string UrnUuid(Guid id) => "urn:uuid:" + id.ToString("D", CultureInfo.InvariantCulture);
}
