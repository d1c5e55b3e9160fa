
namespace Referrals.SupportPlan.MeasuringOutcomes;

/// <summary>The four ONS personal wellbeing answers, each 0-10. Null means not answered.</summary>
public sealed record Ons4Answers(int? LifeSatisfaction, int? Worthwhile, int? Happy, int? Anxious);

/// <summary>What the worker entered for one instrument.</summary>
public sealed record MeasureAnswers(Instrument Instrument, IReadOnlyList<int?>? Items, Ons4Answers? Ons4, decimal? PamScore, int? PamLevel);

/// <summary>A scored measure: WEMWBS total; SWEMWBS raw total and metric score; ONS4 items; PAM licensed score and level.</summary>
public sealed record ScoredMeasure(Instrument Instrument, IReadOnlyList<int>? Items, decimal? Score, int? RawScore, int? PamLevel, Ons4Scores? Ons4);

/// <summary>Either a scored measure or the errors, each naming the answer at fault (e.g. <c>items[3]</c>, <c>ons4.anxious</c>).</summary>
public sealed record ScoringResult(ScoredMeasure? Measure, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Measure is not null;
}

public enum ChangeDirection
{
    Improved,
    Unchanged,
    Worsened,
}

/// <summary>An ONS4 item: reported separately, never summed. For anxiety, higher is worse.</summary>
public sealed record Ons4Item(string Name, string Field, bool HigherIsBetter, Func<Ons4Scores, int> Of, Func<Ons4Answers, int?> Answer)
{
    public static readonly Ons4Item LifeSatisfaction = new("LifeSatisfaction", "ons4.lifeSatisfaction", true, s => s.LifeSatisfaction, a => a.LifeSatisfaction);
    public static readonly Ons4Item Worthwhile = new("Worthwhile", "ons4.worthwhile", true, s => s.Worthwhile, a => a.Worthwhile);
    public static readonly Ons4Item Happy = new("Happy", "ons4.happy", true, s => s.Happy, a => a.Happy);
    public static readonly Ons4Item Anxious = new("Anxious", "ons4.anxious", false, s => s.Anxious, a => a.Anxious);

    public static IReadOnlyList<Ons4Item> All { get; } = [LifeSatisfaction, Worthwhile, Happy, Anxious];
}

/// <summary>
/// Outcome-measure scoring exactly as published (standards.md §2). Pure and table-driven.
/// <list type="bullet">
/// <item>WEMWBS: 14 items, each 1-5; the score is their sum, 14-70.</item>
/// <item>SWEMWBS: 7 items, each 1-5; the raw sum 7-35 is converted to the metric score with the Rasch conversion table.</item>
/// <item>ONS4: four items, each 0-10, reported separately (never summed); for anxiety higher is worse.</item>
/// <item>PAM: licensed. The licensed 0-100 score is recorded as given (one decimal place) and the level 1-4 derived from the
/// published bands; the score is never computed from item answers.</item>
/// </list>
/// Meaningful change (NHS England): SWEMWBS 3 metric points, WEMWBS 9 points, in either direction.
/// </summary>
public static class OutcomeScoring
{
    public const int WemwbsItemCount = 14;
    public const int SwemwbsItemCount = 7;
    public const decimal WemwbsMeaningfulChange = 9m;
    public const decimal SwemwbsMeaningfulChange = 3m;

    /// <summary>SWEMWBS raw total (7-35) to metric score: index = raw - 7.</summary>
    private static readonly decimal[] SwemwbsMetricTable =
    [
        7.00m, 9.51m, 11.25m, 12.40m, 13.33m, 14.08m, 14.75m, 15.32m, 15.84m, 16.36m, // 7-16
        16.88m, 17.43m, 17.98m, 18.59m, 19.25m, 19.98m, 20.73m, 21.54m, 22.35m, 23.21m, // 17-26
        24.11m, 25.03m, 26.02m, 27.03m, 28.13m, 29.31m, 30.70m, 32.55m, 35.00m, // 27-35
    ];

    public static ScoringResult Score(MeasureAnswers answers)
    {
        var errors = new Dictionary<string, string[]>();
        var measure = answers.Instrument switch
        {
            Instrument.Wemwbs => ScoreItems(answers, WemwbsItemCount, "WEMWBS", errors, raw => raw),
            Instrument.Swemwbs => ScoreItems(answers, SwemwbsItemCount, "SWEMWBS", errors, SwemwbsMetric),
            Instrument.Ons4 => ScoreOns4(answers, errors),
            Instrument.Pam => ScorePam(answers, errors),
            _ => Invalid(errors, "instrument", "Unknown instrument."),
        };
        return errors.Count > 0 ? new ScoringResult(null, errors) : new ScoringResult(measure, errors);
    }

    /// <summary>The SWEMWBS metric score for a raw total of 7-35.</summary>
    public static decimal SwemwbsMetric(int rawTotal) =>
        rawTotal is >= 7 and <= 35
            ? SwemwbsMetricTable[rawTotal - 7]
            : throw new ArgumentOutOfRangeException(nameof(rawTotal), rawTotal, "A SWEMWBS raw total is 7-35.");

