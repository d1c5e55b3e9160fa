namespace Referrals.Deploy.Journeys;

/// <summary>Where the services listen (the local run command's ports unless told otherwise).</summary>
public sealed record PlatformAddresses(Uri Intake, Uri Triage, Uri SupportPlan, Uri GpRecords, Uri? Practice)
{
    public static PlatformAddresses Local => new(
        FromEnvironment("REFERRALS_INTAKE_URL", "http://127.0.0.1:5101"),
        FromEnvironment("REFERRALS_TRIAGE_URL", "http://127.0.0.1:5102"),
        FromEnvironment("REFERRALS_SUPPORT_PLAN_URL", "http://127.0.0.1:5103"),
        FromEnvironment("REFERRALS_GP_RECORDS_URL", "http://127.0.0.1:5104"),
        FromEnvironment("REFERRALS_PRACTICE_URL", "http://127.0.0.1:5199"));

    private static Uri FromEnvironment(string name, string fallback) => new(Environment.GetEnvironmentVariable(name) ?? fallback);
}
