namespace Referrals.GpRecords;

/// <summary>Configuration section <c>GpRecords</c>.</summary>
public sealed class GpRecordsOptions
{
    public const string Section = "GpRecords";

    public FhirOptions Fhir { get; set; } = new();

    public DeliveryOptions Delivery { get; set; } = new();

    public NoticeOptions Notices { get; set; } = new();

    /// <summary>Per registered practice (keyed by ODS code): where and how its record updates go.</summary>
    public Dictionary<string, PracticeEndpointOptions> Practices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class FhirOptions
{
    /// <summary>
    /// This service's FHIR base URL, the root of its canonical URLs: document entries' fullUrls and the local ONS4 code system
    /// (<c>{CanonicalBase}/CodeSystem/ons4-personal-wellbeing</c>). Fixed per deployment: changing it changes every emitted byte.
    /// </summary>
    public string CanonicalBase { get; set; } = "https://gp-records.referrals.example.org/fhir";

    public string Software { get; set; } = "Referrals GP-records";
}

public sealed class DeliveryOptions
{
    /// <summary>Used when neither <see cref="RetryDelaysSeconds"/> nor <see cref="RetryDelaysMilliseconds"/> is configured.</summary>
    public static readonly IReadOnlyList<int> DefaultRetryDelaysSeconds = [10, 60, 300, 900, 3600, 14400];

    /// <summary>
    /// Back-off before each retry of a failed delivery; once they are used up the delivery is parked. Empty by default:
    /// configuration binding appends to an array's initial value, so a non-empty default would be extended, not replaced.
    /// </summary>
    public int[] RetryDelaysSeconds { get; set; } = [];

    /// <summary>Fractional delays for tests (milliseconds); used instead of <see cref="RetryDelaysSeconds"/> when set.</summary>
    public int[]? RetryDelaysMilliseconds { get; set; }

    public int RequestTimeoutSeconds { get; set; } = 30;

    public IReadOnlyList<TimeSpan> RetryDelays => RetryDelaysMilliseconds is { Length: > 0 } ms
        ? ms.Select(d => TimeSpan.FromMilliseconds(d)).ToList()
        : (RetryDelaysSeconds is { Length: > 0 } s ? s : DefaultRetryDelaysSeconds).Select(d => TimeSpan.FromSeconds(d)).ToList();
}

/// <summary>Practice escalation notices held for a referral with no journey yet (HAZ-002).</summary>
public sealed class NoticeOptions
{
    /// <summary>
    /// How long a held notice waits for its referral's registration (normally seconds after triage) before it is reported as
    /// held longer than expected and released to the practice without a journey; then again every such period while held.
    /// </summary>
    public int HeldCheckAfterSeconds { get; set; } = 900;

    /// <summary>Fractional waits for tests (milliseconds); used instead of <see cref="HeldCheckAfterSeconds"/> when set.</summary>
    public int? HeldCheckAfterMilliseconds { get; set; }

    public TimeSpan HeldCheckAfter => HeldCheckAfterMilliseconds is { } ms
        ? TimeSpan.FromMilliseconds(Math.Max(1, ms))
        : TimeSpan.FromSeconds(Math.Max(1, HeldCheckAfterSeconds));
}

public sealed class PracticeEndpointOptions
{
    /// <summary>The practice system's FHIR R4 base URL (transaction endpoint). Absent: deliveries wait and are retried, then parked.</summary>
    public string? FhirBaseUrl { get; set; }

    /// <summary>The transport to use; only <c>fhir-transaction</c> is built (see README for ITK3/MESH and letter).</summary>
    public string Transport { get; set; } = "fhir-transaction";
}
