using Referrals.EventStore.PersonalData;
using Referrals.EventStore.Tests.TestEvents;

namespace Referrals.EventStore.Tests.PersonalData;

/// <summary>The protector on its own, no database: stored JSON must keep reading back whatever wrote it.</summary>
public sealed class PersonalDataProtectorTests
{
    private static readonly Guid Person = Guid.Parse("0193a3c1-5b2e-7c44-9d1e-2f6a8b9c0d1e");
    private static readonly Dictionary<Guid, byte[]?> Keys = new() { [Person] = [.. Enumerable.Range(1, 32).Select(i => (byte)i)] };
    private readonly PersonalDataProtector _protector = new(new EventStoreOptions());

    // Written by the protector before it read JSON in one pass (it built a JsonNode tree and escaped '+' in base64).
    private const string WrittenByTheTreeSerializer =
        """{"personId":"0193a3c1-5b2e-7c44-9d1e-2f6a8b9c0d1e","details":"enc:v1:scgc4StpdXlOpLPU8QTdWvLdqyIJmtMDHrEbRRgms3z/tl/ndkMYvKU\u002BfUr4m\u002BVR\u002Bemy/zQR8\u002BXNDIFGYjjRbm60jvB4iecznQKHmwmidIQ=","whatMatters":"enc:v1:Lx\u002Bx6JD3NJztdiV5neyjIt1RRbEhga4\u002BPRz08KUGxh6ng6Jlm0kfnqcXSMz9OGzoKrM\u002BUiEmr6ihJ/y83tJkt0XvW28kqwWqf\u002BI=","programme":"north"}""";

    private static readonly PersonReferred Expected =
        new(Person, new PersonDetails("Niamh O'Brien", "07700 900456"), "Sea swimming \"with friends\" ☀", "north");

    [Fact]
    public void Personal_fields_encrypted_by_the_earlier_tree_serializer_still_read_back()
    {
        Assert.Equal(Expected, _protector.Deserialize(WrittenByTheTreeSerializer, typeof(PersonReferred), Keys));
    }

    [Fact]
    public void The_subject_is_found_wherever_it_stands_as_PostgreSQL_orders_a_jsonb_object_s_keys_by_length()
    {
        var personIdLast = """{"details":"enc:v1:scgc4StpdXlOpLPU8QTdWvLdqyIJmtMDHrEbRRgms3z/tl/ndkMYvKU+fUr4m+VR+emy/zQR8+XNDIFGYjjRbm60jvB4iecznQKHmwmidIQ=", "programme": "north", "whatMatters":"enc:v1:Lx+x6JD3NJztdiV5neyjIt1RRbEhga4+PRz08KUGxh6ng6Jlm0kfnqcXSMz9OGzoKrM+UiEmr6ihJ/y83tJkt0XvW28kqwWqf+I=", "personId": "0193a3c1-5b2e-7c44-9d1e-2f6a8b9c0d1e"}""";

        Assert.Equal(Expected, _protector.Deserialize(personIdLast, typeof(PersonReferred), Keys));
        Assert.Equal(Person, _protector.StoredSubject(personIdLast, typeof(PersonReferred)));
    }

    [Fact]
    public void Serialized_personal_fields_hold_no_plain_text_and_read_back_with_the_key_and_as_null_once_it_is_destroyed()
    {
        var stored = _protector.Serialize(Expected, Keys);

        Assert.DoesNotContain("Niamh", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("swimming", stored, StringComparison.Ordinal);
        Assert.Contains("\"programme\":\"north\"", stored, StringComparison.Ordinal);
        Assert.Equal(Expected, _protector.Deserialize(stored, typeof(PersonReferred), Keys));
        Assert.Equal(Expected with { Details = null, WhatMatters = null },
            _protector.Deserialize(stored, typeof(PersonReferred), new Dictionary<Guid, byte[]?> { [Person] = null }));
    }

    [Fact]
    public void A_personal_field_that_is_null_stays_null_and_a_person_erased_before_writing_is_stored_erased()
    {
        var withoutDetails = Expected with { Details = null };

        Assert.Equal(withoutDetails, _protector.Deserialize(_protector.Serialize(withoutDetails, Keys), typeof(PersonReferred), Keys));
        var erased = _protector.Serialize(Expected, new Dictionary<Guid, byte[]?> { [Person] = null });
        Assert.DoesNotContain("enc:v1:", erased, StringComparison.Ordinal);
        Assert.Equal(Expected with { Details = null, WhatMatters = null }, _protector.Deserialize(erased, typeof(PersonReferred), Keys));
    }
}
