using Referrals.ServiceDefaults.Problems;

namespace Referrals.SupportPlan.Journeys;

/// <summary>A command named a part of the journey (goal, need, visit...) that does not exist. Rendered as 404.</summary>
public sealed class JourneyPartNotFoundException(string part) : Exception($"No such {part} on this journey.")
{
    public string Part { get; } = part;
}

/// <summary>Rules shared by the deciders: which states allow which work, and the times a worker may give.</summary>
public static class JourneyRules
{
    /// <summary>How far ahead of the server's clock a client's time may be (device clocks drift).</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    public static void RequireStatus(Journey journey, string action, params JourneyStatus[] allowed)
    {
        if (!allowed.Contains(journey.Status))
        {
            throw new DomainRuleException($"You cannot {action} while the journey is {Describe(journey.Status)}.");
        }
    }

    /// <summary>Work with the person (contacts, visits) happens once a worker has the journey and until it closes.</summary>
    public static void RequireWorked(Journey journey, string action) =>
        RequireStatus(journey, action, JourneyStatus.Open, JourneyStatus.Active, JourneyStatus.Dormant);

    /// <summary>
    /// Assessment, plan, connections and measures need the person's agreement to social prescribing, whatever the state: a
    /// journey gone dormant before the person agreed is not agreed either.
    /// </summary>
    public static void RequireAgreed(Journey journey, string action)
    {
        if (journey.AgreedAt is null)
        {
            throw new DomainRuleException($"You cannot {action} before the person has agreed to social prescribing.");
        }

        RequireStatus(journey, action, JourneyStatus.Active, JourneyStatus.Dormant);
    }

    /// <summary>A time the worker gives (when something happened): it defaults to now and cannot be in the future.</summary>
    public static DateTimeOffset When(DateTimeOffset? given, DateTimeOffset now, string field)
    {
        if (given is { } at && at > now + ClockTolerance)
        {
            throw RequestValidationException.For(field, "This time is in the future.");
        }

        return given ?? now;
    }

    /// <summary>
    /// A time the worker gives for something in the journey's current episode: it defaults to now, cannot be in the future,
    /// and cannot be before the episode opened (the worker's clock may be a little behind the server's).
    /// </summary>
    public static DateTimeOffset WhenInEpisode(Journey journey, DateTimeOffset? given, DateTimeOffset now, string field)
    {
        var at = When(given, now, field);
        if (journey.OpenedAt is { } opened && at < opened - ClockTolerance)
        {
            throw RequestValidationException.For(field, "This time is before the journey was opened for this episode of support.");
        }

        return at;
    }

    /// <summary>
    /// A UK calendar day the worker gives for something in the current episode (a plan date): it defaults to today, cannot be
    /// after today, and cannot be before the day the episode opened.
    /// </summary>
    public static DateOnly DayInEpisode(Journey journey, DateOnly? given, DateTimeOffset now, string field)
    {
        var day = given ?? Today(now);
        if (day > Today(now))
        {
            throw RequestValidationException.For(field, "This date is in the future.");
        }

        if (journey.OpenedAt is { } opened && day < Today(opened))
        {
            throw RequestValidationException.For(field, "This date is before the journey was opened for this episode of support.");
        }

        return day;
    }

    /// <summary>Today's date in the UK (Europe/London): plan dates (agreed on, held on, reached on) are the UK calendar day;
    /// from midnight to 01:00 BST the UTC date is still yesterday.</summary>
    public static DateOnly Today(DateTimeOffset now) => SharedKernel.UkTime.DateOf(now);

    public static string Describe(JourneyStatus status) => status switch
    {
        JourneyStatus.AwaitingAcceptance => "awaiting a worker's acceptance",
        JourneyStatus.NotEligible => "not eligible",
        JourneyStatus.Open => "open (the person has not yet agreed or declined)",
        JourneyStatus.Active => "active",
        JourneyStatus.Dormant => "dormant",
        JourneyStatus.Closed => "closed",
        _ => status.ToString(),
    };
}

/// <summary>Collects field errors and throws them together as one 400.</summary>
public sealed class Validation
{
    public const int ShortText = 200;
    public const int Text = 2000;
    public const int Narrative = 10000;

    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public Validation Check(bool valid, string field, string message)
    {
        if (!valid && !_errors.ContainsKey(field))
        {
            _errors[field] = [message];
        }

        return this;
    }

    public Validation Required(string? value, string field, int maxLength) =>
        Check(!string.IsNullOrWhiteSpace(value), field, "This is required.").Optional(value, field, maxLength);

    public Validation Optional(string? value, string field, int maxLength) =>
        Check(value is null || value.Length <= maxLength, field, $"At most {maxLength} characters.");

    public Validation Defined<TEnum>(TEnum value, string field) where TEnum : struct, Enum =>
        Check(Enum.IsDefined(value), field, "This value is not one of the allowed values.");

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new RequestValidationException(_errors);
        }
    }
}
