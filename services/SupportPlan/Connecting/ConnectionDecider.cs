using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Directory;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Connecting;

/// <summary>
/// Connect the person to a service: from the directory (<see cref="DirectoryEntryId"/>) or named by hand (<see cref="ServiceName"/>).
/// Signposting shares nothing. An onward referral needs the person's consent to share and records what was shared.
/// <see cref="ConsentToShare"/> may be left out (signposting has nothing to say there): its default never widens sharing.
/// </summary>
public sealed record MakeConnection(Guid? DirectoryEntryId, string? ServiceName, ConnectionKind Kind, bool ConsentToShare = false, string? SharedInformation = null);

/// <summary>The receiving service acknowledged an onward referral.</summary>
public sealed record AcknowledgeOnwardReferral(bool Accepted, DateTimeOffset? AcknowledgedAt, string? Note);

/// <summary>How the connection turned out.</summary>
public sealed record RecordConnectionOutcome(ConnectionOutcome Outcome, string? Note);

public static class ConnectionDecider
{
    public static IReadOnlyList<object> Make(Journey journey, MakeConnection command, DirectoryEntry? entry, Guid connectionId, string by, DateTimeOffset now)
    {
        var onward = command.Kind == ConnectionKind.OnwardReferral;
        new Validation()
            .Defined(command.Kind, "kind")
            .Check(command.DirectoryEntryId is not null || !string.IsNullOrWhiteSpace(command.ServiceName), "serviceName",
                "Name the service, or choose it from the directory.")
            .Optional(command.ServiceName, "serviceName", Validation.ShortText)
            .Check(!onward || command.ConsentToShare, "consentToShare", "An onward referral needs the person's consent to share.")
            .Check(!onward || !string.IsNullOrWhiteSpace(command.SharedInformation), "sharedInformation",
                "Record what was shared with the service (kept to what the person chose).")
            .Check(onward || command.SharedInformation is null, "sharedInformation", "Signposting shares nothing with the service.")
            .Optional(command.SharedInformation, "sharedInformation", Validation.Text)
            .ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "connect the person to a service");
        if (command.DirectoryEntryId is not null)
        {
            if (entry is null || entry.ProgrammeId != journey.ProgrammeId)
            {
                throw new JourneyPartNotFoundException("directory entry in this programme");
            }

            if (!entry.Active)
            {
                throw new DomainRuleException("This directory entry is inactive.");
            }

            if (onward && entry.Details.ReferralMethod == ReferralMethod.SignpostOnly)
            {
                throw new DomainRuleException("This service takes no referrals: signpost the person instead.");
            }
        }

        return
        [
            new CommunityConnectionMade(journey.Id, journey.PersonId, connectionId, entry?.Id, entry?.Details.Name ?? command.ServiceName!.Trim(),
                command.Kind, onward && command.ConsentToShare, onward ? command.SharedInformation : null, by, now),
        ];
    }

    public static IReadOnlyList<object> Acknowledge(Journey journey, Guid connectionId, AcknowledgeOnwardReferral command, string by, DateTimeOffset now)
    {
        new Validation().Optional(command.Note, "note", Validation.Text).ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "record an acknowledgement");
        var connection = ConnectionOf(journey, connectionId);
        if (connection.Kind != ConnectionKind.OnwardReferral)
        {
            throw new DomainRuleException("Only an onward referral is acknowledged; this was signposting.");
        }

        if (connection.Acknowledgement is not null)
        {
            throw new DomainRuleException("The service already acknowledged this referral.");
        }

        var at = JourneyRules.When(command.AcknowledgedAt, now, "acknowledgedAt");
        return [new OnwardReferralAcknowledged(journey.Id, journey.PersonId, connectionId, command.Accepted, command.Note, at, by, now)];
    }

    public static IReadOnlyList<object> RecordOutcome(Journey journey, Guid connectionId, RecordConnectionOutcome command, string by, DateTimeOffset now)
    {
        new Validation().Defined(command.Outcome, "outcome").Optional(command.Note, "note", Validation.Text).ThrowIfAny();
        JourneyRules.RequireAgreed(journey, "record a connection's outcome");
        ConnectionOf(journey, connectionId);
        return [new ConnectionOutcomeRecorded(journey.Id, journey.PersonId, connectionId, command.Outcome, command.Note, by, now)];
    }

    private static Connection ConnectionOf(Journey journey, Guid connectionId) =>
        journey.Connections.Find(c => c.ConnectionId == connectionId) ?? throw new JourneyPartNotFoundException("connection");
}
