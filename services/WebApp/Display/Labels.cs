using System.Globalization;
using System.Text;

namespace Referrals.WebApp.Display;

/// <summary>Words for the APIs' codes and times, as the pages show them.</summary>
public static class Labels
{
    private static readonly TimeZoneInfo London = Referrals.SharedKernel.UkTime.Zone;

    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["Swemwbs"] = "SWEMWBS",
        ["Wemwbs"] = "WEMWBS",
        ["Ons4"] = "ONS4",
        ["Pam"] = "PAM",
        ["FollowUp"] = "Follow-up",
        ["LinkWorker"] = "Link worker (tier 1)",
        ["LinkWorkerCoach"] = "Link worker coach (tier 2)",
        ["PsychosocialLinkWorker"] = "Psychosocial link worker (tier 3)",
        ["FaceToFacePractice"] = "Face to face at the practice",
        ["FaceToFaceCommunity"] = "Face to face in the community",
        ["MoneyDebtAndBenefits"] = "Money, debt and benefits",
        ["DebtOrBenefits"] = "Debt or benefits",
        ["FoodOrFuel"] = "Food or fuel",
        ["LonelinessOrIsolation"] = "Loneliness or isolation",
        ["GoalsMet"] = "Goals met",
        ["AwaitingAcceptance"] = "Awaiting acceptance",
        ["AwaitingAcknowledgement"] = "Awaiting acknowledgement",
        ["AwaitingRota"] = "Waiting for the duty rota to open",
        ["ChainCompleted"] = "Passed to the practice and referrer",
        ["NobodyToAsk"] = "Nobody to ask: no duty worker, practice or referrer could be reached; act on it now",
    };

    /// <summary>"FaceToFaceCommunity" → "Face to face in the community"; otherwise PascalCase split into words.</summary>
    public static string Of(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return string.Empty;
        }

        if (Known.TryGetValue(code, out var known))
        {
            return known;
        }

        var words = new StringBuilder();
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (i > 0 && char.IsUpper(c) && !char.IsUpper(code[i - 1]))
            {
                words.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                words.Append(c);
            }
        }

        return words.ToString();
    }

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, London).ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) : "Not yet";

    public static string Date(DateOnly? date) => date is { } d ? d.ToString("d MMM yyyy", CultureInfo.InvariantCulture) : "Not set";

    /// <summary>A waiting time in words: "45 minutes", "3 hours 5 minutes", "2 days 4 hours".</summary>
    public static string Waiting(long minutes) => minutes switch
    {
        < 60 => Plural(minutes, "minute"),
        < 60 * 24 => $"{Plural(minutes / 60, "hour")} {Plural(minutes % 60, "minute")}",
        _ => $"{Plural(minutes / (60 * 24), "day")} {Plural(minutes % (60 * 24) / 60, "hour")}",
    };

    public static string Score(decimal? score) => score is { } s ? s.ToString("0.##", CultureInfo.InvariantCulture) : "–";

    public static string Change(decimal? change) => change switch
    {
        null => "–",
        > 0 => "+" + change.Value.ToString("0.##", CultureInfo.InvariantCulture),
        _ => change.Value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    /// <summary>An escalation step's recipients as the team pages name them: "team lead tl-nl-01, referrer B86001".</summary>
    public static string Recipients(IEnumerable<Api.EscalationRecipient> recipients) =>
        string.Join(", ", recipients.Select(r => $"{Of(r.Kind).ToLowerInvariant()} {r.Id}"));

    /// <summary>
    /// Where an escalation that asked the worker went, for their worklist (HAZ-002 C8): they can still acknowledge it.
    /// </summary>
    public static string PassedOn(Api.EscalationSummary escalation) => escalation.PassedOn switch
    {
        { To.Count: > 0 } passed => $"Passed to {Recipients(passed.To)} at {Time(passed.At)}; you can still acknowledge it.",
        { } passed when escalation.State == "AwaitingRota" =>
            $"Passed on at {Time(passed.At)}, waiting for the duty rota to open; you can still acknowledge it.",
        { } passed => $"Passed on at {Time(passed.At)}; you can still acknowledge it.",
        null => string.Empty,
    };

    /// <summary>A short reference for a referral (triage holds no names): the end of its id (the start of a version 7 id is its time).</summary>
    public static string Reference(Guid id) => id.ToString("N")[^8..].ToUpperInvariant();

    /// <summary>The London time a datetime-local input shows, and back.</summary>
    public static string LocalInput(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, London).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    public static DateTimeOffset FromLocalInput(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // The hour the clocks go back happens twice: take the earlier (summer time), so a time shown then and sent back is
        // not read as an hour later, in the future.
        var offset = London.IsAmbiguousTime(unspecified) ? London.GetAmbiguousTimeOffsets(unspecified).Max() : London.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset);
    }

    private static string Plural(long n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
