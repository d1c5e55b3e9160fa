using System.Text.Json;

namespace Referrals.Intake.SelfReferring;

public sealed record CrisisRoute(string Service, string Phone, string When);

/// <summary>Where to get help now. Shown at once, in the same response, whenever a person indicates risk.</summary>
public sealed record CrisisSupport(string Statement, IReadOnlyList<CrisisRoute> Routes)
{
    public const string NotAnEmergencyService =
        "This is not an emergency service. We will not see your referral straight away, so we cannot respond to an emergency.";

    public static readonly CrisisSupport Routes999111Samaritans = new(
        NotAnEmergencyService + " If you are at risk now, please use one of these services.",
        [
            new CrisisRoute("Emergency services", "999", "If you or someone else is in immediate danger, or has been seriously hurt."),
            new CrisisRoute("NHS 111, option 2 (mental health)", "111", "For urgent mental health help, any time: call 111 and choose option 2."),
            new CrisisRoute("Samaritans", "116 123", "To talk to someone, day or night, for free."),
        ]);

    /// <summary>
    /// Whether a self-referral body indicates risk to the person or others, read leniently so that even a body that fails
    /// validation still gets the crisis routes.
    /// </summary>
    public static bool IndicatedIn(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!property.NameEquals("risk") && !string.Equals(property.Name, "risk", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (property.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var answer in property.Value.EnumerateObject())
                {
                    if ((string.Equals(answer.Name, "riskOfHarmToSelf", StringComparison.OrdinalIgnoreCase) ||
                         string.Equals(answer.Name, "riskOfHarmToOthers", StringComparison.OrdinalIgnoreCase)) &&
                        answer.Value.ValueKind == JsonValueKind.True)
                    {
                        return true;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
