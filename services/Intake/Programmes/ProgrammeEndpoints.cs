using Microsoft.AspNetCore.Http.HttpResults;

namespace Referrals.Intake.Programmes;

public sealed record ProgrammeInfo(string Id, string Name, IReadOnlyList<string> Practices);

public static class ProgrammeEndpoints
{
    public static IEndpointRouteBuilder MapProgrammes(this IEndpointRouteBuilder app)
    {
        // Public: a self-referral form needs it to let the person pick their GP practice.
        app.MapGet("/programmes", List)
            .AllowAnonymous()
            .WithName("ListProgrammes")
            .WithTags("Programmes")
            .WithSummary("The programmes intake accepts referrals for, and the GP practices (ODS codes) each serves.");
        return app;
    }

    private static Ok<IReadOnlyList<ProgrammeInfo>> List(ProgrammeCatalogue catalogue) =>
        TypedResults.Ok<IReadOnlyList<ProgrammeInfo>>(catalogue.All.OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new ProgrammeInfo(p.Id, p.Name, p.Practices.Order(StringComparer.Ordinal).ToList())).ToList());
}
