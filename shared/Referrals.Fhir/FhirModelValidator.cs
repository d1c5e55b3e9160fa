using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Referrals.Fhir.Model;
using Referrals.Fhir.Serialization;

namespace Referrals.Fhir;

/// <summary>
/// Checks a model instance against the FHIR rules the C# types cannot enforce on their own: minimum cardinality (C#
/// <c>required</c> members must be present and non-empty), at most one (or, when required, exactly one) value of each
/// choice element, no null or empty list items, primitive lexical rules (id, code, uri, positiveInt …), and the invariants
/// of Extension (ext-1) and Bundle (bdl-1/2/3/4/5/7/9/10/11/12). Every issue carries its element path.
/// </summary>
public static partial class FhirModelValidator
{
    private static readonly ConcurrentDictionary<Type, PropertyMeta[]> s_meta = new();

    /// <summary>All issues found in <paramref name="resource"/> (empty when it is valid).</summary>
    public static IReadOnlyList<FhirIssue> Validate(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var issues = new List<FhirIssue>();
        Walk(resource, resource.ResourceType, issues, 0);
        return issues;
    }

    private static void Walk(object obj, string path, List<FhirIssue> issues, int depth)
    {
        if (depth > FhirEmptiness.MaxDepth)
        {
            issues.Add(Error(IssueType.TooLong, path, $"Nesting is deeper than {FhirEmptiness.MaxDepth} levels (a cycle in the object graph?)."));
            return;
        }

        Dictionary<string, (List<string> Set, bool Required)>? choices = null;
        foreach (var p in Meta(obj.GetType()))
        {
            var value = p.Property.GetValue(obj);
            var empty = FhirEmptiness.IsEmpty(value);
            if (p.Choice is not null)
            {
                choices ??= new Dictionary<string, (List<string>, bool)>(StringComparer.Ordinal);
                if (!choices.TryGetValue(p.Choice.Group, out var entry))
                {
                    entry = ([], p.Choice.Required);
                    choices[p.Choice.Group] = entry;
                }

                if (!empty)
                {
                    entry.Set.Add(p.JsonName);
                }
            }

            var childPath = path + "." + p.JsonName;
            if (empty)
            {
                if (p.Required)
                {
                    issues.Add(Error(IssueType.Required, childPath, $"Required element '{p.JsonName}' is missing."));
                }

                continue;
            }

            if (value is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    var itemPath = $"{childPath}[{i}]";
                    var item = list[i];
                    if (item is null)
                    {
                        issues.Add(Error(IssueType.Structure, itemPath, "A list item is null."));
                    }
                    else if (FhirEmptiness.IsEmpty(item))
                    {
                        issues.Add(Error(IssueType.Structure, itemPath, "A list item is empty: remove it."));
                    }
                    else
                    {
                        CheckValue(item, itemPath, p.Primitive, issues, depth);
                    }
                }
            }
            else
            {
                CheckValue(value!, childPath, p.Primitive, issues, depth);
            }
        }

        if (choices is not null)
        {
            foreach (var (group, (set, required)) in choices)
            {
                if (set.Count > 1)
                {
                    issues.Add(Error(IssueType.Structure, $"{path}.{group}[x]", $"Only one of {group}[x] may be present, found {string.Join(" and ", set)}."));
                }
                else if (set.Count == 0 && required)
                {
                    issues.Add(Error(IssueType.Required, $"{path}.{group}[x]", $"Required element {group}[x] is missing."));
                }
            }
        }

