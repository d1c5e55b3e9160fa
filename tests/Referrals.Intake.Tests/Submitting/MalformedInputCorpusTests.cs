using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Referrals.Contracts.Intake;
using Referrals.Intake.Fhir;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting;
using Xunit.Abstractions;

namespace Referrals.Intake.Tests.Submitting;

/// <summary>A host of its own: the test proves that nothing at all was stored or published.</summary>
public sealed class CorpusFixture : IntakeFixture;

public sealed class MalformedInputCorpusTests(CorpusFixture fixture, ITestOutputHelper output) : IClassFixture<CorpusFixture>
{
    private IntakeApp App => fixture.App;

    [Fact]
    public async Task Every_malformed_input_gets_a_4xx_with_problem_json_or_an_OperationOutcome_echoing_no_personal_value_and_nothing_is_stored_or_published()
    {
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted), typeof(ReferralLinkedToOpenJourney), typeof(ReferralWithdrawn));
        var clients = new Dictionary<CorpusClient, HttpClient>
        {
            [CorpusClient.Referrer] = App.Referrer(TestData.Practice),
            [CorpusClient.GpSystem] = App.Host.ClientFor(Roles.ClinicalSystem, (ReferralsClaims.OdsCode, TestData.Practice)),
            [CorpusClient.Anonymous] = App.Anonymous(),
        };
        var cases = MalformedInputCorpus.All();
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var personalValuesChecked = 0;

        foreach (var corpusCase in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, corpusCase.Path);
            HttpContent content = corpusCase.Chunked ? new StreamContent(new MemoryStream(corpusCase.Body)) : new ByteArrayContent(corpusCase.Body);
            if (corpusCase.ContentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(corpusCase.ContentType);
            }

            request.Content = content;
            request.Headers.TransferEncodingChunked = corpusCase.Chunked ? true : null;
            foreach (var (name, value) in corpusCase.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await clients[corpusCase.Client].SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var body = await response.Content.ReadAsStringAsync();
            var personal = PersonalValues.In(corpusCase.Body);
            personalValuesChecked += personal.Count;
            if (PersonalValues.EchoedIn(body, personal) is { Count: > 0 } echoed)
            {
                failures.Add($"{corpusCase}: {status} echoes {echoed.Count} personal value(s)");
            }

            if (status is < 400 or > 499)
            {
                failures.Add($"{corpusCase}: {status}");
            }
            else if (corpusCase.Fhir && status is not (401 or 403 or 429) || mediaType == IntakeFhir.MediaType)
            {
                if (mediaType != IntakeFhir.MediaType || JsonNode.Parse(body)?["resourceType"]?.GetValue<string>() != "OperationOutcome")
                {
                    failures.Add($"{corpusCase}: {status} {mediaType} is not an OperationOutcome");
                }
            }
            else if (mediaType != "application/problem+json" || JsonNode.Parse(body)?["status"]?.GetValue<int>() != status)
            {
                failures.Add($"{corpusCase}: {status} {mediaType} is not problem+json");
            }
            else if (status == 400 && JsonNode.Parse(body)?["errors"] is not JsonObject { Count: > 0 })
            {
                failures.Add($"{corpusCase}: 400 names no field");
            }
        }

        output.WriteLine($"{cases.Count} malformed inputs; answers: " +
                         string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(cases.Count >= 200, $"The corpus has only {cases.Count} cases.");
        Assert.True(personalValuesChecked >= 10 * cases.Count, $"Only {personalValuesChecked} personal values were looked for.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));

        Assert.Equal(0, await App.ScalarAsync("select count(*) from {schema}.mt_events"));
        Assert.Equal(0, await App.ScalarAsync("select count(*) from {schema}.mt_streams"));
        Assert.Equal(0, await App.ScalarAsync("select count(*) from {schema}.mt_outbox"));
        Assert.Equal(0, await App.ScalarAsync("select count(*) from {schema}.mt_person_keys"));
        await Task.Delay(500);
        Assert.Empty(probe.Messages);
    }
}
