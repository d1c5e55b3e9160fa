using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.Submitting;

/// <summary>The optional <c>Idempotency-Key</c> request header: 1-200 visible ASCII characters, scoped to the organisation.</summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public static string? Read(HttpRequest request)
    {
        var values = request.Headers[Header];
        if (values.Count == 0)
        {
            return null;
        }

        var key = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(key) || key.Length > IdempotencyRecord.MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            throw RequestValidationException.For(Header,
                "Send one Idempotency-Key of 1 to 200 visible ASCII characters (a UUID is a good choice).");
        }

        return key;
    }
}
