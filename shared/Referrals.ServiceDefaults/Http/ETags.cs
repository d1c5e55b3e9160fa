using System.Globalization;
using Microsoft.AspNetCore.Http;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.ServiceDefaults.Http;

/// <summary>The ETag carries the stream version; If-Match turns it into an expected version for optimistic concurrency.</summary>
public static class ETags
{
    public static string FromVersion(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static void SetETag(this HttpResponse response, long version) => response.Headers.ETag = FromVersion(version);

    /// <summary>The version named by If-Match, or null when the header is absent or "*".</summary>
    public static long? ExpectedVersion(this HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return null;
        }

        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        return long.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw RequestValidationException.For("If-Match", "If-Match must be an ETag returned by this service.");
    }
}
