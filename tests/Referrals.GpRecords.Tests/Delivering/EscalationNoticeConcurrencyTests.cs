using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// HAZ-002: a practice notice and the registration of its referral (on a journey other than the one triage stamped) handled
/// at the same moment, as on two instances, never miss each other: the notice reaches the practice exactly once.
/// </summary>
public sealed class EscalationNoticeConcurrencyTests : PracticeDeliveryTest
{
    private const string Practice = "B82011";

    protected override Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver) =>
        GpRecordsHarness.StartAsync(receiver, [Practice],
            configureServices: services => services.RemoveAll<PersonPartitioner>());

    private Task HeldAsync(Guid journeyId, Guid personId, string key) => Harness.FiledAsync(Receiver, Practice, journeyId, personId, key);

    /// <summary>Waits until <paramref name="count"/> statements on this service's schema wait for a lock.</summary>
    private Task LockWaitersAsync(int count) => Eventually.TrueAsync(async () =>
    {
        await using var connection = new Npgsql.NpgsqlConnection((await Referrals.Testing.TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and position($1 in query) > 0", connection);
        command.Parameters.AddWithValue(Harness.SchemaName + ".");
        return (long)(await command.ExecuteScalarAsync())! >= count;
    }, $"{count} statement(s) to wait on the referral's lock", TimeSpan.FromSeconds(30), async () =>
    {
        await using var connection = new Npgsql.NpgsqlConnection((await Referrals.Testing.TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "select string_agg(coalesce(wait_event_type, '-') || ':' || left(query, 120), ' | ') from pg_stat_activity where state <> 'idle'", connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    });

    /// <remarks>
    /// One instance handles one person's messages one at a time (the person partitioner), so a notice and its registration
    /// meet at once only on two instances. The partitioner is removed here, which lets this one host handle them at once as
    /// two instances would.
    /// </remarks>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_notice_and_its_registration_under_another_journey_id_handled_at_once_always_reach_the_practice_exactly_once(bool registrationFirst)
    {
        for (var i = 0; i < 3; i++)
        {
            var script = new JourneyScript(Practice, ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");
            var registration = script.Registered() with { JourneyId = Guid.NewGuid() };
            var first = script.Escalated(step: 1);
            var second = script.Escalated(step: 2);
            await Harness.PublishAsync(script.Submitted());
            await Harness.ClaimedAsync(nameof(ReferralEscalatedConsumer), [await Harness.PublishOneAsync(first)]);

            // The test holds the referral's lock while the next notice and the registration arrive (in the given order), so
            // both are in flight at the moment it is released: neither may miss the other, whichever goes first.
            await using (var blocker = Harness.Store.LightweightSession())
            {
                await blocker.Events.FetchForExclusiveWriting<GpReferral>(ResourceIds.ReferralJourney(script.ReferralId));
                await (registrationFirst ? Harness.PublishOneAsync(registration) : Harness.PublishOneAsync(second));
                await LockWaitersAsync(1);
                await (registrationFirst ? Harness.PublishOneAsync(second) : Harness.PublishOneAsync(registration));
                await LockWaitersAsync(2);
            }

            foreach (var notice in new[] { first, second })
            {
                await HeldAsync(registration.JourneyId, script.PersonId, EscalationNotices.Key(registration.JourneyId, notice));
            }

            await Harness.QuietAsync(registration.JourneyId, [script.Submitted(), registration, first, second]);
            await using var session = Harness.Store.QuerySession();
            var journey = await session.Events.AggregateStreamAsync<GpJourney>(registration.JourneyId);
            Assert.Equal(2, journey!.All<ReferralEscalated>().Count());
            foreach (var notice in new[] { first, second })
            {
                Assert.Single(Receiver.Transactions, t => t.Sent.Contains(EscalationNotices.Key(registration.JourneyId, notice)));
            }

            Assert.Null(await session.Events.AggregateStreamAsync<GpJourney>(script.JourneyId));
        }
    }
}
