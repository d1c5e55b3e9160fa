namespace Referrals.Fhir.Model;

/// <summary>FHIR R4 <c>Patient</c> (the elements the referral services use).</summary>
public sealed class Patient : DomainResource
{
    public override string ResourceType => "Patient";

    public List<Identifier> Identifier { get; set; } = [];

    public bool? Active { get; set; }

    public List<HumanName> Name { get; set; } = [];

    public List<ContactPoint> Telecom { get; set; } = [];

    public AdministrativeGender? Gender { get; set; }

    public FhirDate? BirthDate { get; set; }

    [FhirChoice("deceased")]
    public bool? DeceasedBoolean { get; set; }

    [FhirChoice("deceased")]
    public FhirDateTime? DeceasedDateTime { get; set; }

    public List<Address> Address { get; set; } = [];

    public List<ResourceReference> GeneralPractitioner { get; set; } = [];

    public ResourceReference? ManagingOrganization { get; set; }
}

/// <summary>FHIR R4 <c>Organization</c>.</summary>
public sealed class Organization : DomainResource
{
    public override string ResourceType => "Organization";

    public List<Identifier> Identifier { get; set; } = [];

    public bool? Active { get; set; }

    public List<CodeableConcept> Type { get; set; } = [];

    public string? Name { get; set; }

    public List<string> Alias { get; set; } = [];

    public List<ContactPoint> Telecom { get; set; } = [];

    public List<Address> Address { get; set; } = [];

    public ResourceReference? PartOf { get; set; }
}

/// <summary>FHIR R4 <c>Practitioner</c>.</summary>
public sealed class Practitioner : DomainResource
{
    public override string ResourceType => "Practitioner";

    public List<Identifier> Identifier { get; set; } = [];

    public bool? Active { get; set; }

    public List<HumanName> Name { get; set; } = [];

    public List<ContactPoint> Telecom { get; set; } = [];

    public List<Address> Address { get; set; } = [];

    public AdministrativeGender? Gender { get; set; }

    public FhirDate? BirthDate { get; set; }
}

/// <summary>FHIR R4 <c>PractitionerRole</c> (e.g. a social prescribing link worker at a PCN).</summary>
public sealed class PractitionerRole : DomainResource
{
    public override string ResourceType => "PractitionerRole";

    public List<Identifier> Identifier { get; set; } = [];

    public bool? Active { get; set; }

    public Period? Period { get; set; }

    public ResourceReference? Practitioner { get; set; }

    public ResourceReference? Organization { get; set; }

    public List<CodeableConcept> Code { get; set; } = [];

    public List<CodeableConcept> Specialty { get; set; } = [];

    public List<ResourceReference> Location { get; set; } = [];

    public List<ContactPoint> Telecom { get; set; } = [];
}
