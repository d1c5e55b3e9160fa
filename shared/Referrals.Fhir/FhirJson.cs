using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Referrals.Fhir.Model;
using Referrals.Fhir.Serialization;

namespace Referrals.Fhir;

/// <summary>
/// FHIR R4 JSON for the hand-written model.
/// <list type="bullet">
/// <item><see cref="Serialize"/>: checks the model (<see cref="FhirModelValidator"/>), then writes <c>resourceType</c> first,
/// no nulls, no empty strings/arrays/objects, decimals with their exact scale, dates as their FHIR text. Output is
/// deterministic: the same object always gives the same bytes.</item>
/// <item><see cref="TryParse{T}(string)"/> / <see cref="Parse{T}(string)"/>: strict inbound parsing. Unknown elements,
/// wrong JSON types, invalid dates/codes, null, empty values, repeated properties, two values of a choice element and
/// missing required elements are reported as <see cref="FhirIssue"/>s with their element path. Never throws
/// <see cref="JsonException"/>.</item>
/// </list>
/// </summary>
public static class FhirJson
{
    /// <summary>The options used for FHIR JSON (read-only). Use them with <see cref="JsonSerializer"/> only for model types.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions(indented: false);

    /// <summary>As <see cref="Options"/> but indented (two spaces), for humans and documentation.</summary>
    public static JsonSerializerOptions IndentedOptions { get; } = CreateOptions(indented: true);

    /// <summary>Serializes a valid resource to FHIR JSON; throws <see cref="FhirValidationException"/> when the model breaks FHIR rules.</summary>
    public static string Serialize(Resource resource, bool indented = false) =>
        Encoding.UTF8.GetString(SerializeToUtf8Bytes(resource, indented));

    /// <summary>Serializes a valid resource to UTF-8 FHIR JSON bytes.</summary>
    public static byte[] SerializeToUtf8Bytes(Resource resource, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var issues = FhirModelValidator.Validate(resource);
        if (issues.Count > 0)
        {
            throw new FhirValidationException(issues);
        }

        return JsonSerializer.SerializeToUtf8Bytes(resource, resource.GetType(), indented ? IndentedOptions : Options);
    }

    /// <summary>Parses a resource of type <typeparamref name="T"/> (a concrete type, or <see cref="Resource"/> for any supported type).</summary>
    /// <exception cref="FhirParseException">The JSON is not a valid <typeparamref name="T"/>; <see cref="FhirParseException.Issues"/> says why and where.</exception>
    public static T Parse<T>(string json)
        where T : Resource
    {
        var result = TryParse<T>(json);
        return result.Success ? result.Resource : throw new FhirParseException(result.Issues);
    }

    /// <inheritdoc cref="Parse{T}(string)"/>
    public static T Parse<T>(ReadOnlySpan<byte> utf8Json)
        where T : Resource
    {
        var result = TryParse<T>(utf8Json);
        return result.Success ? result.Resource : throw new FhirParseException(result.Issues);
    }

    /// <summary>Parses without throwing: the result holds the resource or every issue found, each with its element path.</summary>
    public static FhirParseResult<T> TryParse<T>(string json)
        where T : Resource
    {
        if (json is null)
        {
            return Fail<T>(new FhirIssue(IssueSeverity.Error, IssueType.Structure, "", "The body is empty: a FHIR resource (JSON object) is required."));
        }

        return TryParse<T>(Encoding.UTF8.GetBytes(json));
    }

