using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Referrals.Fhir.Model;

namespace Referrals.Fhir.Serialization;

/// <summary>
/// Contract rules on top of the default reflection contract:
/// never write null, empty strings, empty lists or elements with nothing in them; make <c>resourceType</c> readable and
/// checked; leave required-ness to <see cref="FhirModelValidator"/> (which reports every missing element with its path).
/// </summary>
internal static class FhirContract
{
    public static void Modify(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        // resourceType first: [JsonPropertyOrder] on the abstract Resource.ResourceType is not seen through the overrides.
        var resourceType = typeof(Resource).IsAssignableFrom(typeInfo.Type) ? typeInfo.Properties.FirstOrDefault(p => p.Name == "resourceType") : null;
        if (resourceType is not null)
        {
            resourceType.Order = int.MinValue;
            typeInfo.Properties.Remove(resourceType);
            typeInfo.Properties.Insert(0, resourceType);
        }

        foreach (var property in typeInfo.Properties)
        {
            property.IsRequired = false;
            property.ShouldSerialize = static (_, value) => !FhirEmptiness.IsEmpty(value);

            if (ReferenceEquals(property, resourceType))
            {
                property.Set = static (obj, value) =>
                {
                    var expected = ((Resource)obj).ResourceType;
                    if (!string.Equals(value as string, expected, StringComparison.Ordinal))
                    {
                        throw new JsonException($"resourceType is '{value}' where a {expected} was expected.");
                    }
                };
            }
        }
    }
}

/// <summary>FHIR JSON's notion of "nothing here": null, "", an empty list, or an element whose every property is empty.</summary>
internal static class FhirEmptiness
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> s_elementProperties = new();

    /// <summary>Deeper than this, a value counts as non-empty (FhirModelValidator reports the depth; it also stops cycles).</summary>
    internal const int MaxDepth = 64;

    public static bool IsEmpty(object? value) => IsEmpty(value, 0);

    private static bool IsEmpty(object? value, int depth) => value switch
    {
        null => true,
        string s => s.Length == 0,
        Resource => false,
        _ when depth > MaxDepth => false,
        IList list => IsEmptyList(list, depth + 1),
        Element element => IsEmptyElement(element, depth + 1),
        _ => false,
    };

    private static bool IsEmptyList(IList list, int depth)
    {
        foreach (var item in list)
        {
            if (!IsEmpty(item, depth))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEmptyElement(Element element, int depth)
    {
        foreach (var property in ElementProperties(element.GetType()))
        {
            if (!IsEmpty(property.GetValue(element), depth))
            {
                return false;
            }
        }

        return true;
    }

    internal static PropertyInfo[] ElementProperties(Type type) => s_elementProperties.GetOrAdd(
        type,
        static t => [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0)]);
}
