using Referrals.Contracts;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.Intake.Submitting;

namespace Referrals.Intake.Fhir;

/// <summary>
/// Maps an inbound FHIR referral - a ServiceRequest with its Patient (contained, or an entry of the same Bundle), the
/// requesting Organization or PractitionerRole, and the Consent - to the same request the JSON API takes, so one
/// validator decides for every channel. Structural problems (no Patient, wrong code) are reported here as FHIR issues;
/// field problems come back from the validator and are mapped to FHIR element paths by <see cref="ExpressionFor"/>.
/// </summary>
public static class FhirReferralMapper
{
    public sealed record Mapped(ReferralRequest Request, string? BusinessIdentifier);

    public static Mapped? Map(ServiceRequest request, IReadOnlyList<BundleEntry> entries, List<FhirIssue> issues)
    {
        var references = new References(request, entries);
        if (request.Status != RequestStatus.Active)
        {
            issues.Add(Invalid("ServiceRequest.status", "A referral must be active."));
        }

        if (request.Intent is not (RequestIntent.Order or RequestIntent.OriginalOrder))
        {
            issues.Add(Invalid("ServiceRequest.intent", "A referral's intent is order."));
        }

        if (request.Code?.Coding.Any(c => c.System == FhirSystems.Snomed && c.Code == IntakeFhir.ReferralToSocialPrescribing) != true)
        {
            issues.Add(new FhirIssue(IssueSeverity.Error, IssueType.CodeInvalid, "ServiceRequest.code",
                $"ServiceRequest.code must carry SNOMED CT {IntakeFhir.ReferralToSocialPrescribing} (referral to social prescribing service)."));
        }

        var patient = references.Resolve<Patient>(request.Subject);
        if (patient is null)
        {
            issues.Add(Invalid("ServiceRequest.subject",
                "The subject must reference the Patient, contained in the ServiceRequest or an entry of the same Bundle."));
        }

        var consent = request.SupportingInfo.Select(references.Resolve<Consent>).FirstOrDefault(c => c is not null)
                      ?? entries.Select(e => e.Resource).OfType<Consent>().FirstOrDefault();
        if (consent is null)
        {
            issues.Add(Invalid("ServiceRequest.supportingInfo",
                "A Consent is required: reference it from supportingInfo (contained) or include it in the Bundle."));
        }
        else if (consent.Status != ConsentState.Active)
        {
            issues.Add(Invalid("Consent.status", "The consent must be active."));
        }

        if (issues.Count > 0 || patient is null)
        {
            return null;
        }

        var (organisation, professional) = Requester(request.Requester, references);
        var telecom = patient.Telecom;
        var phone = telecom.FirstOrDefault(t => t.System is ContactPointSystem.Phone or ContactPointSystem.Sms)?.Value;
        var email = telecom.FirstOrDefault(t => t.System == ContactPointSystem.Email)?.Value;
        var preferred = telecom.Where(t => t.Rank is not null).OrderBy(t => t.Rank).FirstOrDefault()?.System switch
        {
            ContactPointSystem.Sms => ContactMethod.Text,
            ContactPointSystem.Email => ContactMethod.Email,
            ContactPointSystem.Phone => ContactMethod.Phone,
            _ => phone is not null ? ContactMethod.Phone : email is not null ? ContactMethod.Email : ContactMethod.Letter,
        };
        var name = patient.Name.FirstOrDefault(n => n.Use == NameUse.Official) ?? patient.Name.FirstOrDefault();
        var riskExtension = request.Extension.FirstOrDefault(e => e.Url == IntakeFhir.RiskExtension);

        var mapped = new ReferralRequest
        {
            Person = new PersonRequest
            {
                NhsNumber = patient.Identifier.FirstOrDefault(i => i.System == FhirSystems.NhsNumber)?.Value,
                GivenName = name is null || name.Given.Count == 0 ? null : string.Join(' ', name.Given),
                FamilyName = name?.Family,
                DateOfBirth = patient.BirthDate?.ToDateOnly(),
                Postcode = (patient.Address.FirstOrDefault(a => a.Use == AddressUse.Home) ?? patient.Address.FirstOrDefault())?.PostalCode,
                Phone = phone,
                Email = email,
                PreferredContactMethod = preferred,
            },
            RegisteredPracticeOds = patient.GeneralPractitioner.Select(r => OdsOf(r, references)).FirstOrDefault(o => o is not null),
            Referrer = new ReferrerRequest
            {
                OrganisationId = organisation,
                ProfessionalName = professional?.Name,
                ProfessionalRole = professional?.Role,
                ProfessionalContact = professional?.Contact,
            },
            Programme = request.Performer.Select(p => p.Identifier).FirstOrDefault(i => i?.System == IntakeFhir.ProgrammeSystem)?.Value,
            Needs = Needs(request, issues),
            ReasonText = request.Note.Count == 0 ? null : string.Join("\n\n", request.Note.Select(n => n.Text)),
            WhatMatters = request.Extension.FirstOrDefault(e => e.Url == IntakeFhir.WhatMattersExtension)?.ValueString,
            Risk = riskExtension is null
                ? null
                : new RiskRequest
                {
                    RiskOfHarmToSelf = SubBoolean(riskExtension, "harm-to-self"),
                    RiskOfHarmToOthers = SubBoolean(riskExtension, "harm-to-others"),
                    SafeguardingConcern = SubBoolean(riskExtension, "safeguarding-concern"),
                    RisksToVisitingWorker = SubBoolean(riskExtension, "risks-to-visiting-worker"),
                    Notes = riskExtension.Extension.FirstOrDefault(e => e.Url == "notes")?.ValueString,
                },
            Urgency = request.Priority switch
            {
                RequestPriority.Routine => Urgency.Routine,
                RequestPriority.Asap => Urgency.Soon,
                RequestPriority.Urgent or RequestPriority.Stat => Urgency.Urgent,
                _ => null,
            },
            Consent = Consent(consent!, patient, professional, references, issues),
            HasLongTermCondition = request.Extension.FirstOrDefault(e => e.Url == IntakeFhir.LongTermConditionExtension)?.ValueBoolean,
            IsCarer = request.Extension.FirstOrDefault(e => e.Url == IntakeFhir.CarerExtension)?.ValueBoolean,
        };

        var identifier = request.Identifier.FirstOrDefault(i => i.Value is not null);
        return issues.Count > 0 ? null : new Mapped(mapped, identifier is null ? null : identifier.System + "|" + identifier.Value);
    }

