using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Referrals.SharedKernel;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Safeguarding;

/// <summary>
/// A safeguarding concern, or a crisis, with its indicators (e.g. "self-neglect", "suicidal-ideation") and details.
/// <see cref="IdempotencyKey"/>, made once per concern (the web app makes it when it shows the form), makes a resend of the
/// same concern raise it once.
/// </summary>
public sealed record RaiseSafeguardingConcern(bool Crisis, IReadOnlyList<string>? Indicators, string? Details, Guid? IdempotencyKey = null);

/// <summary>
/// A worker can raise a safeguarding concern or crisis at any point - whatever the journey's state, closed included: a
/// concern is never refused for the journey's status. Triage escalates it through the duty chain; GP-records records it as
/// restricted.
/// </summary>
public static class SafeguardingDecider
{
    private const int MaxIndicators = 20;

    /// <summary>
    /// The id of the concern a raise sent with <paramref name="idempotencyKey"/> makes: the same for every resend of it. Derived
    /// with the journey and who raises it, so that a key (the client's, so anything) never names another journey's concern, nor
    /// the confirmation check timers keyed by a concern id; and with what the concern says (crisis, indicators, details, as a
    /// digest), so that a different concern sent under a used key (a form redisplayed after an error, or restored by Back, and
    /// edited) is raised as a new concern rather than swallowed (HAZ-001). A duplicate duty chain costs a call; a concern
    /// dropped costs the person at risk, so a changed concern is raised, never refused.
    /// </summary>
    public static Guid ConcernIdOf(Guid journeyId, string by, Guid idempotencyKey, RaiseSafeguardingConcern command) =>
        NameBasedGuid.Create(string.Create(CultureInfo.InvariantCulture,
            $"support-plan:safeguarding-concern\n{journeyId:N}\n{by}\n{idempotencyKey:N}\n{ContentDigest(command)}"));

    /// <summary>
    /// What the concern says, hashed (never logged or stored): the crisis flag, the indicators as a set (trimmed, ordinal order,
    /// as they are recorded), and the details exactly as sent. JSON keeps the parts from running into one another.
    /// </summary>
    private static string ContentDigest(RaiseSafeguardingConcern command)
    {
        var indicators = (command.Indicators ?? []).Select(i => i?.Trim() ?? string.Empty).Distinct().Order(StringComparer.Ordinal).ToArray();
        var content = JsonSerializer.SerializeToUtf8Bytes(new object[] { command.Crisis, indicators, command.Details ?? string.Empty });
        return Convert.ToHexString(SHA256.HashData(content));
    }

    /// <summary>
    /// A concern whose id is already on the journey is a resend of it, word for word (the answer was lost to a timeout, or the
    /// button was pressed twice; the id carries the content): nothing new is raised, so triage does not escalate it twice, and it is answered as the first was.
    /// </summary>
    public static IReadOnlyList<object> Raise(Journey journey, RaiseSafeguardingConcern command, Guid concernId, string by, DateTimeOffset now)
    {
        if (journey.Concerns.Exists(c => c.ConcernId == concernId))
        {
            return [];
        }

        var indicators = (command.Indicators ?? []).Select(i => i?.Trim() ?? string.Empty).ToList();
        var validation = new Validation()
            .Check(command.IdempotencyKey != Guid.Empty, "idempotencyKey", "The idempotency key, when sent, is a new UUID for each concern.")
            .Check(indicators.Count > 0 || !string.IsNullOrWhiteSpace(command.Details), "indicators", "Give at least one indicator, or the details.")
            .Check(indicators.Count <= MaxIndicators, "indicators", $"At most {MaxIndicators} indicators.")
            .Optional(command.Details, "details", Validation.Narrative);
        for (var i = 0; i < indicators.Count; i++)
        {
            validation.Required(indicators[i], $"indicators[{i}]", 100);
        }

        validation.ThrowIfAny();
        return [new SafeguardingConcernRaised(journey.Id, journey.PersonId, concernId, command.Crisis, indicators.Distinct().ToList(), command.Details, by, now)];
    }

    /// <summary>
    /// Triage confirmed receipt. Recorded once, in the concern's stream (<paramref name="confirmation"/> is its state, null before
    /// anything was recorded there): a confirmation for a concern already confirmed (triage answers every copy it receives) or
    /// one this journey never raised changes nothing.
    /// </summary>
    public static IReadOnlyList<object> ConfirmReceipt(Journey journey, ConcernConfirmation? confirmation, Guid concernId, Guid? escalationId,
        DateTimeOffset receivedAt, DateTimeOffset now) =>
        journey.Concerns.Exists(c => c.ConcernId == concernId) && confirmation?.ConfirmedAt is null
            ? [new SafeguardingConcernConfirmed(journey.Id, journey.PersonId, concernId, escalationId, receivedAt, now)]
            : [];

    /// <summary>
    /// How long check <paramref name="round"/> waits after the concern was raised (round 1) or last flagged: the first wait, doubled
    /// each round after, capped. A triage outage that lasts is still flagged every round, but not every few minutes for good.
    /// </summary>
    public static TimeSpan ConcernCheckWait(JourneyPolicy policy, int round)
    {
        var cap = policy.ConcernConfirmationMaxWait > policy.ConcernConfirmationWait ? policy.ConcernConfirmationMaxWait : policy.ConcernConfirmationWait;
        var wait = policy.ConcernConfirmationWait;
        for (var i = 1; i < round && wait < cap; i++)
        {
            wait *= 2;
        }

        return wait < cap ? wait : cap;
    }

    /// <summary>
    /// Check <paramref name="round"/> of a concern came due. Unconfirmed by triage, it is flagged (the effects send it again and
    /// arm the next round); confirmed, unknown, or a round already checked (a duplicate timer message), nothing happens.
    /// </summary>
    public static IReadOnlyList<object> CheckConfirmation(Journey journey, ConcernConfirmation? confirmation, Guid concernId, int round,
        DateTimeOffset now) =>
        journey.Concerns.Find(c => c.ConcernId == concernId) is { } concern && confirmation?.ConfirmedAt is null
            && round > (confirmation?.UnconfirmedChecks ?? 0)
            ? [new SafeguardingConcernUnconfirmed(journey.Id, journey.PersonId, concernId, round, concern.RaisedAt, now)]
            : [];
}
