using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.Intake.Http;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.Fhir;

/// <summary>
/// FHIR R4 in: <c>POST /fhir/ServiceRequest</c> (Patient and Consent contained) and <c>POST /fhir</c> (a transaction or
/// collection Bundle of ServiceRequest, Patient, Organization, Consent), as a GP system sends them. Both map to the same
/// SubmitReferral command as the JSON API. Every refusal is an OperationOutcome (application/fhir+json) that names the
/// element, and never repeats personal data.
/// </summary>
public static class FhirEndpoints
{
    /// <summary>The 409 for a resend whose ServiceRequest.identifier (no Idempotency-Key) came with a different referral.</summary>
    public const string IdentifierReused =
        "A referral with this ServiceRequest.identifier was already received with different content: a resend must be the same as the " +
        "referral first sent. To send a changed referral, give it a new ServiceRequest.identifier (and withdraw the first if it should " +
        "not go ahead).";

    public static IEndpointRouteBuilder MapFhirIntake(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/fhir").RequireAuthorization(IntakeAccess.ReferrerPolicy).WithTags("FHIR");
        group.MapPost("/ServiceRequest", ServiceRequestAsync)
            .WithName("SubmitFhirServiceRequest")
            .WithSummary("Submit a referral as a FHIR R4 ServiceRequest with its Patient and Consent contained.")
            .AddOpenApiOperationTransformer(FhirBody("A FHIR R4 ServiceRequest (Patient, requester and Consent contained)."))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .AddOpenApiOperationTransformer(FhirResponses);
        group.MapPost("", BundleAsync)
            .WithName("SubmitFhirBundle")
            .WithSummary("Submit a referral as a FHIR R4 transaction (or collection) Bundle: ServiceRequest, Patient, Organization, Consent.")
            .AddOpenApiOperationTransformer(FhirBody("A FHIR R4 transaction Bundle: ServiceRequest, Patient, Organization, Consent."))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .AddOpenApiOperationTransformer(FhirResponses);
        return app;
    }