    /// <summary>The FHIR element a validation error on a request field refers to.</summary>
    public static string ExpressionFor(string field) => field switch
    {
        "person.nhsNumber" => "Patient.identifier",
        "person.givenName" or "person.familyName" => "Patient.name",
        "person.dateOfBirth" => "Patient.birthDate",
        "person.postcode" => "Patient.address.postalCode",
        "person.phone" or "person.email" or "person.preferredContactMethod" => "Patient.telecom",
        "person" => "Patient",
        "registeredPracticeOds" => "Patient.generalPractitioner",
        "programme" => "ServiceRequest.performer",
        "reasonText" => "ServiceRequest.note",
        "whatMatters" => "ServiceRequest.extension",
        "urgency" => "ServiceRequest.priority",
        "consent.givenAt" => "Consent.dateTime",
        "consent.givenBy" => "Consent.performer",
        _ when field.StartsWith("referrer", StringComparison.Ordinal) => "ServiceRequest.requester",
        _ when field.StartsWith("needs", StringComparison.Ordinal) => "ServiceRequest.reasonCode",
        _ when field.StartsWith("risk", StringComparison.Ordinal) => "ServiceRequest.extension",
        _ when field.StartsWith("consent", StringComparison.Ordinal) => "Consent",
        _ => "ServiceRequest",
    };

    private static FhirIssue Invalid(string path, string message) => new(IssueSeverity.Error, IssueType.Invalid, path, message);

    private sealed record Professional(string? Name, string? Role, string? Contact);

    private static (string? Organisation, Professional? Professional) Requester(ResourceReference? requester, References references)
    {
        if (requester is null)
        {
            return (null, null);
        }

        if (references.Resolve<PractitionerRole>(requester) is { } role)
        {
            var practitioner = references.Resolve<Practitioner>(role.Practitioner);
            var practitionerName = practitioner?.Name.FirstOrDefault();
            var name = practitionerName is null
                ? role.Practitioner?.Display
                : string.Join(' ', practitionerName.Prefix.Concat(practitionerName.Given).Append(practitionerName.Family ?? "")).Trim();
            var roleName = role.Code.FirstOrDefault() is { } code ? code.Text ?? code.Coding.FirstOrDefault()?.Display : null;
            var contact = role.Telecom.FirstOrDefault()?.Value ?? practitioner?.Telecom.FirstOrDefault()?.Value;
            return (OdsOf(role.Organization, references), new Professional(name, roleName, contact));
        }

        return (OdsOf(requester, references), new Professional(requester.Display, null, null));
    }

    private static string? OdsOf(ResourceReference? reference, References references)
    {
        if (reference is null)
        {
            return null;
        }

        if (reference.Identifier is { System: FhirSystems.OdsOrganizationCode, Value: { } logical })
        {
            return logical;
        }

        return references.Resolve<Organization>(reference)?.Identifier.FirstOrDefault(i => i.System == FhirSystems.OdsOrganizationCode)?.Value;
    }

