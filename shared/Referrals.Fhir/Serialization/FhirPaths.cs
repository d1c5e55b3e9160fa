using System.Text;
using System.Text.RegularExpressions;

namespace Referrals.Fhir.Serialization;

/// <summary>Turns System.Text.Json's <c>$.a[0].b</c> paths into FHIRPath-style element paths (<c>Bundle.entry[0].resource</c>).</summary>
internal static partial class FhirPaths
{
    public static string Combine(NestedResourceJsonException? nested, string path) =>
        nested is null ? path : path + nested.RelativePath[1..];

    /// <summary><c>$.entry[0]['resource']</c> → <c>{root}.entry[0].resource</c>.</summary>
    public static string ToElementPath(string root, string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return root;
        }

        var sb = new StringBuilder(root);
        var rest = jsonPath.StartsWith('$') ? jsonPath[1..] : jsonPath;
        foreach (Match m in Segment().Matches(rest))
        {
            if (m.Groups["name"].Success)
            {
                sb.Append('.').Append(m.Groups["name"].Value);
            }
            else if (m.Groups["quoted"].Success)
            {
                sb.Append('.').Append(m.Groups["quoted"].Value.Replace("\\'", "'", StringComparison.Ordinal));
            }
            else
            {
                sb.Append('[').Append(m.Groups["index"].Value).Append(']');
            }
        }

        return sb.ToString();
    }

    /// <summary>Removes the " Path: … | LineNumber: … | BytePositionInLine: …" tail System.Text.Json appends.</summary>
    public static string CleanMessage(string message) => PathTail().Replace(message, "").Trim();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^'\\]|\\.)*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Segment();

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+\s*\|\s*BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex PathTail();
}
