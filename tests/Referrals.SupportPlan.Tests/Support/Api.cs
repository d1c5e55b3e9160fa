using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Tests.Support;

/// <summary>HTTP helpers for the service's JSON API.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string url, object? body = null, long? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        if (ifMatch is { } version)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> Post(this HttpClient client, string url, object? body = null, long? ifMatch = null) =>
        client.Send(HttpMethod.Post, url, body, ifMatch);

    public static Task<HttpResponseMessage> Put(this HttpClient client, string url, object? body = null, long? ifMatch = null) =>
        client.Send(HttpMethod.Put, url, body, ifMatch);

    /// <summary>
    /// A full replacement as a client makes it: read the current ETag from <paramref name="readUrl"/> (the journey or the
    /// directory entry), then PUT with it in If-Match (required there: 428 without it).
    /// </summary>
    public static async Task<HttpResponseMessage> PutAsRead(this HttpClient client, string readUrl, string url, object body)
    {
        using var read = await client.Send(HttpMethod.Get, readUrl);
        Assert.True(read.IsSuccessStatusCode, $"GET {readUrl}: {(int)read.StatusCode}");
        var tag = read.Headers.ETag?.Tag ?? throw new Xunit.Sdk.XunitException($"GET {readUrl} answered no ETag");
        return await client.Put(url, body, long.Parse(tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Sends and expects success; returns the body.</summary>
    public static async Task<T> Expect<T>(this Task<HttpResponseMessage> sending, HttpStatusCode? status = null)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        if (status is { } expected ? response.StatusCode != expected : !response.IsSuccessStatusCode)
        {
            throw new Xunit.Sdk.XunitException($"Expected {(status?.ToString() ?? "success")} but got {(int)response.StatusCode}: {text}");
        }

        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static Task<JourneyWritten> Ok(this Task<HttpResponseMessage> sending) => sending.Expect<JourneyWritten>();

    /// <summary>Sends and expects the given failure status; returns the problem body.</summary>
    public static async Task<JsonElement> Problem(this Task<HttpResponseMessage> sending, HttpStatusCode status)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        return string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<T> Get<T>(this HttpClient client, string url) =>
        await client.Send(HttpMethod.Get, url).Expect<T>();

    /// <summary>GET with the ETag the response carried.</summary>
    public static async Task<(T Body, string? ETag)> GetWithETag<T>(this HttpClient client, string url)
    {
        using var response = await client.Send(HttpMethod.Get, url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {text}");
        return (JsonSerializer.Deserialize<T>(text, Json)!, response.Headers.ETag?.Tag);
    }

    /// <summary>The field names of a 400's errors map.</summary>
    public static IReadOnlyList<string> ErrorFields(this JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(p => p.Name).ToList() : [];
}
