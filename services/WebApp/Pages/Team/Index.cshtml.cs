using Referrals.WebApp.Api;

namespace Referrals.WebApp.Pages.Team;

/// <summary>The programme queue with capacity by worker and waiting times.</summary>
public sealed class IndexModel(TriageClient triage) : TeamPageModel
{
    public ProgrammeQueue Queue { get; private set; } = null!;

    public async Task OnGetAsync() => Queue = await triage.QueueAsync(ProgrammeId, HttpContext.RequestAborted);

    public string WorkerName(string id) => Queue.Workers.FirstOrDefault(w => w.LinkWorkerId == id)?.DisplayName is { } name ? $"{name} ({id})" : id;
}
