using Referrals.WebApp.Display;

namespace Referrals.WebApp.Tests;

/// <summary>How codes, times and field names are shown (pure, no browser).</summary>
public sealed class LabelsTests
{
    [Theory]
    [InlineData("FaceToFaceCommunity", "Face to face in the community")]
    [InlineData("MentalWellbeing", "Mental wellbeing")]
    [InlineData("Swemwbs", "SWEMWBS")]
    [InlineData("FollowUp", "Follow-up")]
    [InlineData(null, "")]
    public void Codes_read_as_words(string? code, string words) => Assert.Equal(words, Labels.Of(code));

    [Theory]
    [InlineData(0, "0 minutes")]
    [InlineData(1, "1 minute")]
    [InlineData(125, "2 hours 5 minutes")]
    [InlineData(60 * 24 * 3 + 60, "3 days 1 hour")]
    public void Waiting_times_read_in_the_largest_useful_units(long minutes, string words) => Assert.Equal(words, Labels.Waiting(minutes));

    [Theory]
    [InlineData(3.76, "+3.76")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0, "0")]
    public void A_change_carries_its_sign(double change, string shown) => Assert.Equal(shown, Labels.Change((decimal)change));

    [Fact]
    public void A_referral_reference_is_the_random_end_of_its_id_not_its_time_prefix()
    {
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();

        Assert.Equal(first.ToString("N")[^8..].ToUpperInvariant(), Labels.Reference(first));
        Assert.NotEqual(Labels.Reference(first), Labels.Reference(second));
    }

    [Fact]
    public void A_time_in_the_hour_the_clocks_go_back_is_read_as_the_earlier_summer_time_one_so_the_time_shown_round_trips()
    {
        var shown = new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero); // 01:30 BST, before the clocks go back
        Assert.Equal("2026-10-25T01:30", Labels.LocalInput(shown));
        Assert.Equal(shown, Labels.FromLocalInput(new DateTime(2026, 10, 25, 1, 30, 0)));
    }

    [Fact]
    public void London_time_is_shown_in_summer_time_when_it_applies() =>
        Assert.Equal("1 Jul 2026, 10:30", Labels.Time(new DateTimeOffset(2026, 7, 1, 9, 30, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData("Input.Items[3]", "input-items-3")]
    [InlineData("Input.DurationMinutes", "input-durationminutes")]
    [InlineData("Reason", "reason")]
    public void Field_names_become_the_ids_the_error_summary_links_to(string name, string id) => Assert.Equal(id, Ids.For(name));
}
