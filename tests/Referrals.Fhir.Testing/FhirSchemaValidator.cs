using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Referrals.Fhir.Testing;

/// <summary>
/// Validates FHIR R4 resource JSON against the official FHIR R4 JSON schema (vendored <c>Schema/fhir.schema.json</c>) with
/// NJsonSchema.
/// <para>
/// The schema is loaded once per process (it takes seconds), lazily and thread-safely, registered under its own base URI
/// <see cref="SchemaBaseUri"/> (it declares the draft-04 <c>id</c>, which NJsonSchema ignores). Each resource is validated
/// against <c>{"$ref": "http://hl7.org/fhir/json-schema/4.0#/definitions/&lt;resourceType&gt;"}</c>, never the top-level
/// <c>oneOf</c>. Nested resources (Bundle.entry.resource, response.outcome, contained) are taken out and validated against
/// their own definitions too: the schema's <c>ResourceList</c> is a <c>oneOf</c> that relies on <c>const resourceType</c>,
/// a keyword NJsonSchema 10 does not enforce, so it would reject every nested resource that fits several definitions.
/// </para>
/// <para>The schema checks structure, types and lexical patterns; not invariants, terminology bindings (see
/// <see cref="RequiredBindingChecker"/>) or profiles.</para>
/// </summary>
public sealed class FhirSchemaValidator
{
    /// <summary>The schema's own <c>id</c>, used as the base URI it is registered under.</summary>
    public const string SchemaBaseUri = "http://hl7.org/fhir/json-schema/4.0";

