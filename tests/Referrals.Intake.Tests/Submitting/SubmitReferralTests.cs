using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting;

namespace Referrals.Intake.Tests.Submitting;

public sealed class SubmitReferralTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    [Fact]
    public async Task A_valid_referral_is_accepted_with_a_location_and_publishes_ReferralSubmitted()
    {
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted));
        var nhs = TestData.NhsNumber();
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral(nhs));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.ReadObjectAsync();
        var id = body.ReferralId();
        Assert.Equal($"/referrals/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Submitted", body["status"]!.GetValue<string>());

        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);
        Assert.Equal(TestData.Programme, submitted.ProgrammeId);
        Assert.Equal(TestData.Practice, submitted.RegisteredPracticeOds);
        Assert.NotEqual(Guid.Empty, submitted.PersonId);
        Assert.NotEqual(Guid.Empty, submitted.JourneyId);
        Assert.Null(submitted.PreviousJourneyId);
        Assert.Equal(nhs, submitted.Person!.NhsNumber);
        Assert.Equal(ReferrerKind.GpPractice, submitted.Referrer.Kind);
        Assert.Equal(ConsentScope.Full, submitted.Consent!.SharingScope);
        Assert.Equal(new EventSource(id, 1), submitted.Source);
        Assert.Equal(new[] { NeedCategory.LonelinessOrIsolation, NeedCategory.MentalWellbeing }, submitted.Needs);

        var read = await App.Referrer(TestData.Practice).GetAsync(new Uri($"/referrals/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        var view = await read.ReadObjectAsync();
        Assert.Equal("Submitted", view["status"]!.GetValue<string>());
        Assert.Equal("O'Brien", view["person"]!["familyName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_token_the_answer_is_401_problem_json()
    {
        var response = await App.Anonymous().PostJsonAsync("/referrals", TestData.Referral());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, (await response.ReadObjectAsync())["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_link_worker_cannot_submit_on_a_practices_behalf()
    {
        var before = await App.CountEventsAsync("referral_received");
        var client = App.Host.ClientFor(Roles.LinkWorker, (ReferralsClaims.OdsCode, TestData.Practice), (ReferralsClaims.LinkWorkerId, "lw-1"));
        var response = await client.PostJsonAsync("/referrals", TestData.Referral());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await App.CountEventsAsync("referral_received"));
    }

    [Fact]
    public async Task A_referrer_submits_only_as_its_own_organisation()
    {
        var before = await App.CountEventsAsync("referral_received");
        var response = await App.Referrer("B86004").PostJsonAsync("/referrals", TestData.Referral(referrerOds: TestData.Practice));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await App.CountEventsAsync("referral_received"));
    }

    [Fact]
    public async Task A_malformed_body_gets_400_problem_json_naming_the_field()
    {
        var response = await App.Referrer(TestData.Practice).SendAsync(new HttpRequestMessage(HttpMethod.Post, "/referrals")
        {
            Content = Http.Raw(TestData.Referral().With("person.dateOfBirth", "14/03/1958").ToJsonString()),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("person.dateOfBirth"), errors.ToJsonString());
    }

    [Fact]
    public async Task Every_invalid_field_is_named_in_one_answer()
    {
        var body = TestData.Referral(TestData.InvalidNhsNumber())
            .With("registeredPracticeOds", "NOT-AN-ODS")
            .With("consent.sharingScope", null)
            .With("risk.riskOfHarmToSelf", null)
            .With("needs", new JsonArray());
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        foreach (var field in new[] { "person.nhsNumber", "registeredPracticeOds", "consent.sharingScope", "risk.riskOfHarmToSelf", "needs" })
        {
            Assert.True(errors.ContainsKey(field), field + " missing from " + errors.ToJsonString());
        }
    }

    [Fact]
    public async Task Error_bodies_do_not_repeat_the_personal_data_sent()
    {
        var nhs = TestData.InvalidNhsNumber();
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals",
            TestData.Referral(nhs).With("person.dateOfBirth", "2999-01-01").With("person.familyName", new string('x', 101)));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(nhs, text, StringComparison.Ordinal);
        Assert.DoesNotContain("2999", text, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxx", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agency_without_an_ODS_code_refers_under_its_registered_agency_id()
    {
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted));
        var body = TestData.Referral(referrerOds: TestData.Agency).With("referrer.professionalRole", "Tenancy support officer");
        var response = await App.Agency(TestData.Agency).PostJsonAsync("/referrals", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();
        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);
        Assert.Equal(ReferrerKind.Agency, submitted.Referrer.Kind);
        Assert.Equal(TestData.Agency, submitted.Referrer.OrganisationId);
        Assert.Equal(TestData.Practice, submitted.RegisteredPracticeOds);
        Assert.Equal(HttpStatusCode.OK, (await App.Agency(TestData.Agency).GetAsync(new Uri($"/referrals/{id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_clinical_system_submits_for_its_practice()
    {
        var client = App.Host.ClientFor(Roles.ClinicalSystem, (ReferralsClaims.OdsCode, TestData.Practice));
        var response = await client.PostJsonAsync("/referrals", TestData.Referral());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_referrer_reads_only_its_own_referrals()
    {
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", TestData.Referral());
        var id = (await response.ReadObjectAsync()).ReferralId();

        var other = await App.Referrer("B86003").GetAsync(new Uri($"/referrals/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);

        var list = await (await App.Referrer("B86003").GetAsync(new Uri("/referrals", UriKind.Relative))).ReadObjectAsync();
        Assert.DoesNotContain(list["referrals"]!.AsArray(), r => r!["referralId"]!.GetValue<Guid>() == id);
    }

    [Fact]
    public async Task The_list_shows_the_organisations_referrals_filtered_by_status_and_since_holds_back_changes_not_yet_settled()
    {
        const string ods = "B86002";
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var response = await App.Referrer(ods).PostJsonAsync("/referrals", TestData.Referral(referrerOds: ods));
            ids.Add((await response.ReadObjectAsync()).ReferralId());
        }

        var client = App.Referrer(ods);
        var all = await (await client.GetAsync(new Uri("/referrals?status=Submitted&limit=200", UriKind.Relative))).ReadObjectAsync();
        var listed = all["referrals"]!.AsArray().Select(r => r!["referralId"]!.GetValue<Guid>()).ToList();
        Assert.All(ids, id => Assert.Contains(id, listed));

        // With since, changes younger than the settling time are not listed yet (ReferralPollingTests lists them once settled).
        var young = await (await client.GetAsync(new Uri($"/referrals?status=Submitted&since={Uri.EscapeDataString(since.ToString("O"))}", UriKind.Relative)))
            .ReadObjectAsync();
        Assert.DoesNotContain(young["referrals"]!.AsArray(), r => ids.Contains(r!["referralId"]!.GetValue<Guid>()));

        var none = await (await client.GetAsync(new Uri("/referrals?status=Closed", UriKind.Relative))).ReadObjectAsync();
        Assert.DoesNotContain(none["referrals"]!.AsArray(), r => ids.Contains(r!["referralId"]!.GetValue<Guid>()));

        var later = await (await client.GetAsync(new Uri($"/referrals?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}", UriKind.Relative)))
            .ReadObjectAsync();
        Assert.Empty(later["referrals"]!.AsArray());

        var bad = await client.GetAsync(new Uri("/referrals?status=Pending&since=yesterday&limit=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadObjectAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("status") && errors.ContainsKey("since") && errors.ContainsKey("limit"), errors.ToJsonString());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_intake_endpoints()
    {
        var document = await (await App.Anonymous().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).ReadObjectAsync();
        var paths = document["paths"]!.AsObject();
        foreach (var path in new[] { "/referrals", "/referrals/{id}", "/referrals/{id}/withdraw", "/fhir/ServiceRequest", "/fhir", "/self-referrals", "/programmes", "/webhooks" })
        {
            Assert.True(paths.ContainsKey(path), path + " missing");
        }

        Assert.True(document["components"]!["schemas"]!.AsObject().ContainsKey("ReferralRequest"));

        // Every JSON body is read by one reader, which refuses one too large (413) or not JSON (415): each POST declares both.
        foreach (var path in new[] { "/referrals", "/referrals/{id}/withdraw", "/self-referrals" })
        {
            var responses = paths[path]!["post"]!["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("413") && responses.ContainsKey("415"), path + " declares " + string.Join(", ", responses.Select(r => r.Key)));
        }
    }

    [Fact]
    public async Task The_programme_catalogue_lists_programmes_and_the_practices_they_serve()
    {
        var programmes = JsonNode.Parse(await App.Anonymous().GetStringAsync(new Uri("/programmes", UriKind.Relative)))!.AsArray();
        var northLeeds = programmes.Single(p => p!["id"]!.GetValue<string>() == "north-leeds")!;
        Assert.Equal(["B86001", "B86002", "B86003", "B86004"], northLeeds["practices"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task The_stored_referral_holds_personal_fields_encrypted()
    {
        var body = TestData.Referral().With("person.familyName", "Featherstonehaugh-Unique");
        var response = await App.Referrer(TestData.Practice).PostJsonAsync("/referrals", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var dump = await App.DumpSchemaTextAsync();
        Assert.DoesNotContain("Featherstonehaugh-Unique", dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_content_type_gets_415_problem_json()
    {
        var response = await App.Referrer(TestData.Practice).SendAsync(new HttpRequestMessage(HttpMethod.Post, "/referrals")
        {
            Content = Http.Raw(TestData.Referral().ToJsonString(), "text/plain"),
        });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_gets_413_even_without_a_content_length()
    {
        var huge = TestData.Referral().With("whatMatters", new string('a', 70_000)).ToJsonString();
        var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/referrals") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await App.Referrer(TestData.Practice).SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
