using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Net.Http.Headers;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.Http;

/// <summary>Body limits for intake's endpoints (<c>Intake:MaxBodyBytes</c>), enforced by intake itself whatever the server.</summary>
public sealed class BodyLimits
{
    public int MaxBodyBytes { get; set; } = 64 * 1024;
}

/// <summary>
/// Reads request bodies strictly, before anything else happens: the media type (415), the size limit (413, checked on
/// Content-Length and again while reading, so a chunked body cannot slip past), and JSON that binds to the request type
/// exactly - no unknown or repeated properties, enums only as their names, bounded depth. A binding failure is a 400
/// naming the field by its JSON path; no error repeats the value sent.
/// </summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Deterministic serialization of commands, for the keyed hash behind Idempotency-Key comparisons.</summary>
    public static readonly JsonSerializerOptions CanonicalOptions = CreateCanonicalOptions();

    /// <summary>Reads the raw body within the limit, checking the media type first.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, int maxBytes, Func<string, bool> acceptsMediaType,
        CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || mediaType.MediaType.Value is not { } type ||
            !acceptsMediaType(type.ToLowerInvariant()) ||
            (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            throw new BadHttpRequestException("Unsupported media type", StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw Invalid("body", "A JSON body is required.");
        }

        return buffer.ToArray();
    }

    /// <summary>Reads and binds a JSON body of type <typeparamref name="T"/>.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken ct)
        where T : class
    {
        var bytes = await ReadBytesAsync(request, maxBytes, IsJson, ct);
        return Bind<T>(bytes);
    }

    public static T Bind<T>(byte[] bytes)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Options) ?? throw Invalid("body", "The body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw Invalid(FieldFromPath(ex.Path), Describe(ex));
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException or FormatException
                                       or OverflowException or System.Text.DecoderFallbackException)
        {
            // Invalid UTF-8/UTF-16 and similar: the body is not valid JSON text.
            throw Invalid("body", "The body is not valid UTF-8 JSON.");
        }
    }

    public static bool IsJson(string mediaType) => mediaType is "application/json";

    /// <summary>"$.person.dateOfBirth" is "person.dateOfBirth"; "$.needs[2]" is "needs[2]"; no path means the body.</summary>
    public static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static string Describe(JsonException ex) =>
        ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "This field is not part of the request."
        : ex.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) ? "This field appears more than once."
        : ex.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase) ? "The JSON is nested too deeply."
        : ex.Path is null or "$" ? "The body is not valid JSON."
        : "The value is missing or has the wrong type or format.";

    private static BadHttpRequestException TooLarge(int maxBytes) =>
        new($"The request body is larger than {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);

    private static RequestValidationException Invalid(string field, string message) => RequestValidationException.For(field, message);

    private static JsonSerializerOptions CreateCanonicalOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            MaxDepth = 16,
            NumberHandling = JsonNumberHandling.Strict,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
