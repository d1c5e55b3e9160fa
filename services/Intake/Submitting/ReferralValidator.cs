using System.Globalization;
using Referrals.Contracts;
using Referrals.Intake.Programmes;
using Referrals.SharedKernel;

namespace Referrals.Intake.Submitting;

/// <summary>What differs between channels: self-referrals may omit the NHS number, and FHIR and self-referrals may leave
/// the programme to be derived from the registered practice.</summary>
public sealed record ValidationRules(bool NhsNumberRequired, bool MayDeriveProgramme, int MinimumAge, bool SelfReferral)
{
    public static readonly ValidationRules Api = new(true, false, 0, false);
    public static readonly ValidationRules Fhir = new(true, true, 0, false);
    public static readonly ValidationRules Self = new(false, true, 16, true);
}

/// <summary>
/// Validates a referral before anything is stored and builds the <see cref="SubmitReferral"/> command. Every error names
/// its field (the JSON path in the request); no message repeats the value submitted.
/// </summary>
public sealed class ReferralValidator(ProgrammeCatalogue programmes, TimeProvider time)
{
    public const int NameLength = 100;
    public const int FreeTextLength = 4000;
    public const int ShortTextLength = 200;
    public const int OldestAge = 120;

    /// <summary>Consent recorded a little in the future is tolerated as clock skew between systems.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public SubmitReferral Validate(ReferralRequest request, ReferralChannel channel, ValidationRules rules)
    {
        var errors = new FieldErrors();
        var command = TryValidate(request, channel, rules, errors);
        errors.ThrowIfAny();
        return command!;
    }

    public SubmitReferral? TryValidate(ReferralRequest request, ReferralChannel channel, ValidationRules rules, FieldErrors errors)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        var person = Person(errors, request.Person, rules, today, out var age);
        var practice = Ods(errors, "registeredPracticeOds", request.RegisteredPracticeOds);
        var referrer = rules.SelfReferral
            ? new Referrer(ReferrerKind.Self, SelfReferralOrganisation, null, null, null)
            : Referrer(errors, request.Referrer);
        var programme = Programme(errors, request.Programme, practice, rules);
        var needs = Needs(errors, request.Needs);
        var reason = errors.Text("reasonText", request.ReasonText, FreeTextLength, multiline: true);
        var whatMatters = errors.Text("whatMatters", request.WhatMatters, FreeTextLength, multiline: true);
        var (risk, riskNotes) = Risk(errors, request.Risk);
        errors.Required("urgency", request.Urgency);
        Defined(errors, "urgency", request.Urgency);
        var consent = Consent(errors, request.Consent, age, person?.DateOfBirth, now);

        if (errors.Any)
        {
            return null;
        }

