using System.Net;
using Referrals.EventStore;
using Referrals.Testing;
using Referrals.Testing.Hosting;

namespace Referrals.SupportPlan.Tests.Support;

/// <summary>
/// The support-plan service hosted against the real PostgreSQL and RabbitMQ, on a schema and virtual host of its own, with a
/// test clock, a bus to publish upstream events and a probe watching everything support-plan publishes. One per test class.
/// </summary>
public class SupportPlanHost : IAsyncLifetime
{
    public static readonly Type[] Published =
    [
        typeof(Integration.JourneyRegistered), typeof(Integration.JourneyOpened), typeof(Integration.PersonAgreedToSocialPrescribing),
        typeof(Integration.SocialPrescribingDeclined), typeof(Integration.ContactRecorded), typeof(Integration.JourneyWentDormant),
        typeof(Integration.JourneyReactivated), typeof(Integration.WhatMattersRecorded), typeof(Integration.SupportPlanAgreed),
        typeof(Integration.CommunityConnectionMade), typeof(Integration.OutcomeMeasured), typeof(Integration.ConsentScopeChanged),
        typeof(Integration.SafeguardingConcernRaised), typeof(Integration.LoneWorkingCheckOutOverdue), typeof(Integration.JourneyClosed),
        typeof(Integration.ReferralRetriaged),
    ];

    private IsolatedPostgresSchema? _schema;
    private IsolatedRabbitVirtualHost? _virtualHost;

    public TestClock Clock { get; } = new();

    public InfrastructureEndpoints Infrastructure { get; private set; } = null!;

    public ServiceHost<Program> Host { get; private set; } = null!;

    public TestBus Bus { get; private set; } = null!;

    public MessageProbe Probe { get; private set; } = null!;

    public string Schema => _schema!.SchemaName;

    public Uri VirtualHost => _virtualHost!.AmqpUri;

    /// <summary>Settings on top of the test defaults (e.g. SupportPlan:DormancyWeeks).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Infrastructure = await TestInfrastructure.EnsureStartedAsync();
        _schema = await IsolatedPostgresSchema.CreateAsync(Infrastructure, "support_plan");
        _virtualHost = await IsolatedRabbitVirtualHost.CreateAsync(Infrastructure, "support_plan");
        Probe = await MessageProbe.CreateAsync(VirtualHost, Published);
        await StartHostAsync();
        Bus = await TestBus.StartAsync(VirtualHost);
    }

    /// <summary>Stops the service and starts it again on the same schema and virtual host (a restart).</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        await StartHostAsync();
    }

    /// <summary>Stops the service (its timers, relay and consumers); <see cref="StartHostAsync"/> brings it back.</summary>
    public async Task StopHostAsync() => await Host.DisposeAsync();

    public async Task StartHostAsync()
    {
        Host = new ServiceHost<Program>(Infrastructure, VirtualHost, Schema, Clock, settings: Settings);
        using var client = Host.CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"support-plan did not become ready: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(100);
        }
    }

    public T Service<T>() where T : notnull => (T)Host.Services.GetService(typeof(T))!;

    public DocumentStore Store => Service<DocumentStore>();

    public async Task DisposeAsync()
    {
        if (Bus is not null)
        {
            await Bus.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        if (Probe is not null)
        {
            await Probe.DisposeAsync();
        }

        if (_virtualHost is not null)
        {
            await _virtualHost.DisposeAsync();
        }

        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }
}
