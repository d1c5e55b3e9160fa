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
    /// Whether a self-referral body indicates risk to the person or others. Read token by token and leniently, so that a
    /// body that fails validation - even truncated JSON - still gets the crisis routes if it says so before it breaks.
    /// </summary>
    public static bool IndicatedIn(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        var riskAnswer = false;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString();
                        riskAnswer = string.Equals(name, "riskOfHarmToSelf", StringComparison.OrdinalIgnoreCase) ||
                                     string.Equals(name, "riskOfHarmToOthers", StringComparison.OrdinalIgnoreCase);
                        break;
                    case JsonTokenType.True when riskAnswer:
                        return true;
                    default:
                        riskAnswer = false;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Broken JSON: what was read before the break has been considered.
        }

        return false;
    }
}