        return new SubmitReferral(person!, practice!, referrer!, programme!, needs!, reason, whatMatters, risk!, riskNotes,
            request.Urgency!.Value, consent!, request.HasLongTermCondition ?? false, request.IsCarer ?? false, channel);
    }

    /// <summary>Validates corrected details (rectification) by the same rules as a referral's; the NHS number is optional.</summary>
    public PersonDetails? ValidatePerson(FieldErrors errors, PersonRequest? person) =>
        Person(errors, person, ValidationRules.Self with { MinimumAge = 0 }, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), out _);

    /// <summary>The organisation id recorded for self-referrals; no token carries it, so nobody can read them back.</summary>
    public const string SelfReferralOrganisation = "SELF";

    private static PersonDetails? Person(FieldErrors errors, PersonRequest? person, ValidationRules rules, DateOnly today, out int? age)
    {
        age = null;
        if (!errors.Required("person", person))
        {
            return null;
        }

        string? nhsNumber = null;
        if (person!.NhsNumber is null && !rules.NhsNumberRequired)
        {
            // A self-referrer may not know their NHS number; the link worker traces it later.
        }
        else if (errors.Text("person.nhsNumber", person.NhsNumber, 20, required: true) is { } text)
        {
            if (NhsNumber.TryCreate(text, out var parsed, out var error))
            {
                nhsNumber = parsed.Value.Value;
            }
            else
            {
                errors.Add("person.nhsNumber", error!);
            }
        }

        var given = errors.Text("person.givenName", person.GivenName, NameLength, required: true);
        var family = errors.Text("person.familyName", person.FamilyName, NameLength, required: true);
        if (errors.Required("person.dateOfBirth", person.DateOfBirth))
        {
            var dob = person.DateOfBirth!.Value;
            if (dob > today)
            {
                errors.Add("person.dateOfBirth", "The date of birth is in the future.");
            }
            else if (dob < today.AddYears(-OldestAge))
            {
                errors.Add("person.dateOfBirth", string.Create(CultureInfo.InvariantCulture,
                    $"The date of birth is not plausible (more than {OldestAge} years ago)."));
            }
            else
            {
                age = SubmitReferralDecider.AgeOn(dob, today);
                if (age < rules.MinimumAge)
                {
                    errors.Add("person.dateOfBirth", string.Create(CultureInfo.InvariantCulture,
                        $"Self-referral is for people aged {rules.MinimumAge} or over; a parent or guardian can ask the GP practice or another service to refer."));
                }
            }
        }

        string? postcode = null;
        if (errors.Text("person.postcode", person.Postcode, 10, required: true) is { } postcodeText)
        {
            if (UkPostcode.TryCreate(postcodeText, out var parsed, out var error))
            {
                postcode = parsed.Value.Value;
            }
            else
            {
                errors.Add("person.postcode", error!);
            }
        }

        var phone = errors.Phone("person.phone", person.Phone);
        var email = errors.Email("person.email", person.Email);
        if (errors.Required("person.preferredContactMethod", person.PreferredContactMethod) &&
            Defined(errors, "person.preferredContactMethod", person.PreferredContactMethod))
        {
            switch (person.PreferredContactMethod)
            {
                case ContactMethod.Phone or ContactMethod.Text when person.Phone is null:
                    errors.Add("person.phone", "A phone number is required when the preferred contact method is phone or text.");
                    break;
                case ContactMethod.Email when person.Email is null:
                    errors.Add("person.email", "An email address is required when the preferred contact method is email.");
                    break;
            }
        }

        var interpreter = errors.Text("person.interpreterLanguage", person.InterpreterLanguage, NameLength);
        var accessibility = errors.Text("person.accessibilityNeeds", person.AccessibilityNeeds, 1000, multiline: true);
        if (errors.All.Keys.Any(k => k.StartsWith("person", StringComparison.Ordinal)))
        {
            return null;
        }

        return new PersonDetails(nhsNumber, given!, family!, person.DateOfBirth!.Value, postcode, phone, email,
            person.PreferredContactMethod!.Value, interpreter, accessibility);
    }

    /// <summary>Validates an ODS code by the referral rules; a change of registered practice reuses it.</summary>
    public static OdsCode? ValidateOds(FieldErrors errors, string field, string? value)
    {
        if (errors.Text(field, value, 12, required: true) is not { } text)
        {
            return null;
        }

        if (!OdsCode.TryCreate(text, out var ods, out var error))
        {
            errors.Add(field, error!);
            return null;
        }

        return ods;
    }

    private static string? Ods(FieldErrors errors, string field, string? value) => ValidateOds(errors, field, value)?.Value;

    private static Referrer? Referrer(FieldErrors errors, ReferrerRequest? referrer)
    {
        if (!errors.Required("referrer", referrer))
        {
            return null;
        }

        Defined(errors, "referrer.kind", referrer!.Kind);
        var organisation = errors.Text("referrer.organisationId", referrer.OrganisationId, 30, required: true);
        var kind = referrer.Kind ?? (organisation?.Trim().StartsWith(AgencyId.Prefix, StringComparison.OrdinalIgnoreCase) == true
            ? ReferrerKind.Agency
            : ReferrerKind.GpPractice);
        string? organisationId = null;
        if (organisation is not null)
        {
            switch (kind)
            {
                case ReferrerKind.Self:
                    errors.Add("referrer.kind", "Self-referrals use POST /self-referrals.");
                    break;
                case ReferrerKind.Agency when AgencyId.TryCreate(organisation, out var agency, out _):
                    organisationId = agency.Value.Value;
                    break;
                case ReferrerKind.Agency:
                    errors.Add("referrer.organisationId", "An agency refers under its registered agency id: AGY- followed by 3 to 20 letters, digits or hyphens.");
                    break;
                default:
                    organisationId = Ods(errors, "referrer.organisationId", organisation);
                    break;
            }
        }

        var name = errors.Text("referrer.professionalName", referrer.ProfessionalName, ShortTextLength, required: true);
        var role = errors.Text("referrer.professionalRole", referrer.ProfessionalRole, NameLength);
        var contact = errors.Text("referrer.professionalContact", referrer.ProfessionalContact, 254);
        return organisationId is null || name is null || errors.Has("referrer.professionalRole") || errors.Has("referrer.professionalContact")
            ? null
            : new Referrer(kind, organisationId, name, role, contact);
    }

    private string? Programme(FieldErrors errors, string? requested, string? practice, ValidationRules rules)
    {
        if (requested is null && rules.MayDeriveProgramme)
        {
            if (practice is null)
            {
                return null;
            }

            var serving = programmes.Serving(practice);
            switch (serving.Count)
            {
                case 1:
                    return serving[0].Id;
                case 0:
                    errors.Add("registeredPracticeOds", "No social prescribing programme serves this practice yet.");
                    return null;
                default:
                    errors.Add("programme", "Several programmes serve this practice: name the programme.");
                    return null;
            }
        }

        if (errors.Text("programme", requested, 50, required: true) is not { } id)
        {
            return null;
        }

        if (programmes.Find(id) is not { } programme)
        {
            errors.Add("programme", "The programme is not known (see GET /programmes).");
            return null;
        }

        if (practice is not null && !programme.Serves(practice))
        {
            errors.Add("registeredPracticeOds", "The programme does not serve this practice.");
            return null;
        }

        return programme.Id;
    }

    private static IReadOnlyList<NeedCategory>? Needs(FieldErrors errors, List<NeedCategory>? needs)
    {
        if (!errors.Required("needs", needs))
        {
            return null;
        }

        if (needs!.Count == 0)
        {
            errors.Add("needs", "Name at least one need category.");
            return null;
        }

        for (var i = 0; i < needs.Count; i++)
        {
            Defined<NeedCategory>(errors, string.Create(CultureInfo.InvariantCulture, $"needs[{i}]"), needs[i]);
        }

        if (needs.Count > Enum.GetValues<NeedCategory>().Length)
        {
            errors.Add("needs", "Each need category is named at most once.");
        }

        return needs.Distinct().ToList();
    }

    private static (RiskAnswers? Risk, string? Notes) Risk(FieldErrors errors, RiskRequest? risk)
    {
        if (!errors.Required("risk", risk))
        {
            return (null, null);
        }

        // Every risk question needs an explicit answer: a missing answer must never read as "no risk".
        var self = errors.Required("risk.riskOfHarmToSelf", risk!.RiskOfHarmToSelf);
        var others = errors.Required("risk.riskOfHarmToOthers", risk.RiskOfHarmToOthers);
        var safeguarding = errors.Required("risk.safeguardingConcern", risk.SafeguardingConcern);
        var visiting = errors.Required("risk.risksToVisitingWorker", risk.RisksToVisitingWorker);
        var notes = errors.Text("risk.notes", risk.Notes, FreeTextLength, multiline: true);
        return self && others && safeguarding && visiting
            ? (new RiskAnswers(risk.RiskOfHarmToSelf!.Value, risk.RiskOfHarmToOthers!.Value, risk.SafeguardingConcern!.Value,
                risk.RisksToVisitingWorker!.Value), notes)
            : (null, notes);
    }

    private static ConsentRecord? Consent(FieldErrors errors, ConsentRequest? consent, int? age, DateOnly? dateOfBirth, DateTimeOffset now)
    {
        if (!errors.Required("consent", consent))
        {
            return null;
        }

        var authorityPresent = errors.Required("consent.authority", consent!.Authority) &&
                               Defined(errors, "consent.authority", consent.Authority);
        var givenBy = errors.Text("consent.givenBy", consent.GivenBy, ShortTextLength, required: true);
        var recordedBy = errors.Text("consent.recordedBy", consent.RecordedBy, ShortTextLength, required: true);
        errors.Required("consent.sharingScope", consent.SharingScope);
        Defined(errors, "consent.sharingScope", consent.SharingScope);
        if (errors.Required("consent.givenAt", consent.GivenAt))
        {
            if (consent.GivenAt > now + ClockSkew)
            {
                errors.Add("consent.givenAt", "Consent cannot be recorded as given in the future.");
            }
            else if (dateOfBirth is { } dob && consent.GivenAt!.Value.UtcDateTime < dob.ToDateTime(TimeOnly.MinValue))
            {
                errors.Add("consent.givenAt", "Consent cannot be given before the person was born.");
            }
        }

        if (authorityPresent && age is { } years && AuthorityProblem(consent.Authority!.Value, years) is { } problem)
        {
            errors.Add("consent.authority", problem);
        }

        return errors.All.Keys.Any(k => k.StartsWith("consent", StringComparison.Ordinal)) || givenBy is null || recordedBy is null
            ? null
            : new ConsentRecord(consent.Authority!.Value, givenBy, consent.GivenAt!.Value, recordedBy, consent.SharingScope!.Value);
    }

    /// <summary>
    /// Whether the authority fits the person's age: a parent or guardian consents for under-16s (and only for them); a
    /// person of 16 or over consents for themselves; a lasting power of attorney needs a donor of 18 or over; a
    /// best-interests decision under the Mental Capacity Act applies from 16.
    /// </summary>
    public static string? AuthorityProblem(ConsentAuthority authority, int age) => authority switch
    {
        ConsentAuthority.Person when age < 16 => "For a person under 16, consent is given by a parent or guardian.",
        ConsentAuthority.ParentOrGuardian when age >= 16 => "A parent or guardian consents only for a person under 16.",
        ConsentAuthority.LastingPowerOfAttorney when age < 18 => "A lasting power of attorney applies only to a person aged 18 or over.",
        ConsentAuthority.BestInterestsDecision when age < 16 => "A best-interests decision under the Mental Capacity Act applies from age 16.",
        _ => null,
    };

    private static bool Defined<T>(FieldErrors errors, string field, T? value)
        where T : struct, Enum
    {
        if (value is { } v && !Enum.IsDefined(v))
        {
            errors.Add(field, "The value is not one of the allowed values.");
            return false;
        }

        return true;
    }
}
