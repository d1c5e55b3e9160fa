using System.Text;
using System.Text.Json;
using Referrals.Fhir.Model;

namespace Referrals.Fhir.Serialization;

/// <summary>
/// A first pass over inbound bytes that enforces the FHIR JSON rules a typed deserializer cannot see: well-formed JSON, a
/// root object with a string <c>resourceType</c>, no <c>null</c>, no empty strings, arrays or objects, no repeated property.
/// Collects every such problem with its element path.
/// </summary>
internal static class FhirJsonScanner
{
    private const int MaxIssues = 50;

    public static string? Scan(ReadOnlySpan<byte> utf8, List<FhirIssue> issues)
    {
        string? rootType = null;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        var frames = new List<Frame>();
        string? pendingName = null;

        try
        {
            if (!reader.Read())
            {
                issues.Add(Error(IssueType.Structure, "", "The body is empty: a FHIR resource (JSON object) is required."));
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                issues.Add(Error(IssueType.Structure, "", $"A FHIR resource must be a JSON object, found {JsonTokens.Describe(reader.TokenType)}."));
                return null;
            }

            frames.Add(new Frame(null, isArray: false));
            while (reader.Read() && issues.Count < MaxIssues)
            {
                var frame = frames[^1];
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString()!;
                        if (!frame.Names!.Add(pendingName))
                        {
                            issues.Add(Error(IssueType.Structure, PathOf(frames, pendingName), $"Property '{pendingName}' appears more than once."));
                        }

                        if (frames.Count == 1 && pendingName == "resourceType")
                        {
                            var copy = reader;
                            copy.Read();
                            rootType = copy.TokenType == JsonTokenType.String ? copy.GetString() : null;
                            if (rootType is null)
                            {
                                issues.Add(Error(IssueType.Structure, PathOf(frames, pendingName), "resourceType must be a JSON string."));
                            }
                        }

                        frame.Count++;
                        continue;

                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var path = PathOfValue(frames, pendingName);
                        if (frame.IsArray)
                        {
                            frame.Count++;
                        }

                        frames.Add(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
                        pendingName = null;
                        continue;

                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (frame.Count == 0)
                        {
                            issues.Add(Error(
                                IssueType.Structure,
                                frame.Path ?? "",
                                reader.TokenType == JsonTokenType.EndArray
                                    ? "Empty arrays are not allowed in FHIR JSON: omit the property."
                                    : "Empty objects are not allowed in FHIR JSON: omit the property."));
                        }

                        frames.RemoveAt(frames.Count - 1);
                        continue;

                    case JsonTokenType.Null:
                        issues.Add(Error(IssueType.Structure, PathOfValue(frames, pendingName), "null is not allowed in FHIR JSON: omit the property."));
                        break;

                    case JsonTokenType.String:
                        if (!reader.HasValueSequence && reader.ValueSpan.Length == 0)
                        {
                            issues.Add(Error(IssueType.Value, PathOfValue(frames, pendingName), "Empty strings are not allowed in FHIR JSON: omit the property."));
                        }

                        break;
                }

                if (frame.IsArray)
                {
                    frame.Count++;
                }

                pendingName = null;
            }
        }
        catch (JsonException ex)
        {
            issues.Add(Error(
                IssueType.Structure,
                PathOfValue(frames, pendingName),
                $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {FhirPaths.CleanMessage(ex.Message)}"));
            return rootType;
        }

        if (issues.Count == 0 && rootType is null)
        {
            issues.Add(Error(IssueType.Required, "", "The resource has no resourceType."));
        }

        return rootType;
    }

    private static FhirIssue Error(IssueType code, string path, string message) => new(IssueSeverity.Error, code, path, message);

    // Paths here are relative ("entry[0].resource"); FhirJson prefixes the root resource type.
    private static string PathOfValue(List<Frame> frames, string? pendingName)
    {
        if (frames.Count == 0)
        {
            return "";
        }

        var frame = frames[^1];
        return frame.IsArray ? $"{frame.Path}[{frame.Count}]" : PathOf(frames, pendingName ?? "");
    }

    private static string PathOf(List<Frame> frames, string name)
    {
        var parent = frames[^1].Path;
        return string.IsNullOrEmpty(parent) ? name : new StringBuilder(parent).Append('.').Append(name).ToString();
    }

    private sealed class Frame(string? path, bool isArray)
    {
        public string? Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public HashSet<string>? Names { get; } = isArray ? null : new HashSet<string>(StringComparer.Ordinal);

        public int Count { get; set; }
    }
}
