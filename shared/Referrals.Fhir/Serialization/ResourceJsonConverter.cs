using System.Text.Json;
using System.Text.Json.Serialization;
using Referrals.Fhir.Model;

namespace Referrals.Fhir.Serialization;

/// <summary>
/// (De)serializes properties and lists typed <see cref="Resource"/> (or <see cref="DomainResource"/>) by their
/// <c>resourceType</c>: Bundle.entry.resource, Bundle.entry.response.outcome, DomainResource.contained.
/// </summary>
internal sealed class ResourceJsonConverter<TBase> : JsonConverter<TBase>
    where TBase : Resource
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(TBase);

    public override TBase Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a resource (JSON object), found {JsonTokens.Describe(reader.TokenType)}.");
        }

        var resourceType = PeekResourceType(reader);
        if (resourceType is null)
        {
            throw new JsonException("A resource here needs a 'resourceType'.");
        }

        if (!FhirResourceTypes.TryGetType(resourceType, out var type) || !typeof(TBase).IsAssignableFrom(type))
        {
            throw new JsonException($"resourceType '{resourceType}' is not supported here (supported: {string.Join(", ", FhirResourceTypes.Names)}).");
        }

        try
        {
            return (TBase)JsonSerializer.Deserialize(ref reader, type, options)!;
        }
        catch (JsonException ex) when (ex.Path is not null)
        {
            // The nested call reports a path relative to this resource; hand it up so the outer path can be prefixed.
            throw new NestedResourceJsonException(ex, FhirPaths.Combine(ex is NestedResourceJsonException n ? n : null, ex.Path));
        }
    }

    public override void Write(Utf8JsonWriter writer, TBase value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);

    private static string? PeekResourceType(Utf8JsonReader reader)
    {
        // reader is a copy: scanning it does not move the caller's reader.
        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1)
            {
                var isResourceType = reader.ValueTextEquals("resourceType"u8);
                reader.Read();
                if (isResourceType)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }

        return null;
    }
}

/// <summary>A failure inside a nested resource, carrying the path inside that resource (relative, <c>$</c>-rooted).</summary>
internal sealed class NestedResourceJsonException(JsonException inner, string relativePath)
    : JsonException(FhirPaths.CleanMessage(inner.Message), inner)
{
    public string RelativePath { get; } = relativePath;
}