    private static readonly Lazy<FhirSchemaValidator> s_shared = new(() => Load(DefaultSchemaPath), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly JsonSchema _fhirSchema;
    private readonly ConcurrentDictionary<string, Lazy<JsonSchema>> _wrappers = new(StringComparer.Ordinal);

    private FhirSchemaValidator(JsonSchema fhirSchema, IReadOnlySet<string> resourceTypes, TimeSpan loadTime)
    {
        _fhirSchema = fhirSchema;
        ResourceTypes = resourceTypes;
        LoadTime = loadTime;
    }

    /// <summary>The process-wide validator over <see cref="DefaultSchemaPath"/>, loaded on first use.</summary>
    public static FhirSchemaValidator Shared => s_shared.Value;

    /// <summary><c>Schema/fhir.schema.json</c> beside the test assembly (copied there by this project's build).</summary>
    public static string DefaultSchemaPath => Path.Combine(AppContext.BaseDirectory, "Schema", "fhir.schema.json");

    /// <summary>How long loading and parsing the schema took.</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>Every R4 resource type the schema defines (its discriminator mapping).</summary>
    public IReadOnlySet<string> ResourceTypes { get; }

    /// <summary>Loads a schema file (use <see cref="Shared"/> unless you need a second copy).</summary>
    public static FhirSchemaValidator Load(string schemaPath)
    {
        var stopwatch = Stopwatch.StartNew();
        var text = File.ReadAllText(schemaPath);

        // Thread pool, no synchronization context: NJsonSchema's loader is async-only.
        var schema = Task.Run(() => JsonSchema.FromJsonAsync(text, SchemaBaseUri)).GetAwaiter().GetResult();
        using var document = System.Text.Json.JsonDocument.Parse(text);
        if (!document.RootElement.TryGetProperty("discriminator", out var discriminator) || !discriminator.TryGetProperty("mapping", out var mapping))
        {
            throw new InvalidOperationException($"{schemaPath} has no discriminator mapping: is it the FHIR R4 schema?");
        }

        var types = mapping.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        stopwatch.Stop();
        return new FhirSchemaValidator(schema, types, stopwatch.Elapsed);
    }

    /// <summary>Validates one resource (with its nested resources). The root's <c>resourceType</c> picks the definition.</summary>
    public FhirSchemaResult Validate(string resourceJson)
    {
        ArgumentNullException.ThrowIfNull(resourceJson);
        JToken token;
        try
        {
            using var reader = new JsonTextReader(new StringReader(resourceJson))
            {
                DateParseHandling = DateParseHandling.None, // keep dates as the exact strings the schema patterns check
                FloatParseHandling = FloatParseHandling.Decimal,
            };
            token = JToken.ReadFrom(reader);
        }
        catch (JsonException ex)
        {
            return new FhirSchemaResult([new FhirSchemaError("", "InvalidJson", ex.Message)], []);
        }

        var errors = new List<FhirSchemaError>();
        var suppressed = new List<FhirSchemaError>();
        if (token is not JObject root)
        {
            errors.Add(new FhirSchemaError("", "NotAnObject", "A resource must be a JSON object."));
        }
        else
        {
            ValidateResource(root, null, errors, suppressed);
        }

        return new FhirSchemaResult(errors, suppressed);
    }

    /// <summary>Throws <see cref="FhirSchemaValidationException"/> listing every error when <paramref name="resourceJson"/> is not schema-valid.</summary>
    public void AssertValid(string resourceJson)
    {
        var result = Validate(resourceJson);
        if (!result.IsValid)
        {
            throw new FhirSchemaValidationException(result);
        }
    }

    private void ValidateResource(JObject resource, string? parentPath, List<FhirSchemaError> errors, List<FhirSchemaError> suppressed)
    {
        var resourceType = (resource["resourceType"] as JValue)?.Value as string;
        var path = parentPath ?? resourceType ?? "(resource)";
        if (resourceType is null || !ResourceTypes.Contains(resourceType))
        {
            errors.Add(new FhirSchemaError(path + ".resourceType", "UnknownResourceType", $"resourceType '{resourceType}' is not an R4 resource type."));
            return;
        }

        // Take nested resources out (deepest handled by recursion) and validate them on their own.
        var copy = (JObject)resource.DeepClone();
        var nested = new List<(string RelativePath, JObject Resource)>();
        CollectNested(resource, resource, nested);
        foreach (var (relativePath, _) in Enumerable.Reverse(nested))
        {
            var inCopy = copy.SelectToken(relativePath);
            if (inCopy?.Parent is JProperty property)
            {
                property.Remove();
            }
            else
            {
                inCopy?.Remove();
            }
        }

        foreach (var error in WrapperFor(resourceType).Validate(copy))
        {
            Flatten(error, copy, path, errors, suppressed);
        }

        foreach (var (relativePath, child) in nested)
        {
            ValidateResource(child, path + "." + relativePath, errors, suppressed);
        }
    }

    private static void CollectNested(JObject root, JToken token, List<(string, JObject)> found)
    {
        foreach (var child in token.Children())
        {
            var value = child is JProperty p ? p.Value : child;
            if (value is JObject obj && obj["resourceType"] is not null)
            {
                found.Add((RelativePath(root, obj), obj));
            }
            else if (value is JContainer container)
            {
                CollectNested(root, container, found);
            }
        }
    }

    private static string RelativePath(JToken root, JToken token) =>
        root.Path.Length == 0 ? token.Path : token.Path[(root.Path.Length + 1)..];

    private JsonSchema WrapperFor(string resourceType) => _wrappers.GetOrAdd(resourceType, type => new Lazy<JsonSchema>(
        () =>
        {
            var json = "{\"$ref\":\"" + SchemaBaseUri + "#/definitions/" + type + "\"}";
            return Task.Run(() => JsonSchema.FromJsonAsync(json, "urn:referrals:fhir-schema-wrapper:" + type, wrapper =>
            {
                var resolver = new JsonReferenceResolver(new JsonSchemaAppender(wrapper, new DefaultTypeNameGenerator()));
                resolver.AddDocumentReference(SchemaBaseUri, _fhirSchema);
                return resolver;
            })).GetAwaiter().GetResult();
        },
        LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static void Flatten(ValidationError error, JObject resource, string root, List<FhirSchemaError> errors, List<FhirSchemaError> suppressed)
    {
        if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
        {
            foreach (var inner in child.Errors.Values.SelectMany(e => e))
            {
                Flatten(inner, resource, root, errors, suppressed);
            }

            return;
        }

        var relative = (error.Path ?? "").TrimStart('#').TrimStart('/').Replace('/', '.');
        var elementPath = relative.Length == 0 ? root : root + "." + relative;
        var value = relative.Length == 0 ? null : resource.SelectToken(relative);
        var detail = error.Kind switch
        {
            ValidationErrorKind.NotInEnumeration =>
                $"value {Show(value)} is not one of: {string.Join(", ", error.Schema?.ActualSchema.Enumeration ?? [])}",
            ValidationErrorKind.PatternMismatch => $"value {Show(value)} does not match {error.Schema?.ActualSchema.Pattern}",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => $"element '{error.Property}' is not allowed here",
            ValidationErrorKind.PropertyRequired => $"required element '{error.Property}' is missing",
            _ => $"{error.Kind}{(error.Property is null ? "" : $" ({error.Property})")} at value {Show(value)}",
        };
        var formatted = new FhirSchemaError(elementPath, error.Kind.ToString(), detail);
        (IsKnownSchemaDefect(error, root, relative, value) ? suppressed : errors).Add(formatted);
    }

    /// <summary>
    /// The published R4 schema's FHIRVersion enum stops at 4.0.0 although R4 is released as 4.0.1 (the value set lists it).
    /// That one error — <c>CapabilityStatement.fhirVersion</c> = <c>4.0.1</c> — is reported as suppressed, not as a failure.
    /// </summary>
    private static bool IsKnownSchemaDefect(ValidationError error, string root, string relative, JToken? value) =>
        error.Kind == ValidationErrorKind.NotInEnumeration
        && relative == "fhirVersion"
        && root.EndsWith("CapabilityStatement", StringComparison.Ordinal)
        && value is JValue { Value: "4.0.1" };

    private static string Show(JToken? value) => value switch
    {
        null => "(absent)",
        JValue { Value: string s } => "'" + s + "'",
        JValue v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "null",
        _ => value.Type.ToString(),
    };
}

/// <summary>One schema error, with a FHIRPath-style element path rooted at the resource type.</summary>
public sealed record FhirSchemaError(string Path, string Kind, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The outcome of <see cref="FhirSchemaValidator.Validate"/>.</summary>
public sealed class FhirSchemaResult(IReadOnlyList<FhirSchemaError> errors, IReadOnlyList<FhirSchemaError> suppressedKnownDefects)
{
    public bool IsValid => Errors.Count == 0;

    public IReadOnlyList<FhirSchemaError> Errors { get; } = errors;

    /// <summary>Errors matching a documented defect of the published schema (see <see cref="FhirSchemaValidator"/>), not counted.</summary>
    public IReadOnlyList<FhirSchemaError> SuppressedKnownDefects { get; } = suppressedKnownDefects;

    public override string ToString() => IsValid ? "valid" : string.Join(Environment.NewLine, Errors);
}

/// <summary>Thrown by <see cref="FhirSchemaValidator.AssertValid"/>.</summary>
public sealed class FhirSchemaValidationException : Exception
{
    public FhirSchemaValidationException(FhirSchemaResult result)
        : base("FHIR R4 schema validation failed:" + Environment.NewLine + result) => Result = result;

    public FhirSchemaValidationException()
    {
    }

    public FhirSchemaValidationException(string message)
        : base(message)
    {
    }

    public FhirSchemaValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FhirSchemaResult? Result { get; }
}
