using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Referrals.Fhir.Model;

namespace Referrals.Fhir;

/// <summary>Maps value-set enums to and from their exact FHIR codes (from <see cref="FhirCodeAttribute"/>, never the C# names).</summary>
public static class FhirEnum
{
    private static readonly ConcurrentDictionary<Type, EnumMap> s_maps = new();

    /// <summary>The FHIR code of an enum value, e.g. <c>FhirTaskStatus.InProgress</c> → <c>in-progress</c>.</summary>
    public static string ToCode<TEnum>(TEnum value)
        where TEnum : struct, Enum => Map(typeof(TEnum)).ToCode(value);

    public static bool TryParse<TEnum>(string? code, out TEnum value)
        where TEnum : struct, Enum
    {
        if (code is not null && Map(typeof(TEnum)).TryParse(code, out var boxed))
        {
            value = (TEnum)boxed;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>All codes of the value set, in declaration order.</summary>
    public static IReadOnlyList<string> Codes<TEnum>()
        where TEnum : struct, Enum => Map(typeof(TEnum)).Codes;

    /// <summary>All codes of a value-set enum type, in declaration order.</summary>
    public static IReadOnlyList<string> Codes(Type enumType) => Map(enumType).Codes;

    /// <summary>The value set canonical of a value-set enum type.</summary>
    public static string ValueSet(Type enumType) => Map(enumType).ValueSet;

    internal static bool IsValueSetEnum(Type type) => type.IsEnum && type.GetCustomAttribute<FhirValueSetAttribute>() is not null;

    internal static EnumMap Map(Type enumType) => s_maps.GetOrAdd(enumType, static t => new EnumMap(t));

    internal sealed class EnumMap
    {
        private readonly FrozenDictionary<string, object> _byCode;
        private readonly FrozenDictionary<object, string> _byValue;

        public EnumMap(Type enumType)
        {
            ValueSet = enumType.GetCustomAttribute<FhirValueSetAttribute>()?.Canonical
                ?? throw new InvalidOperationException($"{enumType} has no [FhirValueSet]: it cannot be written as a FHIR code.");
            var byCode = new Dictionary<string, object>(StringComparer.Ordinal);
            var byValue = new Dictionary<object, string>();
            var codes = new List<string>();
            foreach (var field in enumType.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var code = field.GetCustomAttribute<FhirCodeAttribute>()?.Code
                    ?? throw new InvalidOperationException($"{enumType}.{field.Name} has no [FhirCode].");
                var value = field.GetValue(null)!;
                if (!byCode.TryAdd(code, value) || !byValue.TryAdd(value, code))
                {
                    throw new InvalidOperationException($"{enumType}: code '{code}' or value {field.Name} is declared twice.");
                }

                codes.Add(code);
            }

            _byCode = byCode.ToFrozenDictionary(StringComparer.Ordinal);
            _byValue = byValue.ToFrozenDictionary();
            Codes = codes;
        }

        public string ValueSet { get; }

        public IReadOnlyList<string> Codes { get; }

        public string ToCode(object value) =>
            _byValue.TryGetValue(value, out var code)
                ? code
                : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a member of {ValueSet}.");

        public bool TryParse(string code, [NotNullWhen(true)] out object? value) => _byCode.TryGetValue(code, out value);
    }
}
