using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Referrals.WebApp.Api;

/// <summary>An RFC 9457 problem from an API: the status, its words and any field errors (names as the API gives them).</summary>
public sealed record ApiProblem(int Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors, long? CurrentVersion)
{
    public bool IsVersionConflict => Status == (int)HttpStatusCode.PreconditionFailed;

    public bool IsNotFoundOrForbidden => Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Forbidden;

    /// <summary>What to tell the user: the API's detail when it gave one (never personal data), else its title.</summary>
    public string Message => Detail ?? Title ?? $"The service answered {Status}.";
}

/// <summary>The answer of an API call: the value (and its ETag version) or the problem.</summary>
public sealed record ApiResult<T>(T? Value, long? Version, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>Shared plumbing for the typed clients: JSON in, JSON out, If-Match, problems.</summary>
public abstract class ApiClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    protected async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body = null, long? ifMatch = null,
        CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        if (ifMatch is { } version)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        }

        using var response = await http.SendAsync(request, ct);
        var etag = ParseVersion(response.Headers.ETag);
        if (response.IsSuccessStatusCode)
        {
            var value = response.Content.Headers.ContentLength == 0 || response.StatusCode == HttpStatusCode.NoContent
                ? default
                : await response.Content.ReadFromJsonAsync<T>(Json, ct);
            return new ApiResult<T>(value, etag, null);
        }

        return new ApiResult<T>(default, etag, await ReadProblemAsync(response, etag, ct));
    }

    protected async Task<T> GetRequiredAsync<T>(string path, CancellationToken ct = default)
    {
        var result = await SendAsync<T>(HttpMethod.Get, path, ct: ct);
        return result.Succeeded && result.Value is not null
            ? result.Value
            : throw new ApiException(result.Problem ?? new ApiProblem(500, "Empty answer", null, new Dictionary<string, string[]>(), null));
    }

    private static long? ParseVersion(EntityTagHeaderValue? etag) =>
        etag is not null && long.TryParse(etag.Tag.Trim('"'), out var version) ? version : null;

    private static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, long? etag, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!string.IsNullOrWhiteSpace(text))
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                var errors = new Dictionary<string, string[]>();
                if (root.TryGetProperty("errors", out var map) && map.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in map.EnumerateObject())
                    {
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? field.Value.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray()
                            : [field.Value.ToString()];
                    }
                }

                long? current = root.TryGetProperty("currentVersion", out var v) && v.TryGetInt64(out var cv) ? cv : etag;
                return new ApiProblem(status, Text(root, "title"), Text(root, "detail"), errors, current);
            }
        }
        catch (JsonException)
        {
            // Not a problem document: fall through to the bare status.
        }

        return new ApiProblem(status, response.ReasonPhrase, null, new Dictionary<string, string[]>(), etag);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A read the page cannot do without failed (shown by the error page; 403/404 become those pages).</summary>
public sealed class ApiException(ApiProblem problem) : Exception($"API answered {problem.Status}")
{
    public ApiProblem Problem { get; } = problem;
}
