extern alias intake;
extern alias triage;
extern alias supportplan;
extern alias gprecords;

using System.Diagnostics;
using Referrals.Deploy.Journeys;
using Referrals.Deploy.Practice;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.Testing;
using Referrals.Testing.Hosting;
using GpRecordsProgram = gprecords::Program;
using IntakeProgram = intake::Program;
using SupportPlanProgram = supportplan::Program;
using TriageProgram = triage::Program;

namespace Referrals.EndToEnd.Tests.Platform;

/// <summary>
/// The four services in one process (so an in-process exporter sees every span): one referral's trace must run from the
/// GP's HTTP request through every hop — RabbitMQ, the outbox relays, timers — to the FHIR delivery at the practice.
/// The hosts run as Development so that the programme catalogue and triage's seed programme exist.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task One_trace_id_spans_intake_triage_support_plan_and_gp_records_for_a_referral()
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        await using var vhost = await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "trace");
        await TopologyDeployer.DeployAsync(vhost.AmqpUri.ToString(), PlatformTopology.All, CancellationToken.None);
        await using var practice = await PracticeFhirReceiver.StartAsync();
        var spans = new InMemorySpanExporter();
        var schemas = new List<IsolatedPostgresSchema>();
        async Task<string> SchemaAsync(string name)
        {
            var schema = await IsolatedPostgresSchema.CreateAsync(infrastructure, "trace_" + name);
            schemas.Add(schema);
            return schema.SchemaName;
        }

        var settings = new Dictionary<string, string?> { ["GpRecords:Practices:B86001:FhirBaseUrl"] = practice.FhirBaseFor("B86001") };
        await using var intakeHost = new ServiceHost<IntakeProgram>(infrastructure, vhost.AmqpUri, await SchemaAsync("intake"), spans: spans, environment: "Development");
        await using var triageHost = new ServiceHost<TriageProgram>(infrastructure, vhost.AmqpUri, await SchemaAsync("triage"), environment: "Development");
        await using var supportPlanHost = new ServiceHost<SupportPlanProgram>(infrastructure, vhost.AmqpUri, await SchemaAsync("supportplan"), environment: "Development");
        await using var gpRecordsHost = new ServiceHost<GpRecordsProgram>(infrastructure, vhost.AmqpUri, await SchemaAsync("gprecords"), settings: settings, environment: "Development");
        try
        {
            // Start every host (the factories build lazily) before the referral goes in.
            _ = triageHost.Services;
            _ = supportPlanHost.Services;
            _ = gpRecordsHost.Services;
            using var intakeClient = intakeHost.CreateClient();
            using var platform = new PlatformClient(new PlatformAddresses(intakeClient.BaseAddress!, triageHost.Server.BaseAddress,
                supportPlanHost.Server.BaseAddress, gpRecordsHost.Server.BaseAddress, practice.BaseAddress));

            var nhsNumber = ReferralForms.NewNhsNumber();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/referrals")
            {
                Content = System.Net.Http.Json.JsonContent.Create(ReferralForms.GpReferral("B86001", "north-leeds", nhsNumber)),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", platform.ReferrerToken("B86001"));
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            var response = await intakeClient.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

            await platform.PollAsync(() => Task.FromResult(practice.StoreOf("B86001").Keys.Any(k => k.StartsWith("ServiceRequest/", StringComparison.Ordinal))),
                delivered => delivered, "the ServiceRequest at the practice");
            string Describe(Activity a) => a.DisplayName + " " + string.Join(" ", a.TagObjects.Select(t => t.Value?.ToString()));

            // A span is exported when it ends, and gp-records' consumer ends after the practice has the records (it sends them,
            // then commits): wait for that last hop's span in any trace, rather than a fixed pause, which a loaded machine
            // outran. Whether it is in the GP's trace is asserted below.
            await platform.PollAsync(() => Task.FromResult(spans.Spans.Any(s => Describe(s).Contains(GpRecordsTopology.Service + "-journey-registered",
                StringComparison.Ordinal))), ended => ended, "gp-records' consumer span to end");

            // The GP's POST /referrals: of the requests the host served (readiness probes have traces of their own), the one
            // whose trace carries the most spans. The assertions below then prove that this one trace reaches every hop.
            var submission = spans.Spans.Where(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore")
                                 .OrderByDescending(s => spans.Spans.Count(other => other.TraceId == s.TraceId)).FirstOrDefault()
                             ?? throw new Xunit.Sdk.XunitException("No request span; spans seen: " +
                                                                  string.Join(", ", spans.Spans.Select(s => s.DisplayName).Distinct().Take(40)));
            var trace = spans.Spans.Where(s => s.TraceId == submission.TraceId).ToList();

            Assert.Contains(trace, s => Describe(s).Contains(TriageTopology.Service + "-referral-submitted", StringComparison.Ordinal));
            Assert.Contains(trace, s => Describe(s).Contains(SupportPlanTopology.Service + "-referral-triaged", StringComparison.Ordinal) ||
                                        Describe(s).Contains(SupportPlanTopology.Service + "-referral-submitted", StringComparison.Ordinal));
            Assert.Contains(trace, s => Describe(s).Contains(GpRecordsTopology.Service + "-journey-registered", StringComparison.Ordinal));
            Assert.Contains(trace, s => s.DisplayName == "outbox relay");
            Assert.Contains(trace, s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http" &&
                                        Describe(s).Contains(practice.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }
        finally
        {
            foreach (var schema in schemas)
            {
                await schema.DisposeAsync();
            }
        }
    }
}
