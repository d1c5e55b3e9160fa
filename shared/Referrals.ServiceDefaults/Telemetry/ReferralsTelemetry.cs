using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Referrals.ServiceDefaults.Telemetry;

/// <summary>The platform's own ActivitySource and Meter ("Referrals"), and the journey metrics every service records.</summary>
public static class ReferralsTelemetry
{
    public const string Name = "Referrals";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> ReferralsReceived =
        Meter.CreateCounter<long>("referrals.received", "{referral}", "Referrals accepted by intake");

    public static readonly Histogram<double> TimeToTriage =
        Meter.CreateHistogram<double>("referrals.time_to_triage", "s", "From submission to triage decision");

    public static readonly Histogram<double> TimeToAcceptance =
        Meter.CreateHistogram<double>("referrals.time_to_acceptance", "s", "From submission to a worker accepting");

    public static readonly Histogram<double> TimeToFirstContact =
        Meter.CreateHistogram<double>("referrals.time_to_first_contact", "s", "From submission to the first contact");

    public static readonly Counter<long> Deliveries =
        Meter.CreateCounter<long>("referrals.gp_deliveries", "{delivery}", "Deliveries to GP records");

    public static readonly Counter<long> DeliveryFailures =
        Meter.CreateCounter<long>("referrals.gp_delivery_failures", "{delivery}", "Failed deliveries to GP records");

    public static readonly Counter<long> Escalations =
        Meter.CreateCounter<long>("referrals.escalations", "{escalation}", "Escalations raised");
}
