using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Referrals.Deploy.Journeys;
using Referrals.Testing.Hosting.Platform;

namespace Referrals.EndToEnd.Tests.Platform;

/// <summary>
/// HAZ-015: personal data must stay in the encrypted stores. One person's whole journey, with a canary in every personal
/// field, runs through the four services as processes with production log levels (our own code at Debug) and telemetry
/// exported over OTLP; then no log line, span, metric or error body may hold any of it.
/// </summary>
public sealed class PersonalDataCanaryTests
{
    private const string Canary = "Zqcanary";
    private const string Practice = "B86001";
    private const string Programme = "north-leeds";

    [Fact]
    public async Task A_journey_with_a_canary_in_every_personal_field_leaves_it_in_no_log_line_span_metric_or_error_body()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var platform = await ProcessPlatform.StartAsync(settings: new Dictionary<string, string>
        {
            // The services' own levels (appsettings), with our code at its most verbose.
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Referrals"] = "Debug",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        var lines = new ConcurrentQueue<string>();
        foreach (var process in platform.Processes)
        {
            process.LineWritten += lines.Enqueue;
        }

        var client = platform.Client;
        var nhsNumber = ReferralForms.NewNhsNumber();
        var referral = ReferralForms.GpReferral(Practice, Programme, nhsNumber, Canary + "ann", Canary + "son", riskNotes: Canary + " risk notes");
        var person = referral["person"]!.AsObject();
        person["email"] = Canary.ToLowerInvariant() + "@example.org";
        referral["reasonText"] = Canary + " reason for referral";
        referral["whatMatters"] = Canary + " what matters to me";
        var personal = new[]
        {
            Canary, nhsNumber, person["dateOfBirth"]!.GetValue<string>(), person["phone"]!.GetValue<string>().Replace(" ", "", StringComparison.Ordinal),
            person["phone"]!.GetValue<string>(),
        };

        var referralId = await client.SubmitReferralAsync(referral);
        var (assignmentId, worker) = await client.WaitForAssignmentAsync(referralId, Programme);
        await client.AcceptAsync(assignmentId, worker);
        var journeyId = await client.WaitForOpenJourneyAsync(referralId, worker);
        await client.JourneyCommandAsync(journeyId, worker, "contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 30, note = Canary + " first call" });
        await client.JourneyCommandAsync(journeyId, worker, "agreement", null);
        await client.JourneyCommandAsync(journeyId, worker, "outcome-measures", new { instrument = "Swemwbs", point = "Baseline", items = new[] { 2, 3, 2, 3, 2, 3, 2 } });
        await client.JourneyCommandAsync(journeyId, worker, "plan/goals",
            new { description = Canary + " back at the allotment", targetDate = DateTime.UtcNow.AddMonths(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        await client.JourneyCommandAsync(journeyId, worker, "plan/agreement", new { personAgreed = true });
        await client.JourneyCommandAsync(journeyId, worker, "outcome-measures", new { instrument = "Swemwbs", point = "Closing", items = new[] { 4, 4, 3, 4, 3, 4, 4 } });

        // Refused requests carrying personal values: their problem bodies must not hand them back.
        var errorBodies = new List<string>
        {
            await RefusedAsync(platform.Addresses.SupportPlan, $"/journeys/{journeyId}/contacts", client.WorkerToken(worker),
                new { kind = "Pigeon", outcome = "Attended", durationMinutes = -5, note = Canary + " refused contact" }),
            await RefusedAsync(platform.Addresses.Intake, "/referrals", client.ReferrerToken(Practice),
                ReferralForms.GpReferral(Practice, Programme, nhsNumber[..9] + ((nhsNumber[9] - '0' + 1) % 10).ToString(CultureInfo.InvariantCulture), Canary + "ann", Canary + "son")),
        };

        await client.JourneyCommandAsync(journeyId, worker, "closure", new { reason = "GoalsMet", note = Canary + " closing note" });
        await client.WaitForStatusAsync(referralId, Practice, s => s == "Closed");
        await client.PollAsync(() => client.PracticeRecordAsync(Practice),
            r => r.TryGetProperty("entry", out var entries) && entries.EnumerateArray().Any(e =>
                e.GetProperty("resource") is var resource && resource.GetProperty("resourceType").GetString() == "Task" &&
                resource.GetProperty("status").GetString() == "completed"),
            "the completed referral Task at the practice");
        // The practice's clinical system looks the person up by NHS number (a query string the server spans could record).
        await client.PatientEverythingAsync(nhsNumber, Practice);

        // Spans are exported every 0.2 s and metrics every 0.5 s: a few seconds cover the last of them.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var exports = collector.Exports;
        var log = lines.ToArray();

        // The net is cast: logs at Information and Debug, and every signal from every service, reached the test.
        Assert.Contains(log, l => l.Contains(referralId.ToString(), StringComparison.Ordinal));
        foreach (var service in new[] { "Referrals.Intake", "Referrals.Triage", "Referrals.SupportPlan", "Referrals.GpRecords" })
        {
            Assert.Contains(exports, e => e.Signal == "traces" && Contains(e.Body, service));
            Assert.Contains(exports, e => e.Signal == "metrics" && Contains(e.Body, service));
        }

        var leaks = new List<string>();
        leaks.AddRange(log.Where(l => personal.Any(p => l.Contains(p, StringComparison.OrdinalIgnoreCase))).Select(l => "log: " + Shorten(l)));
        leaks.AddRange(exports.Where(e => personal.Any(p => Contains(e.Body, p))).Select(e => $"{e.Signal} export of {e.Body.Length} bytes"));
        leaks.AddRange(errorBodies.Where(b => personal.Any(p => b.Contains(p, StringComparison.OrdinalIgnoreCase))).Select(b => "error body: " + Shorten(b)));
        Assert.True(leaks.Count == 0, $"{leaks.Count} places hold personal data:\n" + string.Join("\n", leaks.Take(20)));
    }

    private static async Task<string> RefusedAsync(Uri service, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    // Latin-1 maps each byte to one char, so an ASCII value is found in protobuf bytes whatever surrounds it.
    private static bool Contains(byte[] body, string value) =>
        Encoding.Latin1.GetString(body).Contains(value, StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
