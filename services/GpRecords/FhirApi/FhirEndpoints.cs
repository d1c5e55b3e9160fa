using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.ServiceDefaults.Auth;
using Referrals.SharedKernel;

namespace Referrals.GpRecords.FhirApi;

/// <summary>
/// FHIR R4 read API for clinical systems (role <c>clinical-system</c>), <c>application/fhir+json</c>. A clinical system sees
/// only patients registered at its own ODS code(s), and only within the person's current sharing scope (coded-only
/// renderings under coded-only consent, nothing under none). Errors are OperationOutcomes. Resources not visible answer 404,
/// so the API does not reveal whom it holds.
/// </summary>
public static class FhirEndpoints
{
    public const string ContentType = "application/fhir+json; fhirVersion=4.0";

    public static readonly IReadOnlyList<string> SearchableTypes = ["ServiceRequest", "Task", "Observation", "Procedure"];

    public static readonly IReadOnlyList<string> ReadableTypes =
        ["ServiceRequest", "Task", "Observation", "Procedure", "Encounter", "Consent", "Goal", "CarePlan"];

    public static void MapFhirEndpoints(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup("/fhir").WithTags("FHIR");
        fhir.MapGet("/metadata", Metadata).AllowAnonymous();

        var clinical = fhir.MapGroup("").RequireAuthorization(Roles.ClinicalSystem);
        clinical.MapGet("/Patient", SearchPatientsAsync);
        clinical.MapGet("/Patient/{id}", ReadPatientAsync);
        clinical.MapGet("/Patient/{id}/$everything", PatientEverythingAsync);
        clinical.MapGet("/ServiceRequest/{id}/$everything", JourneyEverythingAsync);
        clinical.MapGet("/{type}", SearchAsync);
        clinical.MapGet("/{type}/{id}", ReadAsync);
    }

    private static ContentHttpResult Fhir(Resource resource, int status = 200) =>
        TypedResults.Content(FhirJson.Serialize(resource), ContentType, Encoding.UTF8, status);

    // Diagnostics are fixed texts: nothing taken from the request (ids, types, parameter names) is given back, since a
    // caller may put personal data there (HAZ-015), and a 404 reads the same whether the resource is held or not.
    private static ContentHttpResult Error(int status, IssueType code, string diagnostics) =>
        Fhir(OperationOutcomes.Error(code, diagnostics), status);

    private static ContentHttpResult NotFound() =>
        Error(404, IssueType.NotFound, "Resource not found, or not visible to this organisation.");

    private static ContentHttpResult Metadata(IOptions<GpRecordsOptions> options) => Fhir(CapabilityStatementFactory.Create(options.Value.Fhir));

    // ------------------------------------------------------------------ patients

    private static async Task<ContentHttpResult> SearchPatientsAsync(HttpContext http, IDocumentStore store, BlindIndex index, CancellationToken ct)
    {
        if (UnknownParameters(http, "identifier", "_id") is { } unknown)
        {
            return unknown;
        }

        await using var session = store.QuerySession();
        var patients = new List<PatientDocument>();
        if (http.Request.Query["_id"].ToString() is { Length: > 0 } id)
        {
            patients.AddRange((await session.LoadAsync<PatientDocument>(id, ct)) is { } p ? [p] : []);
        }
        else if (http.Request.Query["identifier"].ToString() is { Length: > 0 } identifier)
        {
            var parts = identifier.Split('|', 2);
            if (parts.Length != 2 || parts[0] != FhirSystems.NhsNumber || !SharedKernel.NhsNumber.TryCreate(parts[1], out var nhs, out _))
            {
                return Error(400, IssueType.Invalid, $"identifier must be {FhirSystems.NhsNumber}|<a valid NHS number>.");
            }

            patients.AddRange(await session.QueryAsync<PatientDocument>("data->>'nhsNumberIndex' = ?",
                [index.Compute(PatientDetailsHandler.NhsNumberPurpose, nhs.Value.Value)], ct));
        }
        else
        {
            return Error(400, IssueType.Required, "Search Patient by identifier (NHS number) or _id.");
        }

        var visible = new List<Resource>();
        foreach (var patient in patients)
        {
            if (await VisiblePatientAsync(session, http.User, patient, ct) is { } resource)
            {
                visible.Add(resource);
            }
        }

        return Fhir(SearchSet(http, visible));
    }

    private static async Task<ContentHttpResult> ReadPatientAsync(string id, HttpContext http, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var patient = await session.LoadAsync<PatientDocument>(id, ct);
        return patient is not null && await VisiblePatientAsync(session, http.User, patient, ct) is { } resource
            ? Fhir(resource)
            : NotFound();
    }