    private static List<NeedCategory>? Needs(ServiceRequest request, List<FhirIssue> issues)
    {
        var needs = new List<NeedCategory>();
        for (var i = 0; i < request.ReasonCode.Count; i++)
        {
            foreach (var coding in request.ReasonCode[i].Coding.Where(c => c.System == IntakeFhir.NeedCategorySystem))
            {
                if (IntakeFhir.TryParseCode<NeedCategory>(coding.Code, out var need))
                {
                    needs.Add(need);
                }
                else
                {
                    issues.Add(new FhirIssue(IssueSeverity.Error, IssueType.CodeInvalid, $"ServiceRequest.reasonCode[{i}]",
                        "Unknown need category code (see the intake README for the codes)."));
                }
            }
        }

        return needs.Count == 0 ? null : needs;
    }

    private static bool? SubBoolean(Extension extension, string url) => extension.Extension.FirstOrDefault(e => e.Url == url)?.ValueBoolean;

    private static ConsentRequest Consent(Consent consent, Patient patient, Professional? professional, References references,
        List<FhirIssue> issues)
    {
        var performer = consent.Performer.FirstOrDefault();
        var byPatient = performer is not null && ReferenceEquals(references.Resolve<Patient>(performer), patient);
        var authorityCode = consent.Extension.FirstOrDefault(e => e.Url == IntakeFhir.ConsentAuthorityExtension)?.ValueCode;
        ConsentAuthority? authority = null;
        if (authorityCode is not null)
        {
            if (IntakeFhir.TryParseCode<ConsentAuthority>(authorityCode, out var parsed))
            {
                authority = parsed;
            }
            else
            {
                issues.Add(new FhirIssue(IssueSeverity.Error, IssueType.CodeInvalid, "Consent.extension",
                    "Unknown consent authority (person, parent-or-guardian, lasting-power-of-attorney, best-interests-decision)."));
            }
        }
        else if (byPatient)
        {
            authority = ConsentAuthority.Person;
        }

        var scopeCode = consent.Extension.FirstOrDefault(e => e.Url == IntakeFhir.GpSharingScopeExtension)?.ValueCode;
        ConsentScope? scope = null;
        if (scopeCode is not null)
        {
            if (IntakeFhir.TryParseCode<ConsentScope>(scopeCode, out var parsed))
            {
                scope = parsed;
            }
            else
            {
                issues.Add(new FhirIssue(IssueSeverity.Error, IssueType.CodeInvalid, "Consent.extension",
                    "Unknown GP sharing scope (full, coded-only, none)."));
            }
        }
        else
        {
            // Without the extension: a deny provision shares nothing; a permit shares coded entries only (no narrative).
            scope = consent.Provision?.Type switch
            {
                ConsentProvisionType.Deny => ConsentScope.None,
                ConsentProvisionType.Permit => ConsentScope.CodedOnly,
                _ => null,
            };
        }

        var patientName = patient.Name.FirstOrDefault();
        return new ConsentRequest
        {
            Authority = authority,
            GivenBy = performer?.Display ?? (byPatient && patientName is not null
                ? string.Join(' ', patientName.Given.Append(patientName.Family ?? "")).Trim()
                : null),
            GivenAt = consent.DateTime?.ToDateTimeOffset(),
            RecordedBy = consent.Extension.FirstOrDefault(e => e.Url == IntakeFhir.ConsentRecordedByExtension)?.ValueString ?? professional?.Name,
            SharingScope = scope,
        };
    }

    /// <summary>Resolves local references: contained (<c>#id</c>) and Bundle entries (fullUrl or <c>Type/id</c>).</summary>
    private sealed class References
    {
        private readonly Dictionary<string, Resource> _resources = new(StringComparer.Ordinal);

        public References(ServiceRequest request, IReadOnlyList<BundleEntry> entries)
        {
            foreach (var contained in request.Contained.Where(c => c.Id is not null))
            {
                _resources.TryAdd("#" + contained.Id, contained);
            }

            foreach (var entry in entries.Where(e => e.Resource is not null))
            {
                if (entry.FullUrl is { } fullUrl)
                {
                    _resources.TryAdd(fullUrl, entry.Resource!);
                }

                if (entry.Resource!.Id is { } id)
                {
                    _resources.TryAdd(entry.Resource.ResourceType + "/" + id, entry.Resource);
                }
            }
        }

        public T? Resolve<T>(ResourceReference? reference)
            where T : Resource =>
            reference?.Reference is { } key && _resources.TryGetValue(key, out var resource) ? resource as T : null;
    }
}
