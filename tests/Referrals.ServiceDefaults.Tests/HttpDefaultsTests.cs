using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting;

namespace Referrals.ServiceDefaults.Tests;

public sealed class DefaultsAppFixture : IAsyncLifetime
{
    public DefaultsApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await DefaultsApp.StartAsync("defaults-test-http-ping-sent");

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class HttpDefaultsTests(DefaultsAppFixture fixture) : IClassFixture<DefaultsAppFixture>
{
    private readonly DefaultsApp _app = fixture.App;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task A_request_without_a_token_gets_401_problem_json()
    {
        var response = await _app.Client().GetAsync("/secure");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, (await ProblemAsync(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_token_without_the_needed_role_gets_403_problem_json()
    {
        var response = await _app.Client(Tokens.For(Roles.LinkWorker)).GetAsync("/secure");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(403, (await ProblemAsync(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var forged = DevelopmentTokens.Create(Convert.ToBase64String(new byte[32]), "mallory", [Roles.Referrer]);
        var response = await _app.Client(forged).GetAsync("/secure");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"Ann","count":"three","details":{"on":"2026-01-02","channel":"x"}}""", "count")]
    [InlineData("""{"name":"Ann","count":3,"details":{"on":"2026-13-45","channel":"x"}}""", "details.on")]
    [InlineData("""{"name":"Ann","count":3,"details":{"on":"2026-01-02","channel":"x"}""", "body")]
    [InlineData("""{"name":"Ann","count":""", "count")]
    public async Task A_malformed_body_gets_400_problem_json_naming_the_field(string body, string field)
    {
        var response = await _app.Client(Tokens.For(Roles.Referrer))
            .PostAsync("/greetings", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ProblemAsync(response)).GetProperty("errors");
        Assert.Contains(errors.EnumerateObject(), e => e.Name.StartsWith(field, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_empty_body_gets_400_problem_json()
    {
        var response = await _app.Client(Tokens.For(Roles.Referrer))
            .PostAsync("/greetings", new StringContent("", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await ProblemAsync(response);
    }

    [Fact]
    public async Task A_wrong_content_type_gets_415_problem_json()
    {
        var response = await _app.Client(Tokens.For(Roles.Referrer))
            .PostAsync("/greetings", new StringContent("name=Ann", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await ProblemAsync(response);
    }

    [Fact]
    public async Task An_unexpected_error_gets_500_problem_json_without_internal_details()
    {
        var response = await _app.Client().GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var problem = await ProblemAsync(response);
        Assert.True(problem.TryGetProperty("traceId", out _));
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("9434765919", text, StringComparison.Ordinal);
        Assert.DoesNotContain("at Referrals", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_live_and_ready_answer_200_once_postgres_and_the_topology_are_up()
    {
        Assert.Equal(HttpStatusCode.OK, (await _app.Client().GetAsync("/health/live")).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            status = (await _app.Client().GetAsync("/health/ready")).StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(100);
            }
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task The_openapi_document_is_served()
    {
        var document = await _app.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/greetings", out _));
    }

    [Fact]
    public void The_development_token_command_issues_a_token_with_the_requested_role_and_claims()
    {
        var token = Deploy.Cli.CreateToken(Deploy.Options.Parse(["--role", "referrer", "--ods", "B86001", "--programme", "north-leeds"]));
        var jwt = new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler().ReadJwtToken(token);
        Assert.Contains(jwt.Claims, c => c is { Type: ReferralsClaims.Role, Value: Roles.Referrer });
        Assert.Contains(jwt.Claims, c => c is { Type: ReferralsClaims.OdsCode, Value: "B86001" });
        Assert.Contains(jwt.Claims, c => c is { Type: ReferralsClaims.Programme, Value: "north-leeds" });
    }
}
