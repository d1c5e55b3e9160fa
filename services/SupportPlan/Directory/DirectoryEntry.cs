namespace Referrals.SupportPlan.Directory;

/// <summary>A community group or service in the programme's directory (the aggregate of a directory stream, and its inline document).</summary>
public sealed record DirectoryEntry
{
    public Guid Id { get; init; }

    public long Version { get; set; }

    public string ProgrammeId { get; init; } = string.Empty;

    public DirectoryEntryDetails Details { get; init; } = null!;

    public bool Active { get; init; }

    public string? DeactivationReason { get; init; }

    public DateTimeOffset AddedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public static DirectoryEntry Create(DirectoryEntryAdded e) => new()
    {
        Id = e.EntryId,
        ProgrammeId = e.ProgrammeId,
        Details = e.Details,
        Active = true,
        AddedAt = e.AddedAt,
        UpdatedAt = e.AddedAt,
    };

    public DirectoryEntry Apply(DirectoryEntryUpdated e) => this with { Details = e.Details, UpdatedAt = e.UpdatedAt };

    public DirectoryEntry Apply(DirectoryEntryDeactivated e) => this with { Active = false, DeactivationReason = e.Reason, UpdatedAt = e.DeactivatedAt };

    public DirectoryEntry Apply(DirectoryEntryReactivated e) => this with { Active = true, DeactivationReason = null, UpdatedAt = e.ReactivatedAt };
}
