using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Referrals.Intake.Tests.Submitting;

/// <summary>
/// The personal values a request carries, to prove no answer echoes them: every value under the person, the free text,
/// the names and contacts of the people consenting and referring, the FHIR Patient's name, contacts, address and birth
/// date, and any run of ten digits (an NHS number, valid or not). A body that does not parse (truncated, not UTF-8) is
/// cut from one of the valid requests, so their values count too.
/// </summary>
public static partial class PersonalValues
{
    private const int Shortest = 4;

    private static readonly HashSet<string> PersonalKeys = new(StringComparer.Ordinal)
    {
        "person", "reasonText", "whatMatters", "notes", "givenBy", "recordedBy", "professionalName", "professionalContact",
        "note", "name", "telecom", "address", "birthDate",
    };

    // Enumerations and FHIR plumbing name kinds of thing, not a person: an answer may list the allowed values.
    private static readonly HashSet<string> NotPersonal = new(StringComparer.Ordinal)
    {
        "preferredContactMethod", "system", "use", "resourceType", "gender", "status", "code", "url", "reference",
        "generalPractitioner", "managingOrganization",
    };

    private static readonly IReadOnlySet<string> FromValidRequests = new[]
    {
        TestData.Referral(), TestData.SelfReferral(), TestFhir.ServiceRequest(), TestFhir.Bundle(),
    }.SelectMany(request => Collect(request, personal: false)).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlySet<string> In(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var values = new HashSet<string>(FromValidRequests, StringComparer.Ordinal);
        values.UnionWith(TenDigits().Matches(text).Select(m => m.Value));
        try
        {
            if (JsonNode.Parse(text) is { } json)
            {
                values.UnionWith(Collect(json, personal: false));
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON, JSON with a repeated property, or text with a broken surrogate: the valid requests' values and the
            // digit runs stand.
        }

        values.RemoveWhere(v => v.Trim().Length < Shortest);
        return values;
    }

    /// <summary>The values of <paramref name="values"/> that <paramref name="answer"/> contains, as typed or JSON-escaped.</summary>
    public static IReadOnlyList<string> EchoedIn(string answer, IEnumerable<string> values) =>
        values.Where(v => answer.Contains(v, StringComparison.Ordinal) ||
                          answer.Contains(JsonEncodedText.Encode(v).ToString(), StringComparison.Ordinal)).ToList();

    private static IEnumerable<string> Collect(JsonNode? node, bool personal)
    {
        switch (node)
        {
            case JsonObject obj:
                var isPatient = obj["resourceType"] is JsonValue type && type.GetValueKind() == JsonValueKind.String &&
                                type.GetValue<string>() == "Patient";
                foreach (var (key, child) in obj)
                {
                    if (NotPersonal.Contains(key))
                    {
                        continue;
                    }

                    foreach (var value in Collect(child, personal || PersonalKeys.Contains(key) || (isPatient && key != "id")))
                    {
                        yield return value;
                    }
                }

                break;
            case JsonArray array:
                foreach (var value in array.SelectMany(item => Collect(item, personal)))
                {
                    yield return value;
                }

                break;
            case JsonValue leaf when personal:
                yield return leaf.GetValueKind() == JsonValueKind.String ? leaf.GetValue<string>() : leaf.ToJsonString();
                break;
        }
    }

    [GeneratedRegex("[0-9]{10}")]
    private static partial Regex TenDigits();
}