    /// <inheritdoc cref="TryParse{T}(string)"/>
    public static FhirParseResult<T> TryParse<T>(ReadOnlySpan<byte> utf8Json)
        where T : Resource
    {
        var issues = new List<FhirIssue>();
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..]; // a UTF-8 byte order mark is not JSON
        }

        try
        {
            var rootType = FhirJsonScanner.Scan(utf8Json, issues);
            var root = rootType ?? FhirResourceTypes.NameOf(typeof(T)) ?? typeof(T).Name;
            if (issues.Count > 0)
            {
                return Fail<T>([.. issues.Select(i => i with { Path = Rooted(root, i.Path) })]);
            }

            if (!FhirResourceTypes.TryGetType(rootType!, out var type))
            {
                return Fail<T>(new FhirIssue(IssueSeverity.Error, IssueType.NotSupported, root + ".resourceType",
                    $"resourceType '{rootType}' is not supported (supported: {string.Join(", ", FhirResourceTypes.Names)})."));
            }

            if (!typeof(T).IsAssignableFrom(type))
            {
                return Fail<T>(new FhirIssue(IssueSeverity.Error, IssueType.Invalid, root + ".resourceType",
                    $"Expected a {FhirResourceTypes.NameOf(typeof(T)) ?? typeof(T).Name}, found a {rootType}."));
            }

            T resource;
            try
            {
                resource = (T)JsonSerializer.Deserialize(utf8Json, type, Options)!;
            }
            catch (JsonException ex)
            {
                var path = FhirPaths.ToElementPath(root, FhirPaths.Combine(ex as NestedResourceJsonException, ex.Path ?? "$"));
                return Fail<T>(new FhirIssue(IssueSeverity.Error, Classify(ex), path, Describe(ex)));
            }

            var modelIssues = FhirModelValidator.Validate(resource);
            return modelIssues.Count > 0 ? Fail<T>([.. modelIssues]) : new FhirParseResult<T>(resource, []);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Fail<T>(new FhirIssue(IssueSeverity.Error, IssueType.Exception, FhirResourceTypes.NameOf(typeof(T)) ?? "",
                "The resource could not be read: " + ex.Message));
        }
    }

    private static FhirParseResult<T> Fail<T>(params FhirIssue[] issues)
        where T : Resource => new(null, issues);

    private static string Rooted(string root, string relative) => relative.Length == 0 ? root : root + "." + relative;

    private static IssueType Classify(JsonException ex) =>
        ex.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) ? IssueType.Structure
        : ex.Message.Contains("is not a code of", StringComparison.Ordinal) ? IssueType.CodeInvalid
        : ex.Message.Contains("is not supported here", StringComparison.Ordinal) ? IssueType.NotSupported
        : ex.Message.Contains("Invalid ", StringComparison.Ordinal) ? IssueType.Value
        : IssueType.Structure;

    private static string Describe(JsonException ex)
    {
        var message = FhirPaths.CleanMessage(ex.Message);
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var name = message.Split('\'') is [_, var n, ..] ? n : "?";
            return $"Unknown element '{name}': it is not part of this FHIR type (or not supported by this service).";
        }

        if (message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
        {
            var target = message["The JSON value could not be converted to ".Length..].TrimEnd('.');
            return $"Wrong JSON type for this element: expected {FriendlyType(target)}.";
        }

        return message;
    }

    private static string FriendlyType(string clrType) => clrType switch
    {
        "System.String" => "a string",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "true or false",
        "System.Int32" or "System.Nullable`1[System.Int32]" => "an integer (a JSON number without a fraction)",
        _ when clrType.StartsWith("System.Collections.Generic.List`1", StringComparison.Ordinal) => "an array",
        _ => "an object (" + clrType[(clrType.LastIndexOf('.') + 1)..] + ")",
    };

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            NumberHandling = JsonNumberHandling.Strict,
            PropertyNameCaseInsensitive = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            WriteIndented = indented,
            IndentSize = 2,
            MaxDepth = 64,

            // FHIR JSON is UTF-8: write non-ASCII text (names, places) and '<', '>', '&', '+' as themselves, not \uXXXX.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { FhirContract.Modify } },
        };
        options.Converters.Add(new FhirEnumConverterFactory());
        options.Converters.Add(new FhirDecimalConverter());
        options.Converters.Add(new FhirDateConverter());
        options.Converters.Add(new FhirDateTimeConverter());
        options.Converters.Add(new FhirInstantConverter());
        options.Converters.Add(new ResourceJsonConverter<Resource>());
        options.Converters.Add(new ResourceJsonConverter<DomainResource>());
        options.MakeReadOnly();
        return options;
    }
}
