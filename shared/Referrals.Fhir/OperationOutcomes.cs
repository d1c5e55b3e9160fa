using Referrals.Fhir.Model;

namespace Referrals.Fhir;

/// <summary>Builds <see cref="OperationOutcome"/>s for error answers.</summary>
public static class OperationOutcomes
{
    /// <summary>One issue: severity, code, diagnostics text and optional FHIRPath expressions of the elements concerned.</summary>
    public static OperationOutcome Create(IssueSeverity severity, IssueType code, string diagnostics, params string[] expression) => new()
    {
        Issue = [Issue(severity, code, diagnostics, expression)],
    };

    /// <summary>An error outcome (severity <c>error</c>).</summary>
    public static OperationOutcome Error(IssueType code, string diagnostics, params string[] expression) =>
        Create(IssueSeverity.Error, code, diagnostics, expression);

    /// <summary>Outcome for a resource that failed validation (<c>invalid</c>), e.g. a 400/422 answer to an inbound POST.</summary>
    public static OperationOutcome Invalid(string diagnostics, params string[] expression) => Error(IssueType.Invalid, diagnostics, expression);

    /// <summary>Outcome for an unknown resource (<c>not-found</c>, 404).</summary>
    public static OperationOutcome NotFound(string diagnostics) => Error(IssueType.NotFound, diagnostics);

    /// <summary>Outcome for a version conflict (<c>conflict</c>, 409/412).</summary>
    public static OperationOutcome Conflict(string diagnostics) => Error(IssueType.Conflict, diagnostics);

    /// <summary>An <c>information</c> outcome (e.g. <c>All OK</c>).</summary>
    public static OperationOutcome Information(string diagnostics) => Create(IssueSeverity.Information, IssueType.Informational, diagnostics);

    /// <summary>One issue per <see cref="FhirIssue"/>; an empty list gives a single <c>information</c> issue.</summary>
    public static OperationOutcome FromIssues(IEnumerable<FhirIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        var list = issues.Select(i => i.ToOperationOutcomeIssue()).ToList();
        return list.Count == 0 ? Information("All OK") : new OperationOutcome { Issue = list };
    }

    /// <summary>A single OperationOutcome.issue.</summary>
    public static OperationOutcomeIssue Issue(IssueSeverity severity, IssueType code, string diagnostics, params string[] expression) => new()
    {
        Severity = severity,
        Code = code,
        Diagnostics = string.IsNullOrEmpty(diagnostics) ? null : diagnostics,
        Expression = [.. expression],
    };

    /// <summary>True when the outcome has an issue of severity error or fatal.</summary>
    public static bool HasErrors(this OperationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Issue.Any(i => i.Severity is IssueSeverity.Error or IssueSeverity.Fatal);
    }
}
