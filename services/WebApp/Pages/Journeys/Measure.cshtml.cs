using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Pages.Journeys;

/// <summary>WEMWBS, SWEMWBS, ONS4 and PAM. Support-plan scores them; the worker sees the score and the change since baseline.</summary>
public sealed class MeasureModel(SupportPlanClient supportPlan) : JourneyFormModel(supportPlan)
{
    private static readonly string[] Wemwbs =
    [
        "I’ve been feeling optimistic about the future", "I’ve been feeling useful", "I’ve been feeling relaxed",
        "I’ve been feeling interested in other people", "I’ve had energy to spare", "I’ve been dealing with problems well",
        "I’ve been thinking clearly", "I’ve been feeling good about myself", "I’ve been feeling close to other people",
        "I’ve been feeling confident", "I’ve been able to make up my own mind about things", "I’ve been feeling loved",
        "I’ve been interested in new things", "I’ve been feeling cheerful",
    ];

    // SWEMWBS is WEMWBS items 1, 2, 3, 6, 7, 9 and 11.
    private static readonly string[] Swemwbs = [Wemwbs[0], Wemwbs[1], Wemwbs[2], Wemwbs[5], Wemwbs[6], Wemwbs[8], Wemwbs[10]];

    [FromRoute]
    public string Instrument { get; set; } = "Swemwbs";

    [BindProperty]
    public MeasureInput Input { get; set; } = new();

    public IReadOnlyList<string> Statements => Instrument == "Wemwbs" ? Wemwbs : Swemwbs;

    /// <summary>This episode's baseline: a journey reopened by a re-referral is measured from a new one.</summary>
    public Measurement? Baseline =>
        Journey.Measurements.FirstOrDefault(m => m.Instrument == Instrument && m.Point == "Baseline" && m.Episode == Journey.Episode);

    public async Task<IActionResult> OnGetAsync()
    {
        var failed = await LoadAsync(setVersion: true);
        if (failed is null)
        {
            Input.Point = Baseline is null ? "Baseline" : "FollowUp";
        }

        return failed ?? Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // Read by index: list binding stops at the first unanswered statement, and every answer given must be kept.
        Input.Items = Enumerable.Range(0, Statements.Count)
            .Select(i => int.TryParse(Request.Form[$"Input.Items[{i}]"], out var v) ? v : (int?)null).ToList();
        Validate();
        if (!ModelState.IsValid)
        {
            return await RedisplayAsync();
        }

        object body = Instrument switch
        {
            "Wemwbs" or "Swemwbs" => new { instrument = Instrument, point = Input.Point, items = Input.Items.Take(Statements.Count).ToArray() },
            "Ons4" => new
            {
                instrument = Instrument, point = Input.Point,
                ons4 = new { lifeSatisfaction = Input.LifeSatisfaction, worthwhile = Input.Worthwhile, happy = Input.Happy, anxious = Input.Anxious },
            },
            _ => new { instrument = Instrument, point = Input.Point, pamScore = Input.PamScore },
        };
        var result = await SendAsync("outcome-measures", body);
        if (result.Problem is { } problem)
        {
            return await ShowProblemAsync(problem, FieldOf);
        }

        TempData["Success"] = Describe(result.Value);
        return Redirect(JourneyUrl);
    }

    private void Validate()
    {
        if (Input.Point is not ("Baseline" or "FollowUp" or "Closing"))
        {
            ModelState.AddModelError("Input.Point", "Select when in the journey this is");
        }

        if (Instrument is "Wemwbs" or "Swemwbs")
        {
            for (var i = 0; i < Statements.Count; i++)
            {
                if (Input.Items.ElementAtOrDefault(i) is not (>= 1 and <= 5))
                {
                    ModelState.AddModelError($"Input.Items[{i}]", $"Select an answer for statement {i + 1}");
                }
            }
        }
        else if (Instrument == "Ons4")
        {
            Check(Input.LifeSatisfaction, nameof(Input.LifeSatisfaction), "life satisfaction");
            Check(Input.Worthwhile, nameof(Input.Worthwhile), "how worthwhile things feel");
            Check(Input.Happy, nameof(Input.Happy), "happiness yesterday");
            Check(Input.Anxious, nameof(Input.Anxious), "anxiety yesterday");
        }
        else if (Input.PamScore is not (>= 0 and <= 100))
        {
            ModelState.AddModelError("Input.PamScore", "Enter the PAM score, from 0 to 100");
        }
    }

    private void Check(int? value, string field, string what)
    {
        if (value is not (>= 0 and <= 10) && ModelState[$"Input.{field}"] is not { Errors.Count: > 0 })
        {
            ModelState.AddModelError($"Input.{field}", $"Enter a whole number from 0 to 10 for {what}");
        }
    }

    private static string? FieldOf(string apiField) => apiField switch
    {
        var f when f.StartsWith("ons4.", StringComparison.Ordinal) => Choices.Field(f["ons4.".Length..]),
        var f => Choices.Field(f),
    };

    private string Describe(JsonElement answer)
    {
        var name = Labels.Of(Instrument);
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("measurement", out var m))
        {
            return $"{name} recorded.";
        }

        var point = Labels.Of(m.GetProperty("point").GetString()).ToLowerInvariant();
        var score = m.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number
            ? $": score {Labels.Score(s.GetDecimal())}"
            : string.Empty;
        if (m.TryGetProperty("changeSinceBaseline", out var c) && c.ValueKind == JsonValueKind.Number)
        {
            var meaningful = m.TryGetProperty("meaningfulChange", out var mc) && mc.ValueKind == JsonValueKind.True ? ", a meaningful change" : string.Empty;
            var direction = answer.TryGetProperty("direction", out var d) && d.ValueKind == JsonValueKind.String ? $" ({Labels.Of(d.GetString()).ToLowerInvariant()}{meaningful})" : meaningful;
            return string.Create(CultureInfo.InvariantCulture, $"{name} {point} recorded{score}. Change since baseline: {Labels.Change(c.GetDecimal())}{direction}.");
        }

        return $"{name} {point} recorded{score}.";
    }
}

public sealed class MeasureInput
{
    public string? Point { get; set; }

    public List<int?> Items { get; set; } = [];

    public int? LifeSatisfaction { get; set; }

    public int? Worthwhile { get; set; }

    public int? Happy { get; set; }

    public int? Anxious { get; set; }

    public decimal? PamScore { get; set; }
}
