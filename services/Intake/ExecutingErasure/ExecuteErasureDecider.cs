using Referrals.Intake.Erasure;

namespace Referrals.Intake.ExecutingErasure;

public static class ExecuteErasureDecider
{
    /// <summary>Only an approved request is executed, once: a request already executed (a replayed timer) decides nothing.</summary>
    public static IReadOnlyList<object> Decide(ErasureRequest? request, DateTimeOffset now) =>
        request is { State: ErasureState.Approved }
            ? [new ErasureExecuted(request.Id, request.PersonId, now)]
            : [];
}
