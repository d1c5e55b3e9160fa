using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Referrals.Fhir.Model;

namespace Referrals.Fhir.Serialization;

/// <summary>
/// FHIR <c>decimal</c>: a JSON number whose precision is preserved. Read from the number's exact text (so <c>7.00</c> keeps
/// scale 2) and written as the decimal's invariant text (so 7.00m is written <c>7.00</c>, never <c>7</c> or <c>7.0000001</c>).
/// </summary>
internal sealed class FhirDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException($"Expected a decimal (JSON number), found {JsonTokens.Describe(reader.TokenType)}.");
        }

        var raw = reader.HasValueSequence ? Encoding.UTF8.GetString(reader.ValueSequence.ToArray()) : Encoding.UTF8.GetString(reader.ValueSpan);
        return decimal.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"'{raw}' is outside the range of a decimal.");
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
}

/// <summary>FHIR <c>date</c> as its exact text.</summary>
internal sealed class FhirDateConverter : JsonConverter<FhirDate>
{
    public override FhirDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = Temporal.ReadString(ref reader, "date");
        return FhirDate.TryParse(text, out var value, out var error) ? value : throw new JsonException($"Invalid date: {error}.");
    }

    public override void Write(Utf8JsonWriter writer, FhirDate value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>FHIR <c>dateTime</c> as its exact text.</summary>
internal sealed class FhirDateTimeConverter : JsonConverter<FhirDateTime>
{
    public override FhirDateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = Temporal.ReadString(ref reader, "dateTime");
        return FhirDateTime.TryParse(text, out var value, out var error) ? value : throw new JsonException($"Invalid dateTime: {error}.");
    }

    public override void Write(Utf8JsonWriter writer, FhirDateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>FHIR <c>instant</c> as its exact text.</summary>
internal sealed class FhirInstantConverter : JsonConverter<FhirInstant>
{
    public override FhirInstant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = Temporal.ReadString(ref reader, "instant");
        return FhirInstant.TryParse(text, out var value, out var error) ? value : throw new JsonException($"Invalid instant: {error}.");
    }

    public override void Write(Utf8JsonWriter writer, FhirInstant value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal static class Temporal
{
    public static string ReadString(ref Utf8JsonReader reader, string fhirType) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : throw new JsonException($"Expected a {fhirType} (JSON string), found {JsonTokens.Describe(reader.TokenType)}.");
}
