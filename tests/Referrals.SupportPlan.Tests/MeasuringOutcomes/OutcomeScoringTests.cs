using Referrals.SupportPlan.MeasuringOutcomes;

namespace Referrals.SupportPlan.Tests.MeasuringOutcomes;

/// <summary>Scoring against the published tables (standards.md §2), with boundary values and invalid answers.</summary>
public sealed class OutcomeScoringTests
{
    private static MeasureAnswers Items(Instrument instrument, params int?[] items) => new(instrument, items, null, null, null);

    private static int?[] Repeat(int value, int count) => Enumerable.Repeat<int?>(value, count).ToArray();

    // ------------------------------------------------------------------ SWEMWBS: the Rasch conversion table, every row

    public static TheoryData<int, decimal> SwemwbsTable => new()
    {
        { 7, 7.00m }, { 8, 9.51m }, { 9, 11.25m }, { 10, 12.40m }, { 11, 13.33m }, { 12, 14.08m }, { 13, 14.75m }, { 14, 15.32m },
        { 15, 15.84m }, { 16, 16.36m }, { 17, 16.88m }, { 18, 17.43m }, { 19, 17.98m }, { 20, 18.59m }, { 21, 19.25m }, { 22, 19.98m },
        { 23, 20.73m }, { 24, 21.54m }, { 25, 22.35m }, { 26, 23.21m }, { 27, 24.11m }, { 28, 25.03m }, { 29, 26.02m }, { 30, 27.03m },
        { 31, 28.13m }, { 32, 29.31m }, { 33, 30.70m }, { 34, 32.55m }, { 35, 35.00m },
    };

