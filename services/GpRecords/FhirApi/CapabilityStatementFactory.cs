using Referrals.Fhir.Model;

namespace Referrals.GpRecords.FhirApi;

/// <summary>The <c>/fhir/metadata</c> answer: what this read-only server supports.</summary>
public static class CapabilityStatementFactory
{
    public static CapabilityStatement Create(FhirOptions options)
    {
        static CapabilityStatementSearchParam Param(string name, SearchParamType type, string documentation) =>
            new() { Name = name, Type = type, Documentation = documentation };

        CapabilityStatementResource Searchable(string type, string dateMeaning) => new()
        {
            Type = type,
            Interaction = [new() { Code = TypeRestfulInteraction.Read }, new() { Code = TypeRestfulInteraction.SearchType }],
            Versioning = ResourceVersionPolicy.NoVersion,
            SearchParam =
            [
                Param("patient", SearchParamType.Reference, "The Patient (Patient/<id> or <id>)."),
                Param("date", SearchParamType.Date, dateMeaning + "; prefixes eq, ne, lt, le, gt, ge; repeat for a range."),
            ],
        };

        CapabilityStatementResource Readable(string type) => new()
        {
            Type = type,
            Interaction = [new() { Code = TypeRestfulInteraction.Read }],
            Versioning = ResourceVersionPolicy.NoVersion,
        };

        var everything = new CapabilityStatementOperation
        {
            Name = "everything",
            Definition = "http://hl7.org/fhir/OperationDefinition/Patient-everything",
            Documentation = "Patient/<id>/$everything: all resources of the patient; ServiceRequest/<id>/$everything: all resources of that referral's journey.",
        };

        return new CapabilityStatement
        {
            Url = options.CanonicalBase.TrimEnd('/') + "/metadata",
            Name = "ReferralsGpRecords",
            Title = "Referrals GP-records FHIR API",
            Status = PublicationStatus.Active,
            Date = FhirDateTime.Parse("2026-01-01"),
            Publisher = "Referrals",
            Description = "Read-only FHIR R4 API for GP clinical systems (role clinical-system). A system sees only patients registered at its own ODS code(s), within the person's current consent to share (coded-only consent shows coded entries without narrative or free text; no consent shows nothing).",
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatementSoftware { Name = options.Software },
            Implementation = new CapabilityStatementImplementation { Description = "Social prescribing records for the registered practice", Url = options.CanonicalBase },
            FhirVersion = FhirVersion.R4_0_1,
            Format = ["application/fhir+json"],
            Rest =
            [
                new CapabilityStatementRest
                {
                    Mode = RestfulCapabilityMode.Server,
                    Documentation = "Bearer token with role clinical-system and ods claim(s). Errors are OperationOutcomes.",
                    Resource =
                    [
                        new CapabilityStatementResource
                        {
                            Type = "Patient",
                            Interaction = [new() { Code = TypeRestfulInteraction.Read }, new() { Code = TypeRestfulInteraction.SearchType }],
                            Versioning = ResourceVersionPolicy.NoVersion,
                            SearchParam =
                            [
                                Param("identifier", SearchParamType.Token, "https://fhir.nhs.uk/Id/nhs-number|<NHS number>"),
                                Param("_id", SearchParamType.Token, "The Patient id."),
                            ],
                            Operation = [everything],
                        },
                        WithOperation(Searchable("ServiceRequest", "authoredOn"), everything),
                        Searchable("Task", "authoredOn"),
                        Searchable("Observation", "effective[x]"),
                        Searchable("Procedure", "performed[x]"),
                        Readable("Encounter"),
                        Readable("Consent"),
                        Readable("Goal"),
                        Readable("CarePlan"),
                    ],
                },
            ],
        };
    }

    private static CapabilityStatementResource WithOperation(CapabilityStatementResource resource, CapabilityStatementOperation operation)
    {
        resource.Operation = [operation];
        return resource;
    }
}
