using System.Text.Json;
using System.Text.Json.Serialization;

namespace Referrals.Fhir.Serialization;

/// <summary>Writes and reads value-set enums as their FHIR codes; an unknown code is an error naming the value set.</summary>
internal sealed class FhirEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => FhirEnum.IsValueSetEnum(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(FhirEnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class FhirEnumConverter<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        private readonly FhirEnum.EnumMap _map = FhirEnum.Map(typeof(TEnum));

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"Expected a code (JSON string) from {_map.ValueSet}, found {JsonTokens.Describe(reader.TokenType)}.");
            }

            var code = reader.GetString()!;
            return _map.TryParse(code, out var value)
                ? (TEnum)value
                : throw new JsonException($"'{code}' is not a code of {_map.ValueSet} (allowed: {string.Join(", ", _map.Codes)}).");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(_map.ToCode(value));
    }
}

internal static class JsonTokens
{
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
