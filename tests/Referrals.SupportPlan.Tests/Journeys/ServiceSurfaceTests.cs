using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Referrals.ServiceDefaults.Telemetry;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Journeys;

/// <summary>What the service shows the platform: its OpenAPI document and its journey metric.</summary>
public sealed class ServiceSurfaceTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    [Fact]
    public async Task The_openapi_document_describes_the_journey_api()
    {
        using var document = await OpenApiDocumentAsync();
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        foreach (var path in new[]
                 {
                     "/journeys/{journeyId}", "/journeys/{journeyId}/timeline", "/journeys/{journeyId}/agreement", "/journeys/{journeyId}/contacts",
                     "/journeys/{journeyId}/home-visits", "/journeys/{journeyId}/plan/goals", "/journeys/{journeyId}/outcome-measures",
                     "/journeys/{journeyId}/closure", "/caseload", "/journeys", "/directory", "/journeys/{journeyId}/access-audit",
                 })
        {
            Assert.Contains(path, paths);
        }
    }

    [Fact]
    public async Task The_openapi_document_declares_that_closure_can_be_refused_with_409_problem_json_and_the_override_is_optional()
    {
        using var document = await OpenApiDocumentAsync();
        var responses = document.RootElement.GetProperty("paths").GetProperty("/journeys/{journeyId}/closure").GetProperty("post").GetProperty("responses");
        var schema = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("CloseJourney");

        Assert.True(responses.TryGetProperty("409", out var conflict), responses.ToString());
        Assert.True(conflict.GetProperty("content").TryGetProperty("application/problem+json", out _), conflict.ToString());
        Assert.True(schema.GetProperty("properties").TryGetProperty("closeWithUnconfirmedConcernReason", out _));
        Assert.DoesNotContain("closeWithUnconfirmedConcernReason", schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    /// <summary>HAZ-001 C11: a client learns before closing which further referrals must be read first.</summary>
    [Fact]
    public async Task The_openapi_document_declares_the_further_referrals_nobody_has_read_on_the_closure_prompt()
    {
        using var document = await OpenApiDocumentAsync();
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        Assert.True(schemas.GetProperty("ClosurePrompt").GetProperty("properties").TryGetProperty("unacknowledgedFurtherReferrals", out _),
            schemas.GetProperty("ClosurePrompt").ToString());
        Assert.Equal(["linkedAt", "referralId"],
            schemas.GetProperty("UnacknowledgedFurtherReferral").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task The_openapi_document_declares_428_and_the_404_answered_before_it_as_problem_json_on_every_full_replacement_and_not_on_appending_commands()
    {
        using var document = await OpenApiDocumentAsync();
        var paths = document.RootElement.GetProperty("paths");
        var puts = paths.EnumerateObject().Where(p => p.Value.TryGetProperty("put", out _)).Select(p => p.Name).Order().ToList();

        // Every PUT replaces what it writes as a whole (HAZ-012); a new one must require If-Match too.
        Assert.Equal(
            ["/directory/{entryId}", "/journeys/{journeyId}/assessment/barriers", "/journeys/{journeyId}/assessment/strengths",
             "/journeys/{journeyId}/assessment/what-matters"],
            puts);
        foreach (var path in puts)
        {
            var responses = paths.GetProperty(path).GetProperty("put").GetProperty("responses");
            Assert.True(responses.TryGetProperty("428", out var required), $"{path}: {responses}");
            Assert.True(required.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{path}: {required}");
            Assert.True(responses.TryGetProperty("404", out var missing), $"{path}: {responses}");
            Assert.True(missing.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{path}: {missing}");
        }

        foreach (var path in new[] { "/journeys/{journeyId}/contacts", "/journeys/{journeyId}/plan/goals", "/journeys/{journeyId}/assessment/needs" })
        {
            Assert.False(paths.GetProperty(path).GetProperty("post").GetProperty("responses").TryGetProperty("428", out _), path);
        }
    }

    [Fact]
    public async Task The_openapi_document_declares_that_a_decline_can_be_refused_with_409_problem_json_and_the_override_is_optional()
    {
        using var document = await OpenApiDocumentAsync();
        var responses = document.RootElement.GetProperty("paths").GetProperty("/journeys/{journeyId}/decline").GetProperty("post").GetProperty("responses");
        var schema = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("RecordDecline");

        Assert.True(responses.TryGetProperty("409", out var conflict), responses.ToString());
        Assert.True(conflict.GetProperty("content").TryGetProperty("application/problem+json", out _), conflict.ToString());
        Assert.True(schema.GetProperty("properties").TryGetProperty("closeWithUnconfirmedConcernReason", out _));
        Assert.False(schema.TryGetProperty("required", out var required) &&
                     required.EnumerateArray().Any(r => r.GetString() == "closeWithUnconfirmedConcernReason"), schema.ToString());
    }

    [Fact]
    public async Task The_time_from_submission_to_first_contact_is_measured()
    {
        var measurements = new ConcurrentBag<(double Seconds, string? Programme)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ReferralsTelemetry.Name && instrument.Name == "referrals.time_to_first_contact")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            measurements.Add((value, tags.ToArray().FirstOrDefault(t => t.Key == "programme").Value as string)));
        listener.Start();

        var c = ReferralCase.New();
        var scenario = new Scenario(fixture);
        var journey = await scenario.OpenAndAgreeAsync(c);
        using var worker = scenario.Worker(c);
        fixture.Clock.Advance(TimeSpan.FromHours(26));
        await worker.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 30 }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 30 }).Ok();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!measurements.Any(m => m.Programme == c.ProgrammeId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(500);
        Assert.Equal(26 * 3600d, Assert.Single(measurements, m => m.Programme == c.ProgrammeId).Seconds);
    }

    [Fact]
    public async Task The_openapi_document_declares_the_check_ins_optional_idempotency_key()
    {
        using var document = await OpenApiDocumentAsync();
        var schema = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("CheckInHomeVisit");

        Assert.Equal("uuid", schema.GetProperty("properties").GetProperty("idempotencyKey").GetProperty("format").GetString());
        Assert.Equal(["expectedEnd"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).ToArray());
    }

    private async Task<JsonDocument> OpenApiDocumentAsync()
    {
        using var client = fixture.Host.AnonymousClient();
        return JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
    }
}
