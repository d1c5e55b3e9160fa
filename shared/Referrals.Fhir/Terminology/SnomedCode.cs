using System.Diagnostics.CodeAnalysis;
using Referrals.Fhir.Model;

namespace Referrals.Fhir.Terminology;

/// <summary>
/// A SNOMED CT concept identifier, validated once when built and held as a string (never a number: 16–18 digit ids
/// lose digits in floating point). Rules: 6–18 digits, no leading zero, partition <c>00</c> (core concept) or
/// <c>10</c> (extension concept), and a correct Verhoeff check digit. Passing proves the id is well formed, not that the
/// concept exists or is active.
/// </summary>
public sealed class SnomedCode : IEquatable<SnomedCode>
{
    private SnomedCode(string value) => Value = value;

    /// <summary>The SCTID digits.</summary>
    public string Value { get; }

    /// <summary>The two partition digits: <c>00</c> core concept, <c>10</c> extension concept.</summary>
    public string Partition => Value[^3..^1];

    /// <summary>True for an extension concept (partition <c>10</c>), e.g. a UK-extension id.</summary>
    public bool IsExtension => Partition == "10";

    /// <summary>The 7-digit namespace of an extension id (e.g. <c>1000000</c> for the UK), or null for a core id.</summary>
    public string? Namespace => IsExtension && Value.Length >= 10 ? Value[^10..^3] : null;

    /// <summary>Builds a code; throws <see cref="ArgumentException"/> naming the id and the rule it breaks.</summary>
    public static SnomedCode Create(string value) =>
        TryCreate(value, out var code, out var error) ? code : throw new ArgumentException($"'{value}' is not a valid SNOMED CT concept id: {error}", nameof(value));

    /// <summary>For inbound data: builds a code or says why the id is not a valid SNOMED CT concept id.</summary>
    public static bool TryCreate(string? value, [NotNullWhen(true)] out SnomedCode? code, out string error)
    {
        code = null;
        error = Check(value) ?? "";
        if (error.Length > 0)
        {
            return false;
        }

        code = new SnomedCode(value!);
        return true;
    }

    /// <inheritdoc cref="TryCreate(string?, out SnomedCode?, out string)"/>
    public static bool TryCreate(string? value, [NotNullWhen(true)] out SnomedCode? code) => TryCreate(value, out code, out _);

    /// <summary>A Coding in <c>http://snomed.info/sct</c>.</summary>
    public Coding ToCoding(string? display = null) => new() { System = FhirSystems.Snomed, Code = Value, Display = display };

    /// <summary>A CodeableConcept with one SNOMED CT coding.</summary>
    public CodeableConcept ToCodeableConcept(string? display = null, string? text = null) =>
        new() { Coding = [ToCoding(display)], Text = text };

    private static string? Check(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "it is empty.";
        }

        if (value.Length is < 6 or > 18)
        {
            return $"it has {value.Length} characters; an SCTID has 6 to 18 digits.";
        }

        if (!value.All(char.IsAsciiDigit))
        {
            return "it contains a character that is not a digit 0-9.";
        }

        if (value[0] == '0')
        {
            return "it starts with 0.";
        }

        var partition = value[^3..^1];
        if (partition is not ("00" or "10"))
        {
            return $"partition '{partition}' is not a concept partition (00 core, 10 extension); it may be a description or relationship id.";
        }

        return Verhoeff.IsValid(value) ? null : "the Verhoeff check digit is wrong (mistyped or truncated id?).";
    }

    public override string ToString() => Value;

    public bool Equals(SnomedCode? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as SnomedCode);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(SnomedCode? left, SnomedCode? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(SnomedCode? left, SnomedCode? right) => !(left == right);
}
