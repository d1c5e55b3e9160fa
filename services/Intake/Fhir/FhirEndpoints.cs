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
/// <para>
/// Intake records the referral at once but serves no FHIR read of it (its state is the JSON <c>GET /referrals/{id}</c>;
/// gp-records serves the journey as FHIR). So no answer carries a FHIR <c>Location</c> or version a client would try to
/// read: a ServiceRequest (or collection) is answered 202 with the referral's status URL in <c>Content-Location</c>, and a
/// transaction 200 with a transaction-response whose entries are each <c>202 Accepted</c>, the ServiceRequest's linking
/// that status URL.
/// </para>
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
            .AddOpenApiOperationTransformer(FhirResponses(transaction: false));
        group.MapPost("", BundleAsync)
            .WithName("SubmitFhirBundle")
            .WithSummary("Submit a referral as a FHIR R4 transaction (or collection) Bundle: ServiceRequest, Patient, Organization, Consent.")
            .AddOpenApiOperationTransformer(FhirBody("A FHIR R4 transaction Bundle: ServiceRequest, Patient, Organization, Consent."))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .AddOpenApiOperationTransformer(FhirResponses(transaction: true));
        return app;
    }

    /// <summary>The referral's status, which the submitting organisation can read (JSON; intake has no FHIR read of it).</summary>
    public static string StatusUrl(Guid referralId) => $"/referrals/{referralId}";

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
    /// Documents the answers as they are sent: a transaction's 200 is a transaction-response Bundle, every other answer the
    /// endpoint makes is an OperationOutcome in application/fhir+json (the 202's only unless Prefer: return=minimal); only
    /// the sign-in's 401 and 403 (before the endpoint runs) are problem+json, and a 403 can be either.
    /// </summary>
    private static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> FhirResponses(bool transaction) =>
        (operation, _, _) =>
        {
            Document(operation, transaction);
            return Task.CompletedTask;
        };

    private static void Document(OpenApiOperation operation, bool transaction)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = FhirPrefer.Header,
            In = ParameterLocation.Header,
            Description = "return=minimal: no OperationOutcome in the answer (nor in a transaction-response's entries); " +
                          "return=OperationOutcome: the default. return=representation cannot be followed: intake keeps no FHIR " +
                          "representation of the referral, so the answer is as by default.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        operation.Responses ??= [];
        foreach (var (status, description) in new (int, string)[]
                 {
                     (StatusCodes.Status202Accepted, (transaction ? "A collection Bundle: " : "") +
                                                     "accepted, recorded and to be processed. Content-Location is the referral's " +
                                                     "status (GET /referrals/{id}, JSON); no Location, as intake serves no FHIR read " +
                                                     "of the referral. The body is an information OperationOutcome naming the " +
                                                     "referral, or none with Prefer: return=minimal."),
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

        if (operation.Responses["202"] is OpenApiResponse accepted)
        {
            accepted.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Content-Location"] = new OpenApiHeader
                {
                    Description = "The referral's status: /referrals/{id} (JSON, readable by the submitting organisation).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                },
                [FhirPrefer.AppliedHeader] = PreferenceAppliedHeader(),
            };
        }

        if (transaction)
        {
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "A transaction Bundle: done. A transaction-response Bundle with an entry for each entry sent, in order, " +
                              "each '202 Accepted' with no location (no resource of its own is kept); the ServiceRequest's entry links " +
                              "the referral's status (relation 'status', /referrals/{id}). Outcomes name the referral unless Prefer: " +
                              "return=minimal.",
                Headers = new Dictionary<string, IOpenApiHeader> { [FhirPrefer.AppliedHeader] = PreferenceAppliedHeader() },
                Content = new Dictionary<string, OpenApiMediaType> { [IntakeFhir.MediaType] = new() { Schema = TransactionResponseSchema() } },
            };
        }

        if (operation.Responses.TryGetValue("403", out var forbidden) && forbidden is OpenApiResponse response)
        {
            response.Description = "The requester is not an organisation your sign-in acts for (an OperationOutcome), or the sign-in " +
                                   "may not submit referrals (problem+json).";
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content[IntakeFhir.MediaType] = new OpenApiMediaType { Schema = OperationOutcomeSchema() };
        }
    }

    private static OpenApiHeader PreferenceAppliedHeader() => new()
    {
        Description = "The Prefer return= followed (return=minimal or return=OperationOutcome); absent when none was asked for or it could not be.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    /// <summary>The FHIR R4 transaction-response Bundle, as far as intake fills it.</summary>
    private static OpenApiSchema TransactionResponseSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "FHIR R4 Bundle of type transaction-response (https://hl7.org/fhir/R4/bundle.html).",
        Required = new HashSet<string> { "resourceType", "type", "entry" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["resourceType"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = "Bundle" },
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = "transaction-response" },
            ["entry"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "response" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["link"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Array,
                            Items = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Required = new HashSet<string> { "relation", "url" },
                                Properties = new Dictionary<string, IOpenApiSchema>
                                {
                                    ["relation"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = "status" },
                                    ["url"] = new OpenApiSchema { Type = JsonSchemaType.String },
                                },
                            },
                        },
                        ["response"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "status" },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = AcceptedStatus },
                                ["outcome"] = OperationOutcomeSchema(),
                            },
                        },
                    },
                },
            },
        },
    };

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
                ? await SubmitAsync(http, validator, handler, parsed.Resource, [], key, result => Accepted(http, result), ct)
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

            // A transaction is answered as one (all of it done, each entry answered); a collection asks for no such answer.
            return await SubmitAsync(http, validator, handler, requests[0], bundle.Entry, key,
                result => bundle.Type == BundleType.Transaction ? TransactionResponse(http, bundle, result) : Accepted(http, result), ct);
        });

    private static async Task<IResult> SubmitAsync(HttpContext http, ReferralValidator validator, SubmissionHandler handler,
        ServiceRequest request, IReadOnlyList<BundleEntry> entries, string? idempotencyKey, Func<SubmissionResult, IResult> answer,
        CancellationToken ct)
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
        return answer(result);
    }

    /// <summary>Every entry of a transaction is answered so: intake keeps none of them as a FHIR resource of its own.</summary>
    private const string AcceptedStatus = "202 Accepted";

    /// <summary>
    /// 202: recorded, to be processed (triage). Content-Location, not Location: a FHIR client reads a Location as
    /// [base]/ServiceRequest/[id]/_history/[vid], which intake does not serve. No ETag: there is no FHIR version to tag.
    /// </summary>
    private static IResult Accepted(HttpContext http, SubmissionResult result)
    {
        http.Response.Headers.ContentLocation = StatusUrl(result.ReferralId);
        var preference = FhirPrefer.Return(http.Request);
        FhirPrefer.Applied(http.Response, preference);
        return preference == FhirPrefer.Minimal
            ? Results.StatusCode(StatusCodes.Status202Accepted)
            : IntakeFhir.Outcome(StatusCodes.Status202Accepted, Received(result));
    }

    /// <summary>
    /// 200 with a transaction-response: an entry for each entry sent, in order (FHIR R4 transaction). Each is 202 Accepted
    /// without a location, as the plain POST is; the ServiceRequest's entry links the referral's status instead.
    /// </summary>
    private static IResult TransactionResponse(HttpContext http, Bundle transaction, SubmissionResult result)
    {
        var preference = FhirPrefer.Return(http.Request);
        FhirPrefer.Applied(http.Response, preference);
        var outcomes = preference != FhirPrefer.Minimal;
        var response = new Bundle
        {
            Type = BundleType.TransactionResponse,
            Entry = transaction.Entry.Select(entry => entry.Resource is ServiceRequest
                    ? new BundleEntry
                    {
                        Link = [new BundleLink { Relation = "status", Url = StatusUrl(result.ReferralId) }],
                        Response = new BundleEntryResponse { Status = AcceptedStatus, Outcome = outcomes ? Received(result) : null },
                    }
                    : new BundleEntry
                    {
                        Response = new BundleEntryResponse
                        {
                            Status = AcceptedStatus,
                            Outcome = outcomes
                                ? OperationOutcomes.Information(
                                    $"Accepted with referral {result.ReferralId}; intake keeps no {entry.Resource?.ResourceType ?? "resource"} of its own.")
                                : null,
                        },
                    })
                .ToList(),
        };
        return Results.Text(FhirJson.Serialize(response), IntakeFhir.MediaType, System.Text.Encoding.UTF8, StatusCodes.Status200OK);
    }

    private static OperationOutcome Received(SubmissionResult result) => OperationOutcomes.Information(
        $"Referral {result.ReferralId} accepted ({result.Status}{(result.Replayed ? ", already received" : "")}); " +
        $"its status: GET {StatusUrl(result.ReferralId)}.");

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
