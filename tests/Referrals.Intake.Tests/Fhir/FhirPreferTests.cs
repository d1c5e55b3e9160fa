using Microsoft.AspNetCore.Http;
using Referrals.Intake.Fhir;

namespace Referrals.Intake.Tests.Fhir;

public sealed class FhirPreferTests
{
    [Theory]
    [InlineData("return=minimal", FhirPrefer.Minimal)]
    [InlineData("return=\"minimal\"", FhirPrefer.Minimal)]
    [InlineData("respond-async, return=operationoutcome", FhirPrefer.OperationOutcome)]
    [InlineData("handling=strict; x=1, Return = Representation", FhirPrefer.Representation)]
    [InlineData("return=everything", null)]
    [InlineData("handling=lenient", null)]
    [InlineData("", null)]
    public void The_return_preference_is_read_among_others_whatever_its_case(string header, string? expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[FhirPrefer.Header] = header;

        Assert.Equal(expected, FhirPrefer.Return(context.Request));
    }

    [Theory]
    [InlineData(FhirPrefer.Minimal, "return=minimal")]
    [InlineData(FhirPrefer.OperationOutcome, "return=OperationOutcome")]
    [InlineData(FhirPrefer.Representation, null)]
    [InlineData(null, null)]
    public void Only_a_preference_followed_is_said_to_be_applied(string? preference, string? applied)
    {
        var context = new DefaultHttpContext();

        FhirPrefer.Applied(context.Response, preference);

        Assert.Equal(applied, context.Response.Headers.TryGetValue(FhirPrefer.AppliedHeader, out var value) ? value.ToString() : null);
    }
}
