using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Referrals.SupportPlan.Http;

/// <summary>
/// How support-plan binds request bodies: exactly, so that nothing the worker meant is replaced by a default.
/// <list type="bullet">
/// <item>A field the request does not have (a misspelt one, or another service's name for it) or a field sent twice is a 400
/// naming it; before, it was skipped and its value silently became the default (a consent change sent as
/// <c>sharingScope</c> widened consent to Full).</item>
/// <item>A field of a request record that is neither nullable nor given a default in the constructor is required: missing,
/// it is a 400 naming it, instead of an enum becoming its first member (a closure without a reason closed as GoalsMet).
/// Nullable fields stay optional.</item>
/// <item>Enums only by name: a number would bind to whichever member has it.</item>
/// </list>
/// The OpenAPI document's <c>required</c> lists of request bodies are taken from the same rule, so they say exactly this.
/// </summary>
public static class CommandJson
{
    public static IServiceCollection AddSupportPlanCommandJson(this IServiceCollection services)
    {
        // Registered after the shared defaults (AddServiceDefaults), so this runs after them and overrides what it must.
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => Strict(o.SerializerOptions));
        services.ConfigureAll<OpenApiOptions>(o => o.AddSchemaTransformer(DocumentRequired));
        return services;
    }

    internal static void Strict(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        for (var i = 0; i < options.Converters.Count; i++)
        {
            if (options.Converters[i] is JsonStringEnumConverter)
            {
                options.Converters[i] = new JsonStringEnumConverter(allowIntegerValues: false);
            }
        }

        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(RequireWhatIsNotOptional);
    }

    /// <summary>Support-plan's own records: a constructor parameter with no default and a non-nullable type must be sent.</summary>
    private static void RequireWhatIsNotOptional(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Assembly != typeof(CommandJson).Assembly)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false })
            {
                property.IsRequired = true;
            }
        }
    }

    private static readonly ConcurrentDictionary<string, IReadOnlySet<Type>> RequestTypesByDocument = new(StringComparer.Ordinal);

    /// <summary>
    /// The schema of a request body (or of a record inside one) lists as required exactly what binding requires. Left alone,
    /// the generator lists every constructor parameter, nullable ones included, which binding does not require.
    /// </summary>
    private static Task DocumentRequired(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo;
        if (type.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 } &&
            RequestTypes(context).Contains(type.Type))
        {
            var required = type.Properties.Where(p => p.IsRequired).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            schema.Required = required.Count > 0 ? required : null;
        }

        return Task.CompletedTask;
    }

    /// <summary>Support-plan's records bound from a request body, and those inside them.</summary>
    private static IReadOnlySet<Type> RequestTypes(OpenApiSchemaTransformerContext context) =>
        RequestTypesByDocument.GetOrAdd(context.DocumentName, _ =>
        {
            var options = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var bodies = context.ApplicationServices.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items
                .SelectMany(g => g.Items).SelectMany(d => d.ParameterDescriptions)
                .Where(p => p.Source == BindingSource.Body).Select(p => p.Type);
            var found = new HashSet<Type>();
            foreach (var body in bodies)
            {
                Collect(options.GetTypeInfo(Nullable.GetUnderlyingType(body) ?? body), options, found);
            }

            return found;
        });

    private static void Collect(JsonTypeInfo type, JsonSerializerOptions options, HashSet<Type> found)
    {
        if (type.Kind == JsonTypeInfoKind.Enumerable && type.ElementType is { } element)
        {
            Collect(options.GetTypeInfo(element), options, found);
        }

        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Assembly != typeof(CommandJson).Assembly || !found.Add(type.Type))
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            Collect(options.GetTypeInfo(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType), options, found);
        }
    }
}
