using Referrals.Fhir.Model;
using Referrals.Fhir.Testing;

namespace Referrals.Fhir.Tests;

public sealed class OperationOutcomeTests
{
    [Fact]
    public void An_error_outcome_carries_severity_code_diagnostics_and_expression()
    {
        var outcome = OperationOutcomes.Error(IssueType.BusinessRule, "The referral is already closed.", "ServiceRequest.status");

        var json = FhirJson.Serialize(outcome);

        Assert.Equal("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"business-rule","diagnostics":"The referral is already closed.","expression":["ServiceRequest.status"]}]}""", json);
        FhirSchemaValidator.Shared.AssertValid(json);
    }

    [Fact]
    public void Helpers_pick_the_matching_issue_types()
    {
        Assert.Equal(IssueType.NotFound, OperationOutcomes.NotFound("No such referral").Issue[0].Code);
        Assert.Equal(IssueType.Conflict, OperationOutcomes.Conflict("Version 3 expected").Issue[0].Code);
        Assert.Equal(IssueType.Invalid, OperationOutcomes.Invalid("Bad").Issue[0].Code);
        Assert.False(OperationOutcomes.Information("All OK").HasErrors());
    }

    [Fact]
    public void An_outcome_without_issues_is_invalid_fhir()
    {
        var outcome = new OperationOutcome { Issue = [] };

        Assert.Equal("OperationOutcome.issue", Assert.Single(Assert.Throws<FhirValidationException>(() => FhirJson.Serialize(outcome)).Issues).Path);
    }
}
