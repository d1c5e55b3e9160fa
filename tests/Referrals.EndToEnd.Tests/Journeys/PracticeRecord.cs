using System.Text.Json;
using Referrals.Deploy.Practice;

namespace Referrals.EndToEnd.Tests.Journeys;

/// <summary>What the registered practice's system holds about one person (found by NHS number).</summary>
public sealed class PracticeRecord(IReadOnlyDictionary<string, StoredResource> store, string nhsNumber)
{
    public string? PatientId { get; } = store
        .Where(r => r.Key.StartsWith("Patient/", StringComparison.Ordinal) && r.Value.Json.Contains(nhsNumber, StringComparison.Ordinal))
        .Select(r => r.Key["Patient/".Length..]).FirstOrDefault();

    /// <summary>The person's resources (those referring to their Patient), parsed.</summary>
    public IReadOnlyList<JsonElement> Resources => PatientId is null
        ? []
        : store.Where(r => r.Value.Json.Contains($"Patient/{PatientId}\"", StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Value.Json).RootElement.Clone()).ToList();

    public IReadOnlyList<JsonElement> OfType(string type) =>
        Resources.Where(r => r.GetProperty("resourceType").GetString() == type).ToList();

    /// <summary>Resources of a type carrying a SNOMED code.</summary>
    public IReadOnlyList<JsonElement> Coded(string type, string code) => OfType(type)
        .Where(r => r.TryGetProperty("code", out var c) && c.TryGetProperty("coding", out var coding) &&
                    coding.EnumerateArray().Any(x => x.GetProperty("code").GetString() == code))
        .ToList();
}
