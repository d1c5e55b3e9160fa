using Referrals.GpRecords.FhirApi;

namespace Referrals.GpRecords.Tests.FhirApi;

public sealed class DateParameterTests
{
    // 00:30 on 2 June in the UK (BST): still 1 June in UTC.
    private static readonly DateTimeOffset HalfPastMidnightBst = new(2026, 6, 1, 23, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-06-02", true)]
    [InlineData("2026-06-01", false)]
    [InlineData("ge2026-06-02", true)]
    [InlineData("lt2026-06-02", false)]
    [InlineData("2026-06", true)]
    public void A_date_searched_without_a_time_is_the_uk_day_so_half_past_midnight_bst_is_found_on_its_uk_date(string value, bool matches)
    {
        Assert.True(DateParameter.TryParse(value, out var range));
        Assert.Equal(matches, DateParameter.Matches(range, HalfPastMidnightBst));
    }

    [Fact]
    public void A_winter_day_is_the_utc_day_and_a_search_with_a_time_keeps_its_own_offset()
    {
        Assert.True(DateParameter.TryParse("2026-01-07", out var day));
        Assert.Equal((new DateTimeOffset(2026, 1, 7, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 8, 0, 0, 0, TimeSpan.Zero)), (day.From, day.To));
        Assert.True(DateParameter.TryParse("2026-06-01T23:30:00Z", out var instant));
        Assert.True(DateParameter.Matches(instant, HalfPastMidnightBst));
    }
}