    private static async Task<ContentHttpResult> PatientEverythingAsync(string id, HttpContext http, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var patient = await session.LoadAsync<PatientDocument>(id, ct);
        if (patient is null || await VisiblePatientAsync(session, http.User, patient, ct) is not { } patientResource)
        {
            return NotFound();
        }

        var documents = await session.QueryAsync<FhirResourceDocument>("data->>'patientId' = ? and data->>'resourceType' <> 'Bundle'", [id], ct);
        return Fhir(SearchSet(http, [patientResource, .. await RenderAsync(session, http.User, documents, ct)]));
    }

    private static async Task<ContentHttpResult> JourneyEverythingAsync(string id, HttpContext http, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var request = await session.LoadAsync<FhirResourceDocument>("ServiceRequest/" + id, ct);
        var visible = request is null ? [] : await RenderAsync(session, http.User, [request], ct);
        if (request is null || visible.Count == 0)
        {
            return NotFound();
        }

        var patient = await session.LoadAsync<PatientDocument>(request.PatientId, ct);
        var patientResource = patient is null ? null : await VisiblePatientAsync(session, http.User, patient, ct);
        var documents = await session.QueryAsync<FhirResourceDocument>("data->>'journeyId' = ? and data->>'resourceType' <> 'Bundle'",
            [request.JourneyId.ToString()], ct);
        var resources = await RenderAsync(session, http.User, documents, ct);
        return Fhir(SearchSet(http, patientResource is null ? resources : [patientResource, .. resources]));
    }

    // ------------------------------------------------------------------ other resources

    private static async Task<ContentHttpResult> SearchAsync(string type, HttpContext http, IDocumentStore store, CancellationToken ct)
    {
        if (!SearchableTypes.Contains(type))
        {
            return Error(404, IssueType.NotSupported, "Searching this resource type is not supported: see /fhir/metadata.");
        }

        if (UnknownParameters(http, "patient", "date") is { } unknown)
        {
            return unknown;
        }

        var dates = new List<(string Prefix, DateTimeOffset From, DateTimeOffset To)>();
        foreach (var value in http.Request.Query["date"].Select(v => v ?? ""))
        {
            if (!DateParameter.TryParse(value, out var parsed))
            {
                return Error(400, IssueType.Invalid, "date is not a FHIR date search value (e.g. ge2026-01-01).");
            }

            dates.Add(parsed);
        }

        var patient = http.Request.Query["patient"].ToString();
        if (patient.StartsWith("Patient/", StringComparison.Ordinal))
        {
            patient = patient["Patient/".Length..];
        }

        await using var session = store.QuerySession();
        // Without a patient: the resources of everyone registered with the caller's practices now, whichever practice they
        // were produced for (after a move, the new practice finds the earlier ones too).
        var patients = patient.Length > 0
            ? [patient]
            : (await session.QueryAsync<PatientDocument>("data->>'registeredPracticeOds' = any(?)", [http.User.OdsCodes().ToArray()], ct))
                .Select(p => p.Id).ToArray();
        var documents = await session.QueryAsync<FhirResourceDocument>("data->>'resourceType' = ? and data->>'patientId' = any(?)", [type, patients], ct);
        var matching = documents.Where(d => dates.All(range => DateParameter.Matches(range, d.ClinicalDate)))
            .OrderBy(d => d.ClinicalDate).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        return Fhir(SearchSet(http, await RenderAsync(session, http.User, matching, ct)));
    }

    private static async Task<ContentHttpResult> ReadAsync(string type, string id, HttpContext http, IDocumentStore store, CancellationToken ct)
    {
        if (!ReadableTypes.Contains(type))
        {
            return Error(404, IssueType.NotSupported, "This resource type is not served: see /fhir/metadata.");
        }

        await using var session = store.QuerySession();
        var document = await session.LoadAsync<FhirResourceDocument>(type + "/" + id, ct);
        var rendered = document is null ? [] : await RenderAsync(session, http.User, [document], ct);
        return rendered.Count == 1 ? Fhir(rendered[0]) : NotFound();
    }

    // ------------------------------------------------------------------ visibility and rendering

