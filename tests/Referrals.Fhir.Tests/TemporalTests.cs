using Referrals.Fhir.Model;

namespace Referrals.Fhir.Tests;

public sealed class TemporalTests
{
    [Theory]
    [InlineData("2025", FhirDatePrecision.Year)]
    [InlineData("2025-03", FhirDatePrecision.Month)]
    [InlineData("2024-02-29", FhirDatePrecision.Day)]
    public void Dates_of_every_fhir_precision_parse_and_keep_their_text(string text, FhirDatePrecision precision)
    {
        var date = FhirDate.Parse(text);

        Assert.Equal(precision, date.Precision);
        Assert.Equal(text, date.Value);
    }

    [Theory]
    [InlineData("2025-02-29")]
    [InlineData("0000")]
    [InlineData("25-03-01")]
    [InlineData("2025-3-1")]
    [InlineData("2025-03-01Z")]
    [InlineData("2025-03-01T10:00:00Z")]
    public void Invalid_dates_are_rejected(string text) => Assert.False(FhirDate.TryParse(text, out _, out _));

    [Theory]
    [InlineData("2025")]
    [InlineData("2025-03-04")]
    [InlineData("2025-03-04T09:30:00Z")]
    [InlineData("2025-03-04T09:30:00.5+01:00")]
    [InlineData("2025-03-04T09:30:00.123456789-05:30")]
    [InlineData("2016-12-31T23:59:60Z")]
    [InlineData("2025-03-04T09:30:00+14:00")]
    public void DateTimes_accept_partial_dates_and_zoned_times(string text) => Assert.Equal(text, FhirDateTime.Parse(text).Value);

    [Theory]
    [InlineData("2025-03-04T09:30")]
    [InlineData("2025-03-04T09:30:00")]
    [InlineData("2025-03-04 09:30:00Z")]
    [InlineData("2025-03-04T09:30:00+15:00")]
    [InlineData("2025-03-04T09:30:00.Z")]
    [InlineData("2025-03-04T09:30:00+0100")]
    public void DateTimes_with_a_time_need_seconds_and_a_timezone(string text) => Assert.False(FhirDateTime.TryParse(text, out _, out _));

    [Theory]
    [InlineData("2025")]
    [InlineData("2025-03-04")]
    [InlineData("2025-03-04T09:30Z")]
    public void Instants_need_a_full_date_time_with_seconds_and_timezone(string text) => Assert.False(FhirInstant.TryParse(text, out _, out _));

    [Fact]
    public void An_instant_converts_back_to_the_same_point_in_time()
    {
        var at = new DateTimeOffset(2025, 3, 4, 9, 30, 15, 250, TimeSpan.FromHours(1));

        var instant = FhirInstant.FromDateTimeOffset(at);

        Assert.Equal("2025-03-04T08:30:15.250Z", instant.Value);
        Assert.Equal(at, instant.ToDateTimeOffset());
        Assert.Equal(at.AddHours(1), FhirInstant.Parse("2025-03-04T10:30:15.25+01:00").ToDateTimeOffset());
    }

    [Fact]
    public void A_partial_dateTime_has_no_point_in_time()
    {
        Assert.Null(FhirDateTime.Parse("2025-03").ToDateTimeOffset());
        Assert.Equal(new DateOnly(2025, 3, 4), FhirDate.Parse("2025-03-04").ToDateOnly());
        Assert.Null(FhirDate.Parse("2025-03").ToDateOnly());
    }
}
