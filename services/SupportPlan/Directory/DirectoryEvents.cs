using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Directory;

/// <summary>Voluntary, community and social enterprise sector, or statutory.</summary>
public enum Sector
{
    Voluntary,
    Statutory,
}

/// <summary>How the service takes people: information only (signposting), or referrals by a channel.</summary>
public enum ReferralMethod
{
    SignpostOnly,
    Email,
    Phone,
    OnlineForm,
    Letter,
}

/// <summary>The details of a directory entry, as the programme maintains them.</summary>
public sealed record DirectoryEntryDetails(
    string Name,
    Sector Sector,
    IReadOnlyList<NeedDomain> Categories,
    IReadOnlyList<string> Areas,
    string Contact,
    ReferralMethod ReferralMethod,
    string? OpeningTimes,
    string? Description);

public interface IDirectoryEvent : ISupportPlanEvent
{
    Guid EntryId { get; }
}

public sealed record DirectoryEntryAdded(Guid EntryId, string ProgrammeId, DirectoryEntryDetails Details, string AddedBy, DateTimeOffset AddedAt)
    : IDirectoryEvent;

public sealed record DirectoryEntryUpdated(Guid EntryId, DirectoryEntryDetails Details, string UpdatedBy, DateTimeOffset UpdatedAt) : IDirectoryEvent;

public sealed record DirectoryEntryDeactivated(Guid EntryId, string? Reason, string DeactivatedBy, DateTimeOffset DeactivatedAt) : IDirectoryEvent;

public sealed record DirectoryEntryReactivated(Guid EntryId, string ReactivatedBy, DateTimeOffset ReactivatedAt) : IDirectoryEvent;
