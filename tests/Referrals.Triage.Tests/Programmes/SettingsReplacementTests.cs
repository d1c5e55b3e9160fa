using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Referrals.Contracts;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.Programmes;

/// <summary>
/// HAZ-012: each PUT of a programme's configuration replaces a section (or a worker's profile) as a whole, so it must name
/// the version it replaces (If-Match); without it an admin on a stale screen would silently undo what another admin saved
/// since, such as a duty slot, and escalations in that slot would reach nobody on duty (HAZ-002).
/// </summary>
public sealed class SettingsReplacementTests(SharedHost host) : IClassFixture<SharedHost>
{
    private TriageHost Triage => host.Triage;

    public static readonly TheoryData<string> Sections = ["eligibility", "triage-rules", "duty-rota", "service-levels", "link-workers/sos-1"];

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task A_settings_replacement_without_if_match_is_refused_with_428_problem_json_changing_nothing_and_with_the_current_etag_it_replaces(
        string section)
    {
        var definition = Fixtures.ThreeWorkersFourPractices();
        await Triage.DefineAsync(definition);
        var id = definition.ProgrammeId;
        using var admin = Triage.Admin(id);
        var (body, read) = Replacement(section, definition);
        var before = await ViewAsync(admin, id);

        foreach (var ifMatch in new EntityTagHeaderValue?[] { null, EntityTagHeaderValue.Any })
        {
            using var response = await admin.PutConfigurationAsync(id, section, body, ifMatch);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.PreconditionRequired, $"{section} (If-Match {ifMatch?.Tag ?? "absent"}): {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal((428, "https://tools.ietf.org/html/rfc6585#section-3"), (problem.GetProperty("status").GetInt32(), problem.GetProperty("type").GetString()));
            Assert.Equal("If-Match is required", problem.GetProperty("title").GetString());
            Assert.Contains("read the programme configuration and send the change with the ETag it answered in If-Match",
                problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal($"/programmes/{id}", problem.GetProperty("reload").GetString());
        }

        var unchanged = await ViewAsync(admin, id);
        Assert.Equal(before.ConfigurationVersion, unchanged.ConfigurationVersion);
        Assert.Equal(Json(read(before)), Json(read(unchanged)));

        using var replaced = await admin.PutConfigurationAsync(id, section, body, await admin.ReadETagAsync(id));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal($"\"{before.ConfigurationVersion + 1}\"", replaced.Headers.ETag!.Tag);
        var after = await ViewAsync(admin, id);
        Assert.Equal(before.ConfigurationVersion + 1, after.ConfigurationVersion);
        Assert.NotEqual(Json(read(before)), Json(read(after)));
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task A_settings_replacement_of_a_programme_that_does_not_exist_is_answered_404_as_a_read_is_never_428(string section)
    {
        // In the admin's token but never defined: a 428 would send the client to read a configuration that is not there.
        var definition = Fixtures.ThreeWorkersFourPractices();
        var id = definition.ProgrammeId;
        using var admin = Triage.Admin(id);
        var (body, _) = Replacement(section, definition);
        using var read = await admin.GetAsync(new Uri($"/programmes/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);

        foreach (var ifMatch in new EntityTagHeaderValue?[] { null, EntityTagHeaderValue.Any, new("\"1\"") })
        {
            using var response = await admin.PutConfigurationAsync(id, section, body, ifMatch);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{section} (If-Match {ifMatch?.Tag ?? "absent"}): {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var stillMissing = await admin.GetAsync(new Uri($"/programmes/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, stillMissing.StatusCode);
    }

    [Fact]
    public async Task A_duty_slot_one_admin_added_is_not_undone_by_another_admin_saving_the_rota_from_an_older_screen()
    {
        var definition = Fixtures.ThreeWorkersFourPractices();
        await Triage.DefineAsync(definition);
        var id = definition.ProgrammeId;
        using var first = Triage.Admin(id);
        using var second = Triage.Admin(id);
        var loaded = await second.ReadETagAsync(id);
        var olderRota = (await ViewAsync(second, id)).DutyRota;

        // The first admin adds Saturday cover; the second admin's screen still shows the rota without it.
        var saturday = new DutySlot([DayOfWeek.Saturday], new TimeOnly(10, 0), new TimeOnly(14, 0), "sos-2", "tl-lead");
        using var withSaturday = await first.PutConfigurationAsReadAsync(id, "duty-rota", olderRota with { Slots = [.. olderRota.Slots, saturday] });
        Assert.Equal(HttpStatusCode.OK, withSaturday.StatusCode);

        var edited = olderRota with { AcknowledgeWithinMinutes = 10 };
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await second.PutConfigurationAsync(id, "duty-rota", edited, null)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await second.PutConfigurationAsync(id, "duty-rota", edited, loaded)).StatusCode);

        var rota = (await ViewAsync(second, id)).DutyRota;
        Assert.Contains(rota.Slots, s => s.DutyWorkerId == "sos-2" && s.Days.SequenceEqual([DayOfWeek.Saturday]));
        Assert.Equal(olderRota.AcknowledgeWithinMinutes, rota.AcknowledgeWithinMinutes);
    }

    [Fact]
    public async Task The_openapi_document_declares_428_and_the_404_answered_before_it_as_problem_json_on_every_put_and_not_on_defining_a_programme_or_retiring_a_worker()
    {
        using var client = Triage.Host.AnonymousClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");
        var puts = paths.EnumerateObject().Where(p => p.Value.TryGetProperty("put", out _)).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

        // Every PUT replaces what it writes as a whole (HAZ-012); a new one must require If-Match too.
        Assert.Equal(
            ["/programmes/{programmeId}/duty-rota", "/programmes/{programmeId}/eligibility", "/programmes/{programmeId}/link-workers/{linkWorkerId}",
             "/programmes/{programmeId}/service-levels", "/programmes/{programmeId}/triage-rules"],
            puts);
        foreach (var path in puts)
        {
            var responses = paths.GetProperty(path).GetProperty("put").GetProperty("responses");
            Assert.True(responses.TryGetProperty("428", out var required), $"{path}: {responses}");
            Assert.True(required.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{path}: {required}");
            Assert.True(responses.TryGetProperty("404", out var missing), $"{path}: {responses}");
            Assert.True(missing.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{path}: {missing}");
        }

        Assert.False(paths.GetProperty("/programmes").GetProperty("post").GetProperty("responses").TryGetProperty("428", out _));
        Assert.False(paths.GetProperty("/programmes/{programmeId}/link-workers/{linkWorkerId}").GetProperty("delete").GetProperty("responses")
            .TryGetProperty("428", out _));
    }

    /// <summary>A valid replacement of the section that differs from the fixture's, and how to read the section back.</summary>
    private static (object Body, Func<ProgrammeView, object> Read) Replacement(string section, DefineProgramme d) => section switch
    {
        "eligibility" => (d.Eligibility! with { Signposting = "Ask at reception about other local support." }, v => v.Eligibility),
        "triage-rules" => (d.TriageRules! with { HighPriorityFromScore = d.TriageRules.HighPriorityFromScore + 1 }, v => v.TriageRules),
        "duty-rota" => (d.DutyRota! with { AcknowledgeWithinMinutes = 10 }, v => v.DutyRota),
        "service-levels" => (new ServiceLevelTargets(7, 4, 1), v => v.ServiceLevels),
        "link-workers/sos-1" => (new LinkWorkerRequest("Worker sos-1", Tier.LinkWorker, ["F11001"], [], 200, null),
            v => v.LinkWorkers.Single(w => w.LinkWorkerId == "sos-1")),
        _ => throw new ArgumentOutOfRangeException(nameof(section), section, null),
    };

    private static async Task<ProgrammeView> ViewAsync(HttpClient client, string programmeId) =>
        (await client.GetFromJsonAsync<ProgrammeView>(new Uri($"/programmes/{programmeId}", UriKind.Relative), TriageHost.Json))!;

    private static string Json(object section) => JsonSerializer.Serialize(section, section.GetType(), TriageHost.Json);
}
