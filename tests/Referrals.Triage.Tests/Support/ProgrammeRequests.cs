using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Referrals.Triage.Tests.Support;

/// <summary>
/// Programme configuration changes as an admin's screen sends them: each PUT replaces a section (or a worker's profile) as a
/// whole, so it names the version it replaces in If-Match (HAZ-012: 428 without it).
/// </summary>
public static class ProgrammeRequests
{
    /// <summary>The programme's ETag (its configuration version), as GET /programmes/{id} answers it.</summary>
    public static async Task<EntityTagHeaderValue> ReadETagAsync(this HttpClient client, string programmeId)
    {
        using var read = await client.GetAsync(new Uri($"/programmes/{programmeId}", UriKind.Relative));
        Assert.True(read.IsSuccessStatusCode, $"GET /programmes/{programmeId}: {(int)read.StatusCode}");
        return read.Headers.ETag ?? throw new Xunit.Sdk.XunitException($"GET /programmes/{programmeId} answered no ETag");
    }

    /// <summary>PUTs <paramref name="body"/> to the programme's <paramref name="section"/> with If-Match (none when null).</summary>
    public static async Task<HttpResponseMessage> PutConfigurationAsync<T>(this HttpClient client, string programmeId, string section, T body,
        EntityTagHeaderValue? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/programmes/{programmeId}/{section}", UriKind.Relative))
        {
            Content = JsonContent.Create(body, options: TriageHost.Json),
        };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Reads the programme, then PUTs the change with the ETag it answered, as a screen loaded just now would.</summary>
    public static async Task<HttpResponseMessage> PutConfigurationAsReadAsync<T>(this HttpClient client, string programmeId, string section, T body) =>
        await client.PutConfigurationAsync(programmeId, section, body, await client.ReadETagAsync(programmeId));
}
