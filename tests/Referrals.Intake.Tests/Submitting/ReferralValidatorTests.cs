using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Intake.Http;
using Referrals.Intake.Programmes;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Problems;
using Referrals.Testing;

namespace Referrals.Intake.Tests.Submitting;

/// <summary>The validation rules, without infrastructure.</summary>
public sealed class ReferralValidatorTests
{
    private static readonly TestClock Clock = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private static readonly ProgrammeCatalogue Catalogue = ProgrammeCatalogue.Create(new Dictionary<string, ProgrammeSettings>
    {
        ["north-leeds"] = new() { Name = "North Leeds", Practices = ["B86001", "b86002"] },
        ["east-bradford"] = new() { Practices = ["B83001"] },
    });

    private static readonly ReferralValidator Validator = new(Catalogue, Clock);

    private static ReferralRequest Request(JsonObject body) => JsonBody.Bind<ReferralRequest>(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));

    private static JsonObject Valid() => TestData.Referral(consentGivenAt: Clock.UtcNow.AddHours(-1));

    private static IDictionary<string, string[]> ErrorsFor(JsonObject body, ValidationRules? rules = null) =>
        Assert.Throws<RequestValidationException>(() => Validator.Validate(Request(body), ReferralChannel.Api, rules ?? ValidationRules.Api)).Errors;

    [Fact]
    public void A_valid_referral_becomes_a_command_with_normalised_identifiers_and_text_as_typed()
    {
        var command = Validator.Validate(Request(Valid().With("person.nhsNumber", "943 476 5919").With("person.postcode", "ls73jb")
            .With("registeredPracticeOds", "b86001")), ReferralChannel.Api, ValidationRules.Api);

        Assert.Equal("9434765919", command.Person.NhsNumber);
        Assert.Equal("LS7 3JB", command.Person.Postcode);
        Assert.Equal("B86001", command.RegisteredPracticeOds);
        Assert.Equal("O'Brien", command.Person.FamilyName);
        Assert.Equal(ReferrerKind.GpPractice, command.Referrer.Kind);
    }

    [Theory]
    [InlineData("9434765918")] // wrong check digit
    [InlineData("1000000010")] // check digit would be 10
    [InlineData("943476591")]
    [InlineData("94347659190")]
    [InlineData("943476591X")]
    public void The_NHS_number_must_pass_Modulus_11(string nhs) => Assert.Contains("person.nhsNumber", ErrorsFor(Valid().With("person.nhsNumber", nhs)).Keys);

    [Theory]
    [InlineData("0000000000")]
    [InlineData("1111111111")]
    [InlineData("2222222222")]
    [InlineData("3333333333")]
    [InlineData("4444444444")]
    [InlineData("5555555555")]
    [InlineData("6666666666")]
    [InlineData("7777777777")]
    [InlineData("8888888888")]
    [InlineData("9999999999")]
    [InlineData("444 444 4444")]
    public void An_NHS_number_of_one_digit_repeated_passes_Modulus_11_but_is_refused_as_a_placeholder_without_echoing_it(string nhs)
    {
        var error = Assert.Single(ErrorsFor(Valid().With("person.nhsNumber", nhs))["person.nhsNumber"]);

        Assert.Contains("placeholder", error, StringComparison.Ordinal);
        Assert.DoesNotContain(error, char.IsAsciiDigit);
    }

    [Theory]
    [InlineData("9434765919")]
    [InlineData("9912003888")]
    [InlineData("5815309540")]
    public void Published_valid_NHS_numbers_pass(string nhs) =>
        Assert.Equal(nhs, Validator.Validate(Request(Valid().With("person.nhsNumber", nhs)), ReferralChannel.Api, ValidationRules.Api).Person.NhsNumber);

    [Theory]
    [InlineData("B86-001")]
    [InlineData("TOOLONGODS")]
    [InlineData("")]
    public void ODS_codes_are_one_to_nine_letters_or_digits(string ods) =>
        Assert.Contains("registeredPracticeOds", ErrorsFor(Valid().With("registeredPracticeOds", ods)).Keys);

    [Fact]
    public void The_date_of_birth_is_not_in_the_future_and_not_over_120_years_ago()
    {
        Assert.Contains("person.dateOfBirth", ErrorsFor(Valid().With("person.dateOfBirth", "2026-06-02")).Keys);
        Assert.Contains("person.dateOfBirth", ErrorsFor(Valid().With("person.dateOfBirth", "1906-05-31")).Keys);
        Validator.Validate(Request(Valid().With("person.dateOfBirth", "2026-06-01").With("consent.authority", "ParentOrGuardian")),
            ReferralChannel.Api, ValidationRules.Api);
    }

    [Theory]
    [InlineData(10, ConsentAuthority.Person, false)]
    [InlineData(10, ConsentAuthority.ParentOrGuardian, true)]
    [InlineData(15, ConsentAuthority.BestInterestsDecision, false)]
    [InlineData(16, ConsentAuthority.Person, true)]
    [InlineData(16, ConsentAuthority.ParentOrGuardian, false)]
    [InlineData(16, ConsentAuthority.BestInterestsDecision, true)]
    [InlineData(17, ConsentAuthority.LastingPowerOfAttorney, false)]
    [InlineData(18, ConsentAuthority.LastingPowerOfAttorney, true)]
    [InlineData(80, ConsentAuthority.BestInterestsDecision, true)]
    public void Consent_authority_must_fit_the_persons_age(int age, ConsentAuthority authority, bool fits) =>
        Assert.Equal(fits, ReferralValidator.AuthorityProblem(authority, age) is null);

    [Fact]
    public void A_parent_consenting_for_an_adult_is_refused_on_the_authority_field() =>
        Assert.Contains("consent.authority", ErrorsFor(Valid().With("consent.authority", "ParentOrGuardian")).Keys);

    [Fact]
    public void Consent_cannot_be_given_in_the_future_beyond_clock_skew()
    {
        Assert.Contains("consent.givenAt", ErrorsFor(Valid().With("consent.givenAt", Clock.UtcNow.AddMinutes(10).ToString("O"))).Keys);
        Validator.Validate(Request(Valid().With("consent.givenAt", Clock.UtcNow.AddMinutes(4).ToString("O"))), ReferralChannel.Api, ValidationRules.Api);
    }

    [Fact]
    public void The_programme_must_be_known_and_serve_the_registered_practice()
    {
        Assert.Contains("programme", ErrorsFor(Valid().With("programme", "south-atlantis")).Keys);
        Assert.Contains("registeredPracticeOds", ErrorsFor(Valid().With("registeredPracticeOds", "B83001")).Keys);
        Assert.Contains("programme", ErrorsFor(Valid().With("programme", null)).Keys);
    }

    [Fact]
    public void FHIR_and_self_referrals_may_leave_the_programme_to_the_practice()
    {
        var command = Validator.Validate(Request(Valid().With("programme", null).With("registeredPracticeOds", "B83001")), ReferralChannel.Fhir,
            ValidationRules.Fhir);
        Assert.Equal("east-bradford", command.ProgrammeId);
    }

    [Theory]
    [InlineData("person.givenName", 100)]
    [InlineData("person.familyName", 100)]
    [InlineData("whatMatters", 4000)]
    [InlineData("reasonText", 4000)]
    [InlineData("risk.notes", 4000)]
    [InlineData("referrer.professionalName", 200)]
    public void Fields_have_maximum_lengths(string field, int max)
    {
        Validator.Validate(Request(Valid().With(field, new string('a', max))), ReferralChannel.Api, ValidationRules.Api);
        Assert.Contains(field, ErrorsFor(Valid().With(field, new string('a', max + 1))).Keys);
    }

    [Theory]
    [InlineData("person.givenName", "Ao\u0000ife")]
    [InlineData("person.givenName", "Ao\nife")]
    [InlineData("whatMatters", "bell\u0007")]
    [InlineData("reasonText", "\u001b[2J")]
    public void Control_characters_are_refused(string field, string text) => Assert.Contains(field, ErrorsFor(Valid().With(field, text)).Keys);

    [Fact]
    public void Line_breaks_and_tabs_are_kept_in_free_text()
    {
        var command = Validator.Validate(Request(Valid().With("whatMatters", "One\r\n\tTwo")), ReferralChannel.Api, ValidationRules.Api);
        Assert.Equal("One\r\n\tTwo", command.WhatMatters);
    }

    [Fact]
    public void Every_risk_question_needs_an_explicit_answer()
    {
        var errors = ErrorsFor(Valid().With("risk", new JsonObject()));
        Assert.Contains("risk.riskOfHarmToSelf", errors.Keys);
        Assert.Contains("risk.riskOfHarmToOthers", errors.Keys);
        Assert.Contains("risk.safeguardingConcern", errors.Keys);
        Assert.Contains("risk.risksToVisitingWorker", errors.Keys);
    }

    [Fact]
    public void An_agency_id_is_recognised_and_must_be_well_formed()
    {
        var command = Validator.Validate(Request(Valid().With("referrer.organisationId", "agy-leeds-housing")), ReferralChannel.Api, ValidationRules.Api);
        Assert.Equal(ReferrerKind.Agency, command.Referrer.Kind);
        Assert.Equal("AGY-LEEDS-HOUSING", command.Referrer.OrganisationId);
        Assert.Contains("referrer.organisationId", ErrorsFor(Valid().With("referrer.organisationId", "AGY-!").With("referrer.kind", "Agency")).Keys);
    }

    [Fact]
    public void Self_referrals_may_omit_the_NHS_number_but_need_age_16()
    {
        var rules = ValidationRules.Self;
        var command = Validator.Validate(Request(Valid().With("person.nhsNumber", null).With("referrer", null)), ReferralChannel.SelfReferral, rules);
        Assert.Null(command.Person.NhsNumber);
        Assert.Equal(ReferrerKind.Self, command.Referrer.Kind);
        Assert.Contains("person.dateOfBirth", ErrorsFor(Valid().With("person.dateOfBirth", "2012-01-01").With("referrer", null)
            .With("consent.authority", "ParentOrGuardian"), rules).Keys);
    }

    [Fact]
    public void The_programme_catalogue_refuses_malformed_ids_and_practice_codes()
    {
        Assert.Throws<InvalidOperationException>(() => ProgrammeCatalogue.Create(new Dictionary<string, ProgrammeSettings>
        {
            ["North Leeds"] = new() { Practices = ["B86001"] },
        }));
        Assert.Throws<InvalidOperationException>(() => ProgrammeCatalogue.Create(new Dictionary<string, ProgrammeSettings>
        {
            ["north-leeds"] = new() { Practices = ["B86-001"] },
        }));
        Assert.Equal(["north-leeds"], Catalogue.Serving("B86002").Select(p => p.Id));
    }

    [Theory]
    [InlineData("{\"person\": {\"dateOfBirth\": 5}}", "person.dateOfBirth")]
    [InlineData("{\"needs\": [\"Housing\", 3]}", "needs[1]")]
    [InlineData("{\"person\": {\"shoeSize\": 9}}", "person.shoeSize")]
    [InlineData("{\"urgency\": 1}", "urgency")]
    [InlineData("{\"urgency\": \"Critical\"}", "urgency")]
    [InlineData("{\"programme\": \"a\", \"programme\": \"b\"}", "programme")]
    [InlineData("{\"consent\": {\"givenAt\": \"yesterday\"}}", "consent.givenAt")]
    [InlineData("{\"person\": {", "person")]
    [InlineData("[]", "body")]
    public void A_binding_error_names_the_field(string json, string field)
    {
        var error = Assert.Throws<RequestValidationException>(() => JsonBody.Bind<ReferralRequest>(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Equal(field, Assert.Single(error.Errors).Key);
    }
}
