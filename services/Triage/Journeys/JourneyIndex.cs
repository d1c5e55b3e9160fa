using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.Triage.Triaging;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Journeys;

/// <summary>
/// Journey to referral and worker: which referral a journey id (intake's proposed one, or the one support-plan registered,
/// possibly reopened) belongs to now, and the worker who last took the person on. Used to route support-plan's journey
/// events to referrals, and for continuity when a person is referred again.
/// </summary>
public sealed record JourneyIndex(Guid Id, Guid ReferralId, string ProgrammeId, string? LinkWorkerId)
{
    /// <summary>
    /// The referrals support-plan registered on the journey, each with the version of its journey stream that did it, in
    /// version order. A reopened journey has one per episode.
    /// </summary>
    public IReadOnlyList<JourneyRegistration> Registrations { get; init; } = [];

    public static JourneyIndex Create(ReferralReceived e) => new(e.JourneyId, e.ReferralId, e.ProgrammeId, null);

    public static JourneyIndex Create(JourneyLinked e) => new JourneyIndex(e.JourneyId, e.ReferralId, e.ProgrammeId, e.LinkWorkerId).Recording(e);

    public JourneyIndex Apply(ReferralReceived e) => this with { ReferralId = e.ReferralId };

    /// <summary>A registration older than one already known (it arrived late) is kept for its episode but does not become current.</summary>
    public JourneyIndex Apply(JourneyLinked e) => e.SourceVersion is { } version && Registrations.Any(r => r.FromVersion > version)
        ? Recording(e)
        : Recording(e) with { ReferralId = e.ReferralId, LinkWorkerId = e.LinkWorkerId ?? LinkWorkerId };

    /// <summary>
    /// The referral a support-plan fact about this journey concerns, by the version of the journey stream it came from: the
    /// referral registered last before that version. A fact older than the latest registration belongs to an earlier episode
    /// of a reopened journey, not to the current referral; null when that episode's registration has not reached triage yet
    /// (the fact is early for it). Without a version, or beyond every registration, it is the current referral.
    /// </summary>
    public Guid? ReferralAt(long? version)
    {
        if (version is not { } v || Registrations.Count == 0 || Registrations[^1].FromVersion < v)
        {
            return ReferralId;
        }

        return Registrations.LastOrDefault(r => r.FromVersion < v)?.ReferralId;
    }

    /// <summary>The version of the journey's own stream a support-plan message came from, if it says so.</summary>
    public static long? VersionOf(Guid journeyId, EventSource? source) => source is { } s && s.StreamId == journeyId ? s.Version : null;

    private JourneyIndex Recording(JourneyLinked e) => e.SourceVersion is { } version && Registrations.All(r => r.FromVersion != version)
        ? this with { Registrations = [.. Registrations.Append(new JourneyRegistration(e.ReferralId, version)).OrderBy(r => r.FromVersion)] }
        : this;

    public JourneyIndex Apply(AssignmentAcceptedByWorker e) => this with { LinkWorkerId = e.LinkWorkerId };
}

/// <summary>A referral registered on a journey, from the given version of support-plan's journey stream.</summary>
public sealed record JourneyRegistration(Guid ReferralId, long FromVersion);

public sealed class JourneyIndexProjection : MultiStreamProjection<JourneyIndex, Guid>
{
    public JourneyIndexProjection()
    {
        Identity<ReferralReceived>(e => e.JourneyId);
        Identity<JourneyLinked>(e => e.JourneyId);
        Identities<AssignmentAcceptedByWorker>(e => e.RegisteredJourneyId is { } registered && registered != e.JourneyId
            ? [e.JourneyId, registered]
            : [e.JourneyId]);
    }
}