    /// <summary>
    /// Documents the FHIR request body. (No Accepts metadata: routing would then answer a wrong media type with
    /// problem+json before the endpoint could answer with an OperationOutcome.)
    /// </summary>
    private static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> FhirBody(string description) =>
        (operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { [IntakeFhir.MediaType] = new(), ["application/json"] = new() },
            };
            return Task.CompletedTask;
        };

    /// <summary>
    /// Documents the answers as they are sent: every one the endpoint makes is an OperationOutcome in application/fhir+json;
    /// only the sign-in's 401 and 403 (before the endpoint runs) are problem+json, and a 403 can be either.
    /// </summary>
    private static Task FhirResponses(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        operation.Responses ??= [];
        foreach (var (status, description) in new (int, string)[]
                 {
                     (StatusCodes.Status202Accepted, "Accepted: an information OperationOutcome naming the referral; Location is /referrals/{id}."),
                     (StatusCodes.Status400BadRequest, "Invalid: an OperationOutcome whose issues name the elements (FHIRPath), never their values."),
                     (StatusCodes.Status409Conflict, "The ServiceRequest.identifier or Idempotency-Key came before with different content, or the " +
                                                     "Patient's details differ from those held for the NHS number (unless Referrals-Identity-Confirmed: true)."),
                     (StatusCodes.Status413PayloadTooLarge, "The body is over the size limit."),
                     (StatusCodes.Status415UnsupportedMediaType, "The body is not application/fhir+json or application/json (UTF-8)."),
                 })
        {
            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { [IntakeFhir.MediaType] = new() { Schema = OperationOutcomeSchema() } },
            };
        }

        if (operation.Responses.TryGetValue("403", out var forbidden) && forbidden is OpenApiResponse response)
        {
            response.Description = "The requester is not an organisation your sign-in acts for (an OperationOutcome), or the sign-in " +
                                   "may not submit referrals (problem+json).";
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content[IntakeFhir.MediaType] = new OpenApiMediaType { Schema = OperationOutcomeSchema() };
        }

        return Task.CompletedTask;
    }

    /// <summary>The FHIR R4 OperationOutcome, as far as intake fills it.</summary>
    private static OpenApiSchema OperationOutcomeSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "FHIR R4 OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html).",
        Required = new HashSet<string> { "resourceType", "issue" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["resourceType"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = "OperationOutcome" },
            ["issue"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "severity", "code" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["severity"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["diagnostics"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["expression"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                },
            },
        },
    };

    private static Task<IResult> ServiceRequestAsync(HttpContext http, ReferralValidator validator, SubmissionHandler handler,
        IOptions<BodyLimits> limits, CancellationToken ct) =>
        AnswerAsync(async () =>
        {
            var key = IdempotencyKey.Read(http.Request);
            var bytes = await JsonBody.ReadBytesAsync(http.Request, limits.Value.MaxBodyBytes, IntakeFhir.AcceptsMediaType, ct);
            var parsed = FhirJson.TryParse<ServiceRequest>(bytes);
            return parsed.Success
                ? await SubmitAsync(http, validator, handler, parsed.Resource, [], key, ct)
                : IntakeFhir.Outcome(StatusCodes.Status400BadRequest, parsed.ToOperationOutcome());
        });

    private static Task<IResult> BundleAsync(HttpContext http, ReferralValidator validator, SubmissionHandler handler,
        IOptions<BodyLimits> limits, CancellationToken ct) =>
        AnswerAsync(async () =>
        {
            var key = IdempotencyKey.Read(http.Request);
            var bytes = await JsonBody.ReadBytesAsync(http.Request, limits.Value.MaxBodyBytes, IntakeFhir.AcceptsMediaType, ct);
            var parsed = FhirJson.TryParse<Bundle>(bytes);
            if (!parsed.Success)
            {
                return IntakeFhir.Outcome(StatusCodes.Status400BadRequest, parsed.ToOperationOutcome());
            }

            var bundle = parsed.Resource;
            if (bundle.Type is not (BundleType.Transaction or BundleType.Collection))
            {
                return IntakeFhir.Outcome(StatusCodes.Status400BadRequest,
                    OperationOutcomes.Invalid("Send a transaction (or collection) Bundle.", "Bundle.type"));
            }

            var requests = bundle.Entry.Select(e => e.Resource).OfType<ServiceRequest>().ToList();
            if (requests.Count != 1)
            {
                return IntakeFhir.Outcome(StatusCodes.Status400BadRequest,
                    OperationOutcomes.Invalid("The Bundle must hold exactly one ServiceRequest (one referral).", "Bundle.entry"));
            }

            return await SubmitAsync(http, validator, handler, requests[0], bundle.Entry, key, ct);
        });

    private static async Task<IResult> SubmitAsync(HttpContext http, ReferralValidator validator, SubmissionHandler handler,
        ServiceRequest request, IReadOnlyList<BundleEntry> entries, string? idempotencyKey, CancellationToken ct)
    {
        var issues = new List<FhirIssue>();
        var mapped = FhirReferralMapper.Map(request, entries, issues);
        if (mapped is null)
        {
            return IntakeFhir.Outcome(StatusCodes.Status400BadRequest, OperationOutcomes.FromIssues(issues));
        }

        var command = validator.Validate(mapped.Request, ReferralChannel.Fhir, ValidationRules.Fhir);
        if (!http.User.ActsFor(command.OrganisationId))
        {
            return IntakeFhir.Outcome(StatusCodes.Status403Forbidden, OperationOutcomes.Error(IssueType.Forbidden,
                "You can only refer as your own organisation: the requester's ODS code must be one your sign-in acts for.",
                "ServiceRequest.requester"));
        }

        // A GP system's own ServiceRequest.identifier makes a resend safe even without an Idempotency-Key.
        var key = idempotencyKey ?? (mapped.BusinessIdentifier is { } identifier ? "fhir-identifier:" + identifier : null);
        if (key is { Length: > IdempotencyRecord.MaxKeyLength })
        {
            key = "fhir-identifier-sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        }

        var result = await handler.SubmitAsync(command, key, IdentityConfirmation.Read(http.Request),
            idempotencyKey is null ? IdentifierReused : SubmissionHandler.KeyReused, ct);
        http.Response.Headers.Location = $"/referrals/{result.ReferralId}";
        return IntakeFhir.Outcome(StatusCodes.Status202Accepted, OperationOutcomes.Information(
            $"Referral {result.ReferralId} accepted ({result.Status}{(result.Replayed ? ", already received" : "")})."));
    }

    /// <summary>Turns every refusal into an OperationOutcome with the right status.</summary>
    private static async Task<IResult> AnswerAsync(Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (RequestValidationException invalid)
        {
            return IntakeFhir.Outcome(StatusCodes.Status400BadRequest, new OperationOutcome
            {
                Issue = invalid.Errors.SelectMany(e => e.Value.Select(message => OperationOutcomes.Issue(IssueSeverity.Error,
                    IssueType.Invalid, message, e.Key is "Idempotency-Key" or "body" ? [] : [FhirReferralMapper.ExpressionFor(e.Key)]))).ToList(),
            });
        }
        catch (BadHttpRequestException bad)
        {
            return IntakeFhir.Outcome(bad.StatusCode, OperationOutcomes.Error(
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? IssueType.TooCostly : IssueType.NotSupported, bad.Message));
        }
        catch (DomainRuleException rule)
        {
            return IntakeFhir.Outcome(StatusCodes.Status409Conflict, OperationOutcomes.Conflict(rule.Message));
        }
    }
}