    [Theory]
    [MemberData(nameof(SwemwbsTable))]
    public void A_swemwbs_raw_total_converts_to_the_published_metric_score(int raw, decimal metric)
    {
        // Build answers that sum to the raw total (each 1-5).
        var items = new int?[7];
        var remaining = raw;
        for (var i = 0; i < 7; i++)
        {
            items[i] = Math.Min(5, remaining - (6 - i));
            remaining -= items[i]!.Value;
        }

        var result = OutcomeScoring.Score(Items(Instrument.Swemwbs, items));

        Assert.True(result.IsValid);
        Assert.Equal(raw, result.Measure!.RawScore);
        Assert.Equal(metric, result.Measure.Score);
        Assert.Equal(metric, OutcomeScoring.SwemwbsMetric(raw));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(36)]
    public void A_swemwbs_raw_total_outside_7_to_35_has_no_metric(int raw) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OutcomeScoring.SwemwbsMetric(raw));

    // ------------------------------------------------------------------ WEMWBS: 14 items 1-5, total 14-70

    [Theory]
    [InlineData(1, 14)]
    [InlineData(5, 70)]
    [InlineData(3, 42)]
    public void Wemwbs_totals_its_fourteen_items(int each, int total)
    {
        var result = OutcomeScoring.Score(Items(Instrument.Wemwbs, Repeat(each, 14)));

        Assert.Equal(total, result.Measure!.RawScore);
        Assert.Equal(total, result.Measure.Score);
    }

    [Fact]
    public void Wemwbs_adds_mixed_answers_exactly()
    {
        var result = OutcomeScoring.Score(Items(Instrument.Wemwbs, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 1, 2, 3, 4));

        Assert.Equal(40, result.Measure!.Score);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(6, 13)]
    [InlineData(-1, 6)]
    public void An_answer_outside_1_to_5_is_refused_naming_the_item(int answer, int position)
    {
        var items = Repeat(3, 14);
        items[position] = answer;

        var result = OutcomeScoring.Score(Items(Instrument.Wemwbs, items));

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal($"items[{position}]", error.Key);
        Assert.Contains($"Item {position + 1} ", error.Value[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_answer_is_refused_naming_the_item()
    {
        var items = Repeat(2, 7);
        items[4] = null;

        var result = OutcomeScoring.Score(Items(Instrument.Swemwbs, items));

        Assert.Equal("items[4]", Assert.Single(result.Errors).Key);
        Assert.Contains("Item 5 is not answered", result.Errors["items[4]"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Instrument.Wemwbs, 13)]
    [InlineData(Instrument.Wemwbs, 15)]
    [InlineData(Instrument.Swemwbs, 6)]
    [InlineData(Instrument.Swemwbs, 14)]
    [InlineData(Instrument.Swemwbs, 0)]
    public void The_wrong_number_of_answers_is_refused(Instrument instrument, int count)
    {
        var result = OutcomeScoring.Score(Items(instrument, Repeat(3, count)));

        Assert.Equal("items", Assert.Single(result.Errors).Key);
    }

    [Fact]
    public void Several_bad_answers_are_each_named()
    {
        var result = OutcomeScoring.Score(Items(Instrument.Swemwbs, 0, 3, 3, 9, 3, null, 3));

        Assert.Equal(["items[0]", "items[3]", "items[5]"], result.Errors.Keys.Order().ToArray());
    }

    // ------------------------------------------------------------------ ONS4: four items 0-10, separate

    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(10, 10, 10, 10)]
    [InlineData(7, 8, 6, 3)]
    public void Ons4_keeps_its_four_items_separate(int life, int worthwhile, int happy, int anxious)
    {
        var result = OutcomeScoring.Score(new MeasureAnswers(Instrument.Ons4, null, new Ons4Answers(life, worthwhile, happy, anxious), null, null));

        Assert.Equal(new Ons4Scores(life, worthwhile, happy, anxious), result.Measure!.Ons4);
        Assert.Null(result.Measure.Score);
    }

    [Theory]
    [InlineData(-1, 5, 5, 5, "ons4.lifeSatisfaction")]
    [InlineData(5, 11, 5, 5, "ons4.worthwhile")]
    [InlineData(5, 5, null, 5, "ons4.happy")]
    [InlineData(5, 5, 5, 11, "ons4.anxious")]
    public void An_ons4_answer_outside_0_to_10_is_refused_naming_the_item(int? life, int? worthwhile, int? happy, int? anxious, string field)
    {
        var result = OutcomeScoring.Score(new MeasureAnswers(Instrument.Ons4, null, new Ons4Answers(life, worthwhile, happy, anxious), null, null));

        Assert.Equal(field, Assert.Single(result.Errors).Key);
    }

    [Fact]
    public void For_anxiety_a_fall_is_an_improvement_and_for_the_other_items_a_rise_is()
    {
        Assert.Equal(ChangeDirection.Improved, OutcomeScoring.Direction(-2, Ons4Item.Anxious.HigherIsBetter));
        Assert.Equal(ChangeDirection.Worsened, OutcomeScoring.Direction(2, Ons4Item.Anxious.HigherIsBetter));
        Assert.Equal(ChangeDirection.Improved, OutcomeScoring.Direction(2, Ons4Item.Happy.HigherIsBetter));
        Assert.Equal(ChangeDirection.Unchanged, OutcomeScoring.Direction(0, Ons4Item.Anxious.HigherIsBetter));
    }

    // ------------------------------------------------------------------ PAM: licensed score, level from the published bands

    [Theory]
    [InlineData("0", 1)]
    [InlineData("47.0", 1)]
    [InlineData("47.1", 2)]
    [InlineData("55.1", 2)]
    [InlineData("55.2", 3)]
    [InlineData("67.0", 3)]
    [InlineData("67.1", 4)]
    [InlineData("100", 4)]
    public void The_pam_level_comes_from_the_published_bands(string score, int level)
    {
        var value = decimal.Parse(score, System.Globalization.CultureInfo.InvariantCulture);

        var result = OutcomeScoring.Score(new MeasureAnswers(Instrument.Pam, null, null, value, null));

        Assert.Equal(level, result.Measure!.PamLevel);
        Assert.Equal(value, result.Measure.Score);
        Assert.Equal(level, OutcomeScoring.PamLevel(value));
    }

    [Theory]
    [InlineData("-0.1")]
    [InlineData("100.1")]
    [InlineData("47.05")]
    public void A_pam_score_outside_0_to_100_or_finer_than_a_tenth_is_refused(string score)
    {
        var result = OutcomeScoring.Score(new MeasureAnswers(Instrument.Pam, null, null,
            decimal.Parse(score, System.Globalization.CultureInfo.InvariantCulture), null));

        Assert.Equal("pamScore", Assert.Single(result.Errors).Key);
    }

    [Fact]
    public void Pam_is_never_computed_from_item_answers()
    {
        var result = OutcomeScoring.Score(new MeasureAnswers(Instrument.Pam, Repeat(3, 13), null, 60.0m, null));

        Assert.Equal("items", Assert.Single(result.Errors).Key);
    }

    [Fact]
    public void A_pam_level_that_contradicts_the_band_is_refused()
    {
        var result = OutcomeScoring.Score(new MeasureAnswers(Instrument.Pam, null, null, 55.2m, 2));

        Assert.Equal("pamLevel", Assert.Single(result.Errors).Key);
        Assert.True(OutcomeScoring.Score(new MeasureAnswers(Instrument.Pam, null, null, 55.2m, 3)).IsValid);
    }

    [Fact]
    public void Answers_that_belong_to_another_instrument_are_refused()
    {
        var result = OutcomeScoring.Score(new MeasureAnswers(Instrument.Wemwbs, Repeat(3, 14), new Ons4Answers(1, 1, 1, 1), 50m, null));

        Assert.Equal(["ons4", "pamScore"], result.Errors.Keys.Order().ToArray());
    }

    // ------------------------------------------------------------------ meaningful change

    [Theory]
    [InlineData(Instrument.Wemwbs, "8", false)]
    [InlineData(Instrument.Wemwbs, "9", true)]
    [InlineData(Instrument.Wemwbs, "-9", true)]
    [InlineData(Instrument.Wemwbs, "-8", false)]
    [InlineData(Instrument.Swemwbs, "2.99", false)]
    [InlineData(Instrument.Swemwbs, "3", true)]
    [InlineData(Instrument.Swemwbs, "3.76", true)]
    [InlineData(Instrument.Swemwbs, "-3", true)]
    public void A_change_is_meaningful_from_the_published_threshold(Instrument instrument, string change, bool meaningful) =>
        Assert.Equal(meaningful, OutcomeScoring.IsMeaningful(instrument, decimal.Parse(change, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(Instrument.Ons4)]
    [InlineData(Instrument.Pam)]
    public void Instruments_without_a_published_threshold_say_nothing_about_meaningful_change(Instrument instrument) =>
        Assert.Null(OutcomeScoring.IsMeaningful(instrument, 20));

    [Fact]
    public void A_swemwbs_change_is_measured_on_the_metric_score_not_the_raw_total()
    {
        // Raw 20 -> 23 is 3 raw points but 18.59 -> 20.73 = 2.14 metric points: not meaningful.
        Assert.Equal(false, OutcomeScoring.IsMeaningful(Instrument.Swemwbs, OutcomeScoring.SwemwbsMetric(23) - OutcomeScoring.SwemwbsMetric(20)));
        Assert.Equal(true, OutcomeScoring.IsMeaningful(Instrument.Swemwbs, OutcomeScoring.SwemwbsMetric(25) - OutcomeScoring.SwemwbsMetric(20)));
    }
}
