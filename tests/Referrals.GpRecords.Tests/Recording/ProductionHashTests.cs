using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Fhir = Referrals.Fhir;
using Referrals.Contracts.Intake;
using Referrals.Deploy.Practice;
using Referrals.EventStore;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Recording;

/// <summary>
/// HAZ-016 / DPIA R13: the content hashes production keeps must not give the NHS number back. The Consent resource's only
/// personal input is the NHS number, so an unkeyed hash of it is reversed by trying every number; the hashes are personal
/// data, stored encrypted under the person's key and shredded on erasure.
/// </summary>
public sealed partial class ProductionHashTests : IAsyncLifetime
{
    private const string Practice = "E85012";
    private PracticeFhirReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await PracticeFhirReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    /// <summary>The unkeyed form production compares resources by: SHA-256 of the full and coded renderings.</summary>
    private static string UnkeyedHash(MappedResource resource) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        Fhir.FhirJson.Serialize(resource.Full) + "\n" + (resource.Coded is null ? "" : Fhir.FhirJson.Serialize(resource.Coded)))));

    /// <summary>Every valid NHS number whose first nine digits are within <paramref name="radius"/> of the given one's.</summary>
    private static IEnumerable<string> Window(string nhsNumber, int radius)
    {
        var stem = long.Parse(nhsNumber[..9], System.Globalization.CultureInfo.InvariantCulture);
        for (var candidate = stem - radius; candidate <= stem + radius; candidate++)
        {
            var digits = candidate.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            var check = 11 - digits.Select((d, i) => (d - '0') * (10 - i)).Sum() % 11;
            if (check == 10)
            {
                continue;
            }

            yield return digits + (check == 11 ? 0 : check);
        }
    }

    /// <summary>Brute force: the NHS number whose Consent resource hashes to one of <paramref name="retained"/>, if any.</summary>
    private static string? Recover(JourneyScript script, GpJourney journey, IReadOnlySet<string> retained)
    {
        var consentKey = "Consent/" + ResourceIds.Consent(script.JourneyId);
        foreach (var candidate in Window(script.NhsNumber, 60))
        {
            var patient = PatientRecord.Create(new PatientDetailsRecorded(script.PersonId,
                script.Submitted().Person! with { NhsNumber = candidate }, script.Practice, null, script.At(0)));
            var consent = Mapper.Map(journey, patient).Single(r => r.Key == consentKey);
            if (retained.Contains(UnkeyedHash(consent)))
            {
                return candidate;
            }
        }

        return null;
    }

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex Sha256Hex();

    [Fact]
    public void The_retained_hashes_are_personal_data_of_the_person_so_their_key_encrypts_them_and_erasure_shreds_them()
    {
        var conventions = new PersonalDataOptions();
        Assert.True(conventions.IsPersonal(typeof(ResourcesProduced).GetProperty(nameof(ResourcesProduced.Hashes))!));
        Assert.Equal(nameof(ResourcesProduced.PersonId), conventions.SubjectProperty(typeof(ResourcesProduced))?.Name);

        // Erased: the field reads back null, and the journey folds with nothing produced.
        var erased = System.Text.Json.JsonSerializer.Deserialize<ResourcesProduced>(
            """{"journeyId":"6f0d4a3e-0000-0000-0000-000000000001","personId":"6f0d4a3e-0000-0000-0000-000000000002","deliveryId":"6f0d4a3e-0000-0000-0000-000000000003","sequence":1,"hashes":null,"producedAt":"2026-01-05T09:00:00+00:00"}""",
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Empty(new GpJourney().Apply(erased).Produced);
    }

    /// <summary>The stored JSON of every event of the stream, as someone with the database reads it.</summary>
    private static async Task<string> StoredAsync(GpRecordsHarness harness, Guid streamId)
    {
        await using var connection = new Npgsql.NpgsqlConnection((await Referrals.Testing.TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select data::text from {harness.SchemaName}.mt_events where stream_id = $1", connection);
        command.Parameters.AddWithValue(streamId);
        var stored = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored.AppendLine(reader.GetString(0));
        }

        return stored.ToString();
    }

    private static IReadOnlySet<string> Hashes(string stored) => Sha256Hex().Matches(stored).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    private async Task<(GpRecordsHarness Harness, JourneyScript Script, GpJourney Journey)> ProducedAsync()
    {
        var script = new JourneyScript(Practice);
        var harness = await GpRecordsHarness.StartAsync(_receiver, [Practice]);
        IReadOnlyList<object> history = [script.Submitted(), script.Registered(), script.Opened()];
        await harness.PublishAsync(history);
        await harness.QuietAsync(script.JourneyId, history);
        await using var session = harness.Store.QuerySession();
        return (harness, script, (await session.Events.AggregateStreamAsync<GpJourney>(script.JourneyId))!);
    }

    [Fact]
    public async Task The_stored_production_hashes_do_not_give_the_nhs_number_back_to_someone_with_the_database()
    {
        var (harness, script, journey) = await ProducedAsync();
        await using var _ = harness;

        // The attack works against the hashes as the service holds them in memory ...
        Assert.Equal(script.NhsNumber, Recover(script, journey, journey.Produced.Values.ToHashSet(StringComparer.Ordinal)));

        // ... but not against what is stored: every 64-hex string in the journey's stored events.
        var stored = await StoredAsync(harness, script.JourneyId);
        Assert.Null(Recover(script, journey, Hashes(stored)));
        Assert.Contains("enc:v1:", stored, StringComparison.Ordinal);

        // After erasure the key is gone: the journey still folds, with nothing produced to compare against.
        await harness.PublishAsync(new PersonErased(script.PersonId, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () =>
        {
            await using var after = harness.Store.QuerySession();
            return await after.Events.AggregateStreamAsync<PatientRecord>(script.PersonId) is { Erased: true };
        }, "the person to be erased in gp-records", TimeSpan.FromSeconds(30));
        await using var later = harness.Store.QuerySession();
        Assert.Empty((await later.Events.AggregateStreamAsync<GpJourney>(script.JourneyId))!.Produced);
    }

    [Fact]
    public async Task Hashes_stored_in_plain_text_before_the_change_still_read_and_compare_so_nothing_is_sent_again()
    {
        var (harness, script, journey) = await ProducedAsync();
        await using var _ = harness;

        // Each production event as it was stored before the change: the hashes in plain text.
        await using var session = harness.Store.QuerySession();
        var productions = (await session.Events.FetchStreamAsync(script.JourneyId)).Where(e => e.Data is ResourcesProduced).ToList();
        Assert.NotEmpty(productions);
        await using var connection = new Npgsql.NpgsqlConnection((await Referrals.Testing.TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        foreach (var production in productions)
        {
            await using var downgrade = new Npgsql.NpgsqlCommand(
                $"update {harness.SchemaName}.mt_events set data = jsonb_set(data, '{{hashes}}', $3::jsonb) where stream_id = $1 and version = $2", connection);
            downgrade.Parameters.AddWithValue(script.JourneyId);
            downgrade.Parameters.AddWithValue(production.Version);
            downgrade.Parameters.AddWithValue(System.Text.Json.JsonSerializer.Serialize(((ResourcesProduced)production.Data).Hashes));
            Assert.Equal(1, await downgrade.ExecuteNonQueryAsync());
        }

        Assert.Equal(script.NhsNumber, Recover(script, journey, Hashes(await StoredAsync(harness, script.JourneyId))));

        await using var legacy = harness.Store.QuerySession();
        var read = (await legacy.Events.AggregateStreamAsync<GpJourney>(script.JourneyId))!;
        Assert.Equal(journey.Produced, read.Produced);
        var patient = await legacy.Events.AggregateStreamAsync<PatientRecord>(script.PersonId);
        Assert.Null(RecordProduction.Decide(read, patient, Mapper, DateTimeOffset.UtcNow));
    }
}
