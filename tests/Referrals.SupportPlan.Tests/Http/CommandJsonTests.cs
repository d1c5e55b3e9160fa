using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Http;

/// <summary>
/// Request bodies bind exactly: a field the request does not have, a required field missing or null, and an enum value that
/// is not a member's name are each a 400 naming the field, never a silent default.
/// </summary>
public sealed class CommandJsonTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    private static async Task<JsonElement> PostRaw(HttpClient client, string url, string json, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method ?? HttpMethod.Post} {url} {json}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string? Error(JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages) ? messages[0].GetString() : null;

    [Fact]
    public async Task A_consent_change_naming_the_scope_as_intake_does_is_refused_and_consent_is_not_widened()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c, scope: ConsentScope.CodedOnly);
        using var worker = _scenario.Worker(c);
        var agreed = await worker.Post($"/journeys/{journey.JourneyId}/agreement", new { }).Ok();

        var problem = await worker.Post($"/journeys/{journey.JourneyId}/consent", new { sharingScope = "None", withdrawn = false, reason = "Nothing to the GP please" })
            .Problem(HttpStatusCode.BadRequest);

        Assert.Equal(["sharingScope"], problem.ErrorFields());
        Assert.Equal("This field is not part of the request.", Error(problem, "sharingScope"));
        var after = await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        Assert.Equal((ConsentScope.CodedOnly, agreed.Version), (after.Consent.Scope, after.Version));
    }

    [Fact]
    public async Task A_closure_without_a_reason_is_refused_naming_the_reason_and_the_journey_stays_open()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);

        var problem = await worker.Post($"/journeys/{journey.JourneyId}/closure", new { note = "closing", closingMeasuresSkippedReason = "n/a" })
            .Problem(HttpStatusCode.BadRequest);

        Assert.Equal(["reason"], problem.ErrorFields());
        Assert.Equal("This is required.", Error(problem, "reason"));
        var after = await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        Assert.Equal((JourneyStatus.Active, journey.Version), (after.Status, after.Version));
        Assert.Null(after.Closure);
    }

    [Fact]
    public async Task A_measure_without_its_instrument_and_point_is_refused_naming_both_and_nothing_is_recorded()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);

        var problem = await worker.Post($"/journeys/{journey.JourneyId}/outcome-measures", new { items = Enumerable.Repeat(3, 14) })
            .Problem(HttpStatusCode.BadRequest);

        Assert.Equal(["instrument", "point"], problem.ErrorFields().Order(StringComparer.Ordinal));
        Assert.Empty((await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Measurements);
    }

    [Fact]
    public async Task A_field_sent_twice_or_an_enum_sent_as_a_number_is_refused_naming_the_field()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var url = $"/journeys/{journey.JourneyId}/consent";

        var twice = await PostRaw(worker, url, """{ "scope": "None", "withdrawn": false, "scope": "Full" }""");
        var number = await PostRaw(worker, url, """{ "scope": 2, "withdrawn": false }""");

        Assert.Equal("This field appears more than once.", Error(twice, "scope"));
        Assert.Equal(["scope"], number.ErrorFields());
        Assert.Equal(journey.Version, (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Version);
    }

    [Fact]
    public async Task Optional_fields_may_be_left_out()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);

        await worker.Post($"/journeys/{journey.JourneyId}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 10 }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/consent", new { scope = "CodedOnly", withdrawn = false }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/closure", new { reason = "MovedAway" }).Ok();

        Assert.Equal(JourneyStatus.Closed, (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).Status);
    }

    /// <summary>
    /// Read from the OpenAPI document, so that a command added later is covered too: every enum field of every request body
    /// is required, and missing, null, an unknown name or a number is a 400 naming it; a field the body does not have is a
    /// 400 naming that field. No error repeats the value sent.
    /// </summary>
    [Fact]
    public async Task Every_command_refuses_a_missing_null_unknown_or_numeric_enum_and_a_field_it_does_not_have_naming_the_field()
    {
        using var client = fixture.Host.AnonymousClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var programme = "prog-" + Guid.NewGuid().ToString("N")[..8];
        using var worker = _scenario.Worker("lw-" + Guid.NewGuid().ToString("N")[..8], programme);
        using var admin = fixture.Host.ClientFor(Roles.ProgrammeAdmin, (ReferralsClaims.Programme, programme));
        var checkedFields = new List<string>();
        var commands = 0;

        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!operation.Value.TryGetProperty("requestBody", out var body) || BodySchema(body, schemas) is not { } schema)
                {
                    continue;
                }

                commands++;
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var url = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", _ => Guid.NewGuid().ToString());
                var caller = path.Name.StartsWith("/directory", StringComparison.Ordinal) ? admin : worker;
                var name = $"{operation.Name} {path.Name}";

                var unknown = await PostRaw(caller, url, """{ "notAField": "x" }""", method);
                Assert.True(Error(unknown, "notAField") == "This field is not part of the request.", $"{name}: {unknown}");

                foreach (var (field, wrap) in EnumFields(schema, schemas, string.Empty, inner => inner))
                {
                    var leaf = field[(field.LastIndexOf('.') + 1)..];
                    foreach (var (json, expected) in new[]
                             {
                                 (wrap("{}"), "This is required."),
                                 (wrap($$"""{ "{{leaf}}": null }"""), null),
                                 (wrap($$"""{ "{{leaf}}": "NotAMember" }"""), null),
                                 (wrap($$"""{ "{{leaf}}": 0 }"""), null),
                             })
                    {
                        var problem = await PostRaw(caller, url, json, method);
                        var message = Error(problem, field);
                        Assert.True(message is not null && (expected is null || message == expected), $"{name} {json}: {problem}");
                        Assert.DoesNotContain("NotAMember", problem.ToString(), StringComparison.Ordinal);
                    }

                    checkedFields.Add($"{name} {field}");
                }
            }
        }

        Assert.True(commands >= 29, $"Only {commands} request bodies found in the OpenAPI document.");
        foreach (var expected in new[]
                 {
                     "post /journeys/{journeyId}/consent scope", "post /journeys/{journeyId}/closure reason",
                     "post /journeys/{journeyId}/outcome-measures instrument", "post /journeys/{journeyId}/outcome-measures point",
                     "post /journeys/{journeyId}/contacts kind", "post /journeys/{journeyId}/contacts outcome",
                     "post /journeys/{journeyId}/assessment/needs domain", "post /journeys/{journeyId}/assessment/needs priority",
                     "post /journeys/{journeyId}/assessment/needs/{needId}/priority priority", "post /journeys/{journeyId}/connections kind",
                     "post /journeys/{journeyId}/connections/{connectionId}/outcome outcome", "post /journeys/{journeyId}/plan/goals/{goalId}/steps owner",
                     "post /journeys/{journeyId}/plan/goals/{goalId}/progress status", "post /directory details.sector", "post /directory details.referralMethod",
                     "put /directory/{entryId} sector", "put /directory/{entryId} referralMethod",
                 })
        {
            Assert.Contains(expected, checkedFields);
        }
    }

    /// <summary>The OpenAPI document lists as required what binding requires: enums and other non-nullable fields, not nullable ones.</summary>
    [Fact]
    public async Task The_openapi_document_lists_as_required_exactly_the_fields_a_command_must_send()
    {
        using var client = fixture.Host.AnonymousClient();
        var schemas = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!["components"]!["schemas"]!;
        string[] Required(string schema) =>
            schemas[schema]!["required"]?.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray() ?? [];

        Assert.Equal(["scope", "withdrawn"], Required("ChangeConsent"));
        Assert.Equal(["reason"], Required("CloseJourney"));
        Assert.Equal(["instrument", "point"], Required("RecordOutcomeMeasure"));
        Assert.Equal(["durationMinutes", "kind", "outcome"], Required("RecordContact"));
        Assert.Equal(["areas", "categories", "contact", "name", "referralMethod", "sector"], Required("DirectoryEntryDetails"));
        Assert.Empty(Required("RecordAgreement"));
        Assert.False(schemas["ChangeConsent"]!["additionalProperties"]!.GetValue<bool>());
    }

    private static JsonElement? BodySchema(JsonElement body, JsonElement schemas)
    {
        if (!body.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json))
        {
            return null;
        }

        var schema = json.GetProperty("schema");
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            schema = oneOf.EnumerateArray().First(s => s.TryGetProperty("$ref", out _));
        }

        return Resolve(schema, schemas);
    }

    private static JsonElement? Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!["#/components/schemas/".Length..]) : null;

    /// <summary>
    /// The non-nullable enum fields of an object schema, and of the objects inside it, each with how to place a JSON object of
    /// the fields' level into a whole body. Nullable enums (a <c>oneOf</c> with null) are optional by design.
    /// </summary>
    private static IEnumerable<(string Field, Func<string, string> Wrap)> EnumFields(JsonElement schema, JsonElement schemas, string prefix,
        Func<string, string> wrap)
    {
        if (!schema.TryGetProperty("properties", out var properties))
        {
            yield break;
        }

        foreach (var property in properties.EnumerateObject())
        {
            if (Resolve(property.Value, schemas) is not { } target)
            {
                continue;
            }

            if (target.TryGetProperty("enum", out _))
            {
                yield return (prefix + property.Name, wrap);
            }
            else if (target.TryGetProperty("properties", out _))
            {
                var name = property.Name;
                foreach (var inner in EnumFields(target, schemas, $"{prefix}{name}.", json => wrap($$"""{ "{{name}}": {{json}} }""")))
                {
                    yield return inner;
                }
            }
        }
    }
}
