using System.Reflection;

namespace Referrals.EventStore;

/// <summary>
/// Finds personal fields and their subject. By convention a property carrying an attribute named
/// <c>PersonalDataAttribute</c> is personal, and the subject is the <c>PersonId</c> property, so contracts
/// need no reference to this library.
/// </summary>
public sealed class PersonalDataOptions
{
    public Func<PropertyInfo, bool> IsPersonal { get; set; } =
        property => property.GetCustomAttributes(inherit: true).Any(a => a.GetType().Name == "PersonalDataAttribute");

    public Func<Type, PropertyInfo?> SubjectProperty { get; set; } =
        type => type.GetProperty("PersonId", BindingFlags.Public | BindingFlags.Instance) is { } property &&
                (property.PropertyType == typeof(Guid) || property.PropertyType == typeof(Guid?))
            ? property
            : null;
}
