using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.Deploy.Journeys;

/// <summary>A link worker as the platform knows them (the development seed's ids).</summary>
public sealed record Worker(string Id, int Tier, string Programme);

/// <summary>
/// Drives a journey through the services' public HTTP APIs only, with development tokens for each role. Used by the
/// demo, the end-to-end tests and the load benchmark, so all three exercise exactly what a real client would.
/// </summary>
public sealed class PlatformClient(PlatformAddresses addresses, string signingKey = DevelopmentTokens.DefaultKey) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public PlatformAddresses Addresses { get; } = addresses;

    public TimeSpan WaitLimit { get; init; } = TimeSpan.FromSeconds(60);

    public string ReferrerToken(string ods) =>
        DevelopmentTokens.Create(signingKey, $"gp-{ods}", [Roles.Referrer], [new(ReferralsClaims.OdsCode, ods)]);

    public string WorkerToken(Worker worker) =>
        DevelopmentTokens.Create(signingKey, worker.Id, [Roles.LinkWorker],
        [
            new(ReferralsClaims.LinkWorkerId, worker.Id),
            new(ReferralsClaims.Tier, worker.Tier.ToString(CultureInfo.InvariantCulture)),
            new(ReferralsClaims.Programme, worker.Programme),
        ]);

    public string TeamLeadToken(string programme, string id = "tl-nl-01") =>
        DevelopmentTokens.Create(signingKey, id, [Roles.TeamLead], [new(ReferralsClaims.Programme, programme)]);

    public string ClinicalSystemToken(string ods) =>
        DevelopmentTokens.Create(signingKey, $"cs-{ods}", [Roles.ClinicalSystem], [new(ReferralsClaims.OdsCode, ods)]);

    /// <summary>POST /referrals; returns the referral id.</summary>
    public async Task<Guid> SubmitReferralAsync(JsonObject referral, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var practice = referral["referrer"]!["organisationId"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Addresses.Intake, "/referrals"))
        {
            Content = JsonContent.Create(referral),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReferrerToken(practice));
        request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        var body = await SendAsync(request, HttpStatusCode.Accepted, ct);
        return body.GetProperty("referralId").GetGuid();
    }

    /// <summary>The referrer withdraws its referral (POST /referrals/{id}/withdraw).</summary>
    public async Task WithdrawAsync(Guid referralId, string practice, string reason, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Addresses.Intake, $"/referrals/{referralId}/withdraw"))
        {
            Content = JsonContent.Create(new { reason }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReferrerToken(practice));
        await SendAsync(request, null, ct);
    }

    /// <summary>Triage's view of the referral, as the programme's team lead reads it.</summary>
    public Task<JsonElement> TriageReferralAsync(Guid referralId, string programme, CancellationToken ct = default) =>
        GetAsync(Addresses.Triage, $"/referrals/{referralId}", TeamLeadToken(programme), ct);

    /// <summary>A team lead acknowledges an escalation (POST /escalations/{id}/acknowledge).</summary>
    public async Task<JsonElement> AcknowledgeEscalationAsync(Guid escalationId, string programme, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Addresses.Triage, $"/escalations/{escalationId}/acknowledge"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TeamLeadToken(programme));
        return await SendAsync(request, null, ct);
    }

    /// <summary>A team lead overrides the triage decision (POST /referrals/{id}/override at triage).</summary>
    public async Task<JsonElement> OverrideTriageAsync(Guid referralId, string programme, string requiredTier, string priority, bool? eligible,
        string reason, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Addresses.Triage, $"/referrals/{referralId}/override"))
        {
            Content = JsonContent.Create(new { requiredTier, priority, eligible, reason }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TeamLeadToken(programme));
        return await SendAsync(request, HttpStatusCode.OK, ct);
    }

    public Task<JsonElement> ProgrammeQueueAsync(string programme, CancellationToken ct = default) =>
        GetAsync(Addresses.Triage, $"/programmes/{programme}/queue", TeamLeadToken(programme), ct);

    /// <summary>The referral's status as its referrer sees it (GET /referrals/{id} at intake).</summary>
    public Task<JsonElement> ReferralStatusAsync(Guid referralId, string practice, CancellationToken ct = default) =>
        GetAsync(Addresses.Intake, $"/referrals/{referralId}", ReferrerToken(practice), ct);

    public Task<JsonElement> WaitForStatusAsync(Guid referralId, string practice, Func<string, bool> done, CancellationToken ct = default) =>
        PollAsync(() => ReferralStatusAsync(referralId, practice, ct), r => done(r.GetProperty("status").GetString()!), "referral status", ct);

    /// <summary>Waits until triage has offered the referral to a worker, as the programme's team lead sees it.</summary>
    public async Task<(Guid AssignmentId, Worker Worker)> WaitForAssignmentAsync(Guid referralId, string programme, CancellationToken ct = default)
    {
        var referral = await PollAsync(
            () => GetOrNullAsync(Addresses.Triage, $"/referrals/{referralId}", TeamLeadToken(programme), ct),
            r => r.ValueKind == JsonValueKind.Object && r.GetProperty("assignment").ValueKind == JsonValueKind.Object,
            "assignment", ct);
        var assignment = referral.GetProperty("assignment");
        var tier = assignment.GetProperty("workerTier").GetString() switch
        {
            "LinkWorkerCoach" => 2,
            "PsychosocialLinkWorker" => 3,
            _ => 1,
        };
        return (assignment.GetProperty("assignmentId").GetGuid(), new Worker(assignment.GetProperty("linkWorkerId").GetString()!, tier, programme));
    }

    public async Task AcceptAsync(Guid assignmentId, Worker worker, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Addresses.Triage, $"/assignments/{assignmentId}/accept"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WorkerToken(worker));
        await SendAsync(request, null, ct);
    }

    /// <summary>Waits until support-plan has opened the journey for the referral and returns its id.</summary>
    public async Task<Guid> WaitForOpenJourneyAsync(Guid referralId, Worker worker, CancellationToken ct = default)
    {
        var link = await PollAsync(
            () => GetOrNullAsync(Addresses.SupportPlan, $"/referrals/{referralId}/journey", WorkerToken(worker), ct),
            r => r.ValueKind == JsonValueKind.Object, "journey", ct);
        var journeyId = link.GetProperty("journeyId").GetGuid();
        await PollAsync(() => JourneyAsync(journeyId, worker, ct), j => j.GetProperty("status").GetString() is not "AwaitingAcceptance",
            "journey to open", ct);
        return journeyId;
    }

    public Task<JsonElement> JourneyAsync(Guid journeyId, Worker worker, CancellationToken ct = default) =>
        GetAsync(Addresses.SupportPlan, $"/journeys/{journeyId}", WorkerToken(worker), ct);

    /// <summary>POST to a journey endpoint as the worker (e.g. "agreement", "outcome-measures", "closure").</summary>
    public Task<JsonElement> JourneyCommandAsync(Guid journeyId, Worker worker, string path, object? body, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Addresses.SupportPlan, $"/journeys/{journeyId}/{path}"))
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WorkerToken(worker));
        return SendAndDisposeAsync(request, ct);
    }

    /// <summary>The journey's whole coded record as GP-records serves it to the registered practice's clinical system.</summary>
    public async Task<JsonElement> PatientEverythingAsync(string nhsNumber, string practice, CancellationToken ct = default)
    {
        var token = ClinicalSystemToken(practice);
        var search = await GetAsync(Addresses.GpRecords, $"/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}", token, ct);
        var patientId = search.GetProperty("entry")[0].GetProperty("resource").GetProperty("id").GetString();
        return await GetAsync(Addresses.GpRecords, $"/fhir/Patient/{patientId}/$everything", token, ct);
    }

    /// <summary>Whether the practice's clinical system finds the person by NHS number (only a practice they are registered with does).</summary>
    public async Task<bool> PatientVisibleAsync(string nhsNumber, string practice, CancellationToken ct = default) =>
        (await GetAsync(Addresses.GpRecords, $"/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}", ClinicalSystemToken(practice), ct))
        .TryGetProperty("entry", out var entries) && entries.GetArrayLength() > 0;

    public string OfficerToken(string id = "dpo-1") => DevelopmentTokens.Create(signingKey, id, [Roles.DataProtectionOfficer], []);

    /// <summary>A team lead records that the person moved to another GP practice (POST /people/{id}/registered-practice).</summary>
    public async Task<JsonElement> ChangeRegisteredPracticeAsync(Guid personId, string practice, string programme, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Addresses.Intake, $"/people/{personId}/registered-practice"))
        {
            Content = JsonContent.Create(new { registeredPracticeOds = practice }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TeamLeadToken(programme));
        return await SendAsync(request, HttpStatusCode.OK, ct);
    }

    /// <summary>Someone asks for the person's data to be erased (POST /people/{id}/erasure-requests); returns the request id.</summary>
    public async Task<Guid> RequestErasureAsync(Guid personId, string requesterToken, string ground = "ConsentWithdrawn", CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Addresses.Intake, $"/people/{personId}/erasure-requests"))
        {
            Content = JsonContent.Create(new { ground }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", requesterToken);
        return (await SendAsync(request, HttpStatusCode.Created, ct)).GetProperty("erasureRequestId").GetGuid();
    }

    /// <summary>A data-protection officer approves or refuses an erasure request, with the reason.</summary>
    public async Task<JsonElement> ReviewErasureAsync(Guid erasureRequestId, object review, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Addresses.Intake, $"/erasure-requests/{erasureRequestId}/review"))
        {
            Content = JsonContent.Create(review),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OfficerToken());
        return await SendAsync(request, HttpStatusCode.OK, ct);
    }

    /// <summary>The subject access package: what all four services hold about the person.</summary>
    public async Task<JsonElement> SubjectAccessAsync(Guid personId, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Addresses.Intake, $"/people/{personId}/subject-access"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OfficerToken());
        return await SendAsync(request, HttpStatusCode.OK, ct);
    }

    /// <summary>What the practice's system holds (the stand-in practice receiver).</summary>
    public async Task<JsonElement> PracticeRecordAsync(string practice, CancellationToken ct = default)
    {
        var uri = new Uri(Addresses.Practice ?? throw new InvalidOperationException("No practice receiver."), $"/{practice}/fhir");
        return JsonDocument.Parse(await _http.GetStringAsync(uri, ct)).RootElement.Clone();
    }

    /// <summary>Extra text for timeout messages (tests attach the services' recent warnings and errors).</summary>
    public Func<string>? Diagnostics { get; init; }

    public async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                var diagnostics = Diagnostics?.Invoke();
                throw new TimeoutException(diagnostics is null
                    ? $"Timed out waiting for {what}."
                    : $"Timed out waiting for {what}. What the services logged:\n{diagnostics}");
            }

            await Task.Delay(100, ct);
        }
    }

    private async Task<JsonElement> GetAsync(Uri service, string path, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await SendAsync(request, HttpStatusCode.OK, ct);
    }

    private async Task<JsonElement> GetOrNullAsync(Uri service, string path, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, ct);
        // Not there yet, or not yet this worker's (the journey opens on acceptance).
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return default;
        }

        return await ReadAsync(response, HttpStatusCode.OK, ct);
    }

    private async Task<JsonElement> SendAndDisposeAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            return await SendAsync(request, null, ct);
        }
    }

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, HttpStatusCode? expected, CancellationToken ct)
    {
        using var response = await _http.SendAsync(request, ct);
        return await ReadAsync(response, expected, ct);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode? expected, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (expected is { } status ? response.StatusCode != status : !response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}
