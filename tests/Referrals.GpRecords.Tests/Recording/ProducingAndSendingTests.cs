using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;

namespace Referrals.GpRecords.Tests.Recording;

/// <summary>The consumer that produces a journey's records sends them itself, in a transaction after the production.</summary>
public sealed class ProducingAndSendingTests
{
    private const string Practice = "B82001";

    [Fact]
    public async Task A_send_cut_short_after_the_production_committed_is_taken_up_again_when_the_message_is_retried()
    {
        await using var receiver = await PracticeFhirReceiver.StartAsync();
        var transport = new CutShortOnce();
        await using var harness = await GpRecordsHarness.StartAsync(receiver, [Practice], configureServices: services =>
        {
            services.AddSingleton<FhirTransactionTransport>();
            services.RemoveAll<IGpRecordTransport>();
            services.AddSingleton<IGpRecordTransport>(sp =>
            {
                transport.Inner = sp.GetRequiredService<FhirTransactionTransport>();
                return transport;
            });
        });
        var script = new JourneyScript(Practice);

        await harness.PublishAsync(script.Submitted(), script.Registered());

        var serviceRequest = "ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.StoreBySenderIdOf(Practice).ContainsKey(serviceRequest)), "the ServiceRequest at the practice",
            diagnose: () => harness.DiagnoseAsync(script.JourneyId, script.PersonId));
        await harness.QuietAsync(script.JourneyId, [script.Submitted(), script.Registered()]);
        Assert.Equal(1, transport.CutShort);
        Assert.Single(await harness.DeliveriesAsync(script.JourneyId));
    }

    /// <summary>Fails the first send as a crash or a lost connection would, before anything reaches the practice.</summary>
    private sealed class CutShortOnce : IGpRecordTransport
    {
        private int _calls;

        public IGpRecordTransport Inner { get; set; } = null!;

        public int CutShort { get; private set; }

        public string Name => FhirTransactionTransport.TransportName;

        public Task<TransportOutcome> SendAsync(PracticeDelivery delivery, PracticeEndpointOptions endpoint, CancellationToken ct)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                CutShort++;
                throw new InvalidOperationException("The send was cut short (test).");
            }

            return Inner.SendAsync(delivery, endpoint, ct);
        }
    }
}