        switch (obj)
        {
            case Extension extension:
                CheckExtension(extension, path, choices, issues);
                break;
            case Bundle bundle:
                CheckBundle(bundle, path, issues);
                break;
        }
    }

    private static void CheckValue(object value, string path, FhirPrimitive? primitive, List<FhirIssue> issues, int depth)
    {
        switch (value)
        {
            case string s:
                CheckString(s, path, primitive, issues);
                break;
            case int i when primitive == FhirPrimitive.PositiveInt && i < 1:
                issues.Add(Error(IssueType.Value, path, $"{i} is not a positiveInt (must be 1 or more)."));
                break;
            case int i when primitive == FhirPrimitive.UnsignedInt && i < 0:
                issues.Add(Error(IssueType.Value, path, $"{i} is not an unsignedInt (must be 0 or more)."));
                break;
            case Enum e when !Enum.IsDefined(e.GetType(), e):
                issues.Add(Error(IssueType.CodeInvalid, path, $"{e} is not a member of {FhirEnum.ValueSet(e.GetType())}."));
                break;
            case Element or Resource:
                Walk(value, path, issues, depth + 1);
                break;
        }
    }

    private static void CheckString(string s, string path, FhirPrimitive? primitive, List<FhirIssue> issues)
    {
        foreach (var c in s)
        {
            if (c < ' ' && c is not '\r' and not '\n' and not '\t')
            {
                issues.Add(Error(IssueType.Value, path, $"Control character U+{(int)c:X4} is not allowed in a FHIR string."));
                return;
            }
        }

        var (ok, rule) = primitive switch
        {
            FhirPrimitive.Id => (IdPattern().IsMatch(s), "an id ([A-Za-z0-9-.], 1 to 64 characters)"),
            FhirPrimitive.Code => (CodePattern().IsMatch(s), "a code (no leading, trailing or repeated whitespace)"),
            FhirPrimitive.Uri or FhirPrimitive.Url or FhirPrimitive.Canonical => (!s.Any(char.IsWhiteSpace), "a uri (no whitespace)"),
            FhirPrimitive.Xhtml => (s.StartsWith("<div xmlns=\"http://www.w3.org/1999/xhtml\"", StringComparison.Ordinal) && s.EndsWith("</div>", StringComparison.Ordinal),
                "narrative XHTML (a <div xmlns=\"http://www.w3.org/1999/xhtml\"> element)"),
            _ => (s.Any(c => !char.IsWhiteSpace(c)), "a string with some non-whitespace content"),
        };
        if (!ok)
        {
            issues.Add(Error(IssueType.Value, path, $"'{Truncate(s)}' is not {rule}."));
        }
    }

    private static void CheckExtension(Extension extension, string path, Dictionary<string, (List<string> Set, bool Required)>? choices, List<FhirIssue> issues)
    {
        var hasValue = choices is not null && choices.TryGetValue("value", out var v) && v.Set.Count > 0;
        var hasNested = extension.Extension.Count > 0;
        if (hasValue == hasNested)
        {
            issues.Add(Error(IssueType.Invariant, path, "ext-1: an extension must have either nested extensions or a value[x], not both and not neither."));
        }
    }

    private static void CheckBundle(Bundle bundle, string path, List<FhirIssue> issues)
    {
        var type = bundle.Type;
        if (bundle.Total is not null && type is not (BundleType.Searchset or BundleType.History))
        {
            issues.Add(Error(IssueType.Invariant, path + ".total", "bdl-1: total only when a search or history."));
        }

        var fullUrls = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            if (entry is null)
            {
                continue;
            }

            var entryPath = $"{path}.entry[{i}]";
            if (entry.Search is not null && type != BundleType.Searchset)
            {
                issues.Add(Error(IssueType.Invariant, entryPath + ".search", "bdl-2: entry.search only when a search."));
            }

            if (entry.Request is null && type is BundleType.Batch or BundleType.Transaction or BundleType.History)
            {
                issues.Add(Error(IssueType.Invariant, entryPath + ".request", "bdl-3: entry.request is mandatory for batch, transaction and history."));
            }

            if (entry.Response is null && type is BundleType.BatchResponse or BundleType.TransactionResponse or BundleType.History)
            {
                issues.Add(Error(IssueType.Invariant, entryPath + ".response", "bdl-4: entry.response is mandatory for batch-response, transaction-response and history."));
            }

            if (entry.Resource is null && entry.Request is null && entry.Response is null)
            {
                issues.Add(Error(IssueType.Invariant, entryPath, "bdl-5: an entry must have a resource unless there is a request or response."));
            }

            if (entry.FullUrl is not null && entry.Resource?.Meta?.VersionId is null && !fullUrls.Add(entry.FullUrl))
            {
                issues.Add(Error(IssueType.Invariant, entryPath + ".fullUrl", $"bdl-7: fullUrl '{entry.FullUrl}' is used by more than one entry."));
            }
        }

        if (type == BundleType.Document)
        {
            if (bundle.Identifier?.System is null || bundle.Identifier.Value is null)
            {
                issues.Add(Error(IssueType.Invariant, path + ".identifier", "bdl-9: a document must have an identifier with a system and a value."));
            }

            if (bundle.Timestamp is null)
            {
                issues.Add(Error(IssueType.Invariant, path + ".timestamp", "bdl-10: a document must have a date (timestamp)."));
            }

            if (bundle.Entry.Count == 0 || bundle.Entry[0]?.Resource is not Composition)
            {
                issues.Add(Error(IssueType.Invariant, path + ".entry[0]", "bdl-11: a document must have a Composition as the first resource."));
            }
        }

        if (type == BundleType.Message && (bundle.Entry.Count == 0 || bundle.Entry[0]?.Resource is not MessageHeader))
        {
            issues.Add(Error(IssueType.Invariant, path + ".entry[0]", "bdl-12: a message must have a MessageHeader as the first resource."));
        }
    }

    private static PropertyMeta[] Meta(Type type) => s_meta.GetOrAdd(type, static t =>
    [
        .. FhirEmptiness.ElementProperties(t)
            .Where(p => !(typeof(Resource).IsAssignableFrom(t) && p.Name == nameof(Resource.ResourceType)))
            .Select(p => new PropertyMeta(
                JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p,
                p.GetCustomAttribute<RequiredMemberAttribute>() is not null,
                p.GetCustomAttribute<FhirChoiceAttribute>(),
                p.GetCustomAttribute<FhirPrimitiveAttribute>()?.Type)),
    ]);

    private static FhirIssue Error(IssueType code, string path, string message) => new(IssueSeverity.Error, code, path, message);

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[^\s]+(\s[^\s]+)*$")]
    private static partial Regex CodePattern();

    private sealed record PropertyMeta(string JsonName, PropertyInfo Property, bool Required, FhirChoiceAttribute? Choice, FhirPrimitive? Primitive);
}
