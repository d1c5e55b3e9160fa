using Referrals.Fhir.Model;

namespace Referrals.Fhir;

/// <summary>
/// One problem found in a FHIR resource: what kind, where (a FHIRPath-style element path rooted at the resource type,
/// e.g. <c>Bundle.entry[1].resource.status</c>) and why. Converts to an <see cref="OperationOutcomeIssue"/>.
/// </summary>
public sealed record FhirIssue(IssueSeverity Severity, IssueType Code, string Path, string Message)
{
    public OperationOutcomeIssue ToOperationOutcomeIssue() => new()
    {
        Severity = Severity,
        Code = Code,
        Diagnostics = Message,
        Expression = string.IsNullOrEmpty(Path) ? [] : [Path],
    };

    public override string ToString() => string.IsNullOrEmpty(Path) ? Message : $"{Path}: {Message}";
}

/// <summary>The result of <see cref="FhirJson.TryParse{T}(string)"/>: the resource, or the issues that stopped it.</summary>
public sealed class FhirParseResult<T>
    where T : Resource
{
    internal FhirParseResult(T? resource, IReadOnlyList<FhirIssue> issues)
    {
        Resource = resource;
        Issues = issues;
    }

    /// <summary>The parsed resource; null when <see cref="Success"/> is false.</summary>
    public T? Resource { get; }

    /// <summary>Every problem found (empty on success).</summary>
    public IReadOnlyList<FhirIssue> Issues { get; }

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Resource))]
    public bool Success => Resource is not null;

    /// <summary>An OperationOutcome listing the issues, for a 400/422 answer.</summary>
    public OperationOutcome ToOperationOutcome() => OperationOutcomes.FromIssues(Issues);
}

/// <summary>Thrown by <see cref="FhirJson.Parse{T}(string)"/> when inbound JSON is not a valid resource of the expected type.</summary>
public sealed class FhirParseException : Exception
{
    public FhirParseException(IReadOnlyList<FhirIssue> issues)
        : base("Invalid FHIR resource: " + string.Join("; ", issues)) => Issues = issues;

    public FhirParseException()
        : this([])
    {
    }

    public FhirParseException(string message)
        : base(message) => Issues = [];

    public FhirParseException(string message, Exception innerException)
        : base(message, innerException) => Issues = [];

    public IReadOnlyList<FhirIssue> Issues { get; }
}

/// <summary>Thrown by <see cref="FhirJson.Serialize"/> when the model breaks a FHIR rule (missing required element, two choice values …).</summary>
public sealed class FhirValidationException : InvalidOperationException
{
    public FhirValidationException(IReadOnlyList<FhirIssue> issues)
        : base("The resource breaks FHIR rules: " + string.Join("; ", issues)) => Issues = issues;

    public FhirValidationException()
        : this([])
    {
    }

    public FhirValidationException(string message)
        : base(message) => Issues = [];

    public FhirValidationException(string message, Exception innerException)
        : base(message, innerException) => Issues = [];

    public IReadOnlyList<FhirIssue> Issues { get; }
}
