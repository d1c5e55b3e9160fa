using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.People;

/// <summary>Intake rectified the person's details; the journey keeps the corrected copy.</summary>
public sealed record PersonDetailsUpdated(
    Guid JourneyId,
    Guid PersonId,
    [property: PersonalData] PersonDetails? Person,
    DateTimeOffset UpdatedAt) : IJourneyEvent
{
    /// <summary>The stream and version of intake's rectification (PersonDetailsRectified), when it carried them.</summary>
    public EventSource? Source { get; init; }

    /// <summary>When intake recorded the correction (its clock, like a referral's SubmittedAt), when known.</summary>
    public DateTimeOffset? RectifiedAt { get; init; }

    /// <summary>
    /// Whether a rectification from <paramref name="source"/> is newer than the one the journey holds: not when the journey
    /// already took one from the same or a later version of the same stream (a duplicate, or an older correction that
    /// arrived late). A rectification without a source, or the first one, always applies.
    /// </summary>
    public static bool Supersedes(Journey journey, EventSource? source) =>
        source is null || journey.DetailsSource is not { } known || known.StreamId != source.StreamId || source.Version > known.Version;
}