    /// <summary>
    /// The PAM level for a licensed score (0-100, one decimal place) by the published bands: level 1 up to 47.0, level 2
    /// 47.1-55.1, level 3 55.2-67.0, level 4 from 67.1.
    /// </summary>
    public static int PamLevel(decimal score) => score switch
    {
        < 0m or > 100m => throw new ArgumentOutOfRangeException(nameof(score), score, "A PAM score is 0-100."),
        <= 47.0m => 1,
        <= 55.1m => 2,
        <= 67.0m => 3,
        _ => 4,
    };

    /// <summary>Whether a change meets the instrument's meaningful-change threshold; null where none is published (ONS4, PAM).</summary>
    public static bool? IsMeaningful(Instrument instrument, decimal change) => instrument switch
    {
        Instrument.Wemwbs => Math.Abs(change) >= WemwbsMeaningfulChange,
        Instrument.Swemwbs => Math.Abs(change) >= SwemwbsMeaningfulChange,
        _ => null,
    };

    /// <summary>The direction of a change: for every score higher is better, except the ONS4 anxiety item.</summary>
    public static ChangeDirection Direction(decimal change, bool higherIsBetter = true) =>
        change == 0 ? ChangeDirection.Unchanged : (change > 0) == higherIsBetter ? ChangeDirection.Improved : ChangeDirection.Worsened;

    private static ScoredMeasure? ScoreItems(MeasureAnswers answers, int count, string name, Dictionary<string, string[]> errors,
        Func<int, decimal> score)
    {
        NotPartOf(answers.Ons4 is not null, "ons4", name, errors);
        NotPartOf(answers.PamScore is not null, "pamScore", name, errors);
        NotPartOf(answers.PamLevel is not null, "pamLevel", name, errors);
        if (answers.Items is null || answers.Items.Count == 0)
        {
            return Invalid(errors, "items", $"{name} needs the answers to its {count} items.");
        }

        if (answers.Items.Count != count)
        {
            return Invalid(errors, "items", $"{name} has {count} items; {answers.Items.Count} answers were given.");
        }

        for (var i = 0; i < count; i++)
        {
            if (answers.Items[i] is not (>= 1 and <= 5))
            {
                errors[$"items[{i}]"] = [answers.Items[i] is null
                    ? $"Item {i + 1} is not answered."
                    : $"Item {i + 1} must be a whole number from 1 to 5."];
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var items = answers.Items.Select(a => a!.Value).ToList();
        var raw = items.Sum();
        return new ScoredMeasure(answers.Instrument, items, score(raw), raw, null, null);
    }

    private static ScoredMeasure? ScoreOns4(MeasureAnswers answers, Dictionary<string, string[]> errors)
    {
        NotPartOf(answers.Items is not null, "items", "ONS4", errors);
        NotPartOf(answers.PamScore is not null, "pamScore", "ONS4", errors);
        NotPartOf(answers.PamLevel is not null, "pamLevel", "ONS4", errors);
        if (answers.Ons4 is not { } ons4)
        {
            return Invalid(errors, "ons4", "ONS4 needs its four answers (lifeSatisfaction, worthwhile, happy, anxious), each 0-10.");
        }

        foreach (var item in Ons4Item.All)
        {
            if (item.Answer(ons4) is not (>= 0 and <= 10))
            {
                errors[item.Field] = [item.Answer(ons4) is null
                    ? $"The {item.Name} item is not answered."
                    : $"The {item.Name} item must be a whole number from 0 to 10."];
            }
        }

        return errors.Count > 0
            ? null
            : new ScoredMeasure(Instrument.Ons4, null, null, null, null,
                new Ons4Scores(ons4.LifeSatisfaction!.Value, ons4.Worthwhile!.Value, ons4.Happy!.Value, ons4.Anxious!.Value));
    }

    private static ScoredMeasure? ScorePam(MeasureAnswers answers, Dictionary<string, string[]> errors)
    {
        NotPartOf(answers.Ons4 is not null, "ons4", "PAM", errors);
        if (answers.Items is not null)
        {
            errors["items"] = ["PAM is licensed: record the licensed score (0-100), never item answers."];
        }

        if (answers.PamScore is not { } score)
        {
            return Invalid(errors, "pamScore", "PAM needs the licensed score (0-100).");
        }

        if (score is < 0m or > 100m || decimal.Round(score, 1) != score)
        {
            return Invalid(errors, "pamScore", "The PAM score must be from 0 to 100 with at most one decimal place.");
        }

        var level = PamLevel(score);
        if (answers.PamLevel is { } given && given != level)
        {
            // The score is health data about the person: the message never repeats it (nor the levels, which give its band).
            errors["pamLevel"] = ["The level does not match the published band for this score; leave the level out to derive it."];
        }

        return errors.Count > 0 ? null : new ScoredMeasure(Instrument.Pam, null, score, null, level, null);
    }

    private static void NotPartOf(bool present, string field, string instrument, Dictionary<string, string[]> errors)
    {
        if (present)
        {
            errors[field] = [$"Not part of {instrument}."];
        }
    }

    private static ScoredMeasure? Invalid(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return null;
    }
}