    private static async Task<Resource?> VisiblePatientAsync(IQuerySession session, ClaimsPrincipal user, PatientDocument patient, CancellationToken ct)
    {
        if (patient.Details is null || !user.OdsCodes().Contains(patient.RegisteredPracticeOds, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var journeys = (await session.LoadAsync<PersonJourneysDocument>(patient.PersonId, ct))?.JourneyIds ?? [];
        var scopes = await session.LoadManyAsync<JourneySharingDocument>(journeys.Cast<object>(), ct);
        return scopes.Any(s => s.Scope != ConsentScope.None)
            ? JourneyRecordMapper.Patient(patient.PersonId, patient.Details, patient.RegisteredPracticeOds)
            : null;
    }

    private static async Task<List<Resource>> RenderAsync(IQuerySession session, ClaimsPrincipal user, IReadOnlyList<FhirResourceDocument> documents,
        CancellationToken ct)
    {
        // A practice sees the resources of the people registered with it now, whichever practice they were produced for:
        // after a move the new practice sees the journey and the old one nothing more (HAZ-004 C3, C4).
        var ods = user.OdsCodes();
        var patients = await session.LoadManyAsync<PatientDocument>(documents.Select(d => (object)d.PatientId).Distinct(), ct);
        var registeredHere = patients.Where(p => ods.Contains(p.RegisteredPracticeOds, StringComparer.OrdinalIgnoreCase)).Select(p => p.Id).ToHashSet();
        var ours = documents.Where(d => registeredHere.Contains(d.PatientId)).ToList();
        var scopes = (await session.LoadManyAsync<JourneySharingDocument>(ours.Select(d => (object)d.JourneyId).Distinct(), ct))
            .ToDictionary(s => s.Id, s => s.Scope);
        var result = new List<Resource>();
        foreach (var document in ours)
        {
            var json = scopes.GetValueOrDefault(document.JourneyId, ConsentScope.None) switch
            {
                ConsentScope.Full => document.FullJson,
                ConsentScope.CodedOnly => document.CodedJson,
                _ => null,
            };
            if (json is not null)
            {
                result.Add(FhirJson.Parse<Resource>(json));
            }
        }

        return result;
    }

    private static Bundle SearchSet(HttpContext http, IReadOnlyList<Resource> resources)
    {
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}/fhir";
        return new Bundle
        {
            Type = BundleType.Searchset,
            Total = resources.Count,
            Link = [new BundleLink { Relation = "self", Url = baseUrl + http.Request.Path.Value![5..] + http.Request.QueryString }],
            Entry = [.. resources.Select(r => new BundleEntry
            {
                FullUrl = $"{baseUrl}/{r.ResourceType}/{r.Id}",
                Resource = r,
                Search = new BundleEntrySearch { Mode = SearchEntryMode.Match },
            })],
        };
    }

    private static ContentHttpResult? UnknownParameters(HttpContext http, params string[] known)
    {
        // The unknown names are not listed back (they come from the caller); the supported ones are.
        return http.Request.Query.Keys.All(k => known.Contains(k) || k is "_format")
            ? null
            : Error(400, IssueType.NotSupported, $"Unsupported search parameter. Supported: {string.Join(", ", known)}.");
    }
}

/// <summary>FHIR <c>date</c> search values: an optional prefix (eq, ne, lt, gt, le, ge) and a date of any precision.</summary>
internal static class DateParameter
{
    public static bool TryParse(string value, out (string Prefix, DateTimeOffset From, DateTimeOffset To) range)
    {
        range = default;
        var prefix = value.Length > 2 && char.IsAsciiLetterLower(value[0]) ? value[..2] : "eq";
        var text = prefix == "eq" && !value.StartsWith("eq", StringComparison.Ordinal) ? value : value[2..];
        if (prefix is not ("eq" or "ne" or "lt" or "gt" or "le" or "ge"))
        {
            return false;
        }

        if (FhirDateTime.TryParse(text, out var dateTime, out _) && dateTime.ToDateTimeOffset() is { } instant && text.Contains('T', StringComparison.Ordinal))
        {
            range = (prefix, instant, instant.AddTicks(1));
            return true;
        }

        if (!FhirDate.TryParse(text, out var date, out _))
        {
            return false;
        }

        // A date without a time is a UK day (the server's local time, as FHIR's search rules assume when none is given):
        // a practice asking for 2 June means from its midnight, 1 June 23:00 UTC in summer.
        var first = new DateOnly(date.Year, date.Precision >= FhirDatePrecision.Month ? date.Month : 1,
            date.Precision >= FhirDatePrecision.Day ? date.Day : 1);
        var next = date.Precision switch
        {
            FhirDatePrecision.Year => first.AddYears(1),
            FhirDatePrecision.Month => first.AddMonths(1),
            _ => first.AddDays(1),
        };
        range = (prefix, UkTime.StartOf(first), UkTime.StartOf(next));
        return true;
    }

    public static bool Matches((string Prefix, DateTimeOffset From, DateTimeOffset To) range, DateTimeOffset? value)
    {
        if (value is not { } v)
        {
            return false;
        }

        return range.Prefix switch
        {
            "eq" => v >= range.From && v < range.To,
            "ne" => v < range.From || v >= range.To,
            "lt" => v < range.From,
            "le" => v < range.To,
            "gt" => v >= range.To,
            _ => v >= range.From,
        };
    }
}
