using Referrals.Contracts;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.Intake.Fhir;

namespace Referrals.Intake.Tests.Fhir;

public sealed class IntakeFhirTests
{
    [Fact]
    public void Need_and_consent_codes_are_the_kebab_case_of_the_names()
    {
        Assert.Equal("loneliness-or-isolation", IntakeFhir.Code(NeedCategory.LonelinessOrIsolation));
        Assert.True(IntakeFhir.TryParseCode<ConsentAuthority>("lasting-power-of-attorney", out var authority));
        Assert.Equal(ConsentAuthority.LastingPowerOfAttorney, authority);
        Assert.True(IntakeFhir.TryParseCode<ConsentScope>("coded-only", out var scope));
        Assert.Equal(ConsentScope.CodedOnly, scope);
        Assert.False(IntakeFhir.TryParseCode<ConsentScope>("everything", out _));
    }

    [Fact]
    public void OperationOutcome_diagnostics_never_repeat_submitted_values_but_keep_element_names()
    {
        var parsed = FhirJson.TryParse<ServiceRequest>("""{"resourceType":"ServiceRequest","status":"active","intent":"order","subject":{"reference":"#p"},"authoredOn":"1958-02-30","colour":"red"}""");
        Assert.False(parsed.Success);
        var outcome = IntakeFhir.Sanitised(parsed.ToOperationOutcome());
        var text = string.Join(" ", outcome.Issue.Select(i => i.Diagnostics));
        Assert.DoesNotContain("1958-02-30", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("person.nhsNumber", "Patient.identifier")]
    [InlineData("person.dateOfBirth", "Patient.birthDate")]
    [InlineData("registeredPracticeOds", "Patient.generalPractitioner")]
    [InlineData("referrer.professionalName", "ServiceRequest.requester")]
    [InlineData("needs[0]", "ServiceRequest.reasonCode")]
    [InlineData("risk.riskOfHarmToSelf", "ServiceRequest.extension")]
    [InlineData("consent.sharingScope", "Consent")]
    [InlineData("urgency", "ServiceRequest.priority")]
    public void Field_errors_point_at_the_FHIR_element(string field, string expression) =>
        Assert.Equal(expression, FhirReferralMapper.ExpressionFor(field));
}
