using Npgsql;

namespace Referrals.EventStore.PersonalData;

/// <summary>
/// The person keys one session has already read, so a unit of work that reads a person's stream and documents and then
/// saves asks the database once rather than at every step. It lives as long as the session and is emptied when a save
/// fails, because a key created in a transaction that rolled back does not exist.
/// </summary>
internal sealed class KeyRing(PersonalDataProtector protector)
{
    private readonly Dictionary<Guid, byte[]?> _known = [];

    /// <summary>Keys for the given people (an erased person's is null; one never keyed is absent).</summary>
    public Task<IReadOnlyDictionary<Guid, byte[]?>> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        IEnumerable<Guid> people, CancellationToken ct) => FetchAsync(connection, tx, people, create: false, ct);

    /// <summary>Keys for the given people, creating any that do not exist yet.</summary>
    public Task<IReadOnlyDictionary<Guid, byte[]?>> GetOrCreateAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        IEnumerable<Guid> people, CancellationToken ct) => FetchAsync(connection, tx, people, create: true, ct);

    public void Forget() => _known.Clear();

    private async Task<IReadOnlyDictionary<Guid, byte[]?>> FetchAsync(NpgsqlConnection connection, NpgsqlTransaction? tx,
        IEnumerable<Guid> people, bool create, CancellationToken ct)
    {
        var unknown = people.Where(p => !_known.ContainsKey(p)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            var found = create
                ? await protector.GetOrCreateKeysAsync(connection, tx, unknown, ct)
                : await protector.GetKeysAsync(connection, tx, unknown, ct);
            foreach (var (id, key) in found)
            {
                _known[id] = key;
            }
        }

        return _known;
    }
}
