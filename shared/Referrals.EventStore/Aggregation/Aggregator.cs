using System.Collections.Concurrent;
using System.Reflection;

namespace Referrals.EventStore;

/// <summary>
/// Folds events into a document by Marten's conventions, found once by reflection (no runtime code generation):
/// <list type="bullet">
/// <item><c>static TDoc Create(TEvent)</c> on the document, or <c>TDoc Create(TEvent)</c> on the projection, starts it;</item>
/// <item><c>TDoc Apply(TEvent)</c> (immutable) or <c>void Apply(TEvent)</c> on the document, or
/// <c>TDoc Apply(TEvent, TDoc)</c> / <c>void Apply(TEvent, TDoc)</c> on the projection, evolves it;</item>
/// <item><c>bool ShouldDelete(TEvent)</c> removes it.</item>
/// </list>
/// An event parameter may be declared as <c>IEvent&lt;TEvent&gt;</c> to see metadata. For one event only one of
/// Create or Apply runs. Methods may be non-public.
/// </summary>
public sealed class Aggregator<TDoc> where TDoc : class
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
    private static readonly ConcurrentDictionary<Type, Aggregator<TDoc>> SelfAggregators = new();

    private readonly object? _host;
    private readonly Dictionary<Type, Step> _creates = [];
    private readonly Dictionary<Type, Step> _applies = [];
    private readonly Dictionary<Type, Func<TDoc?, IEvent, bool>> _deletes = [];
    private readonly ConstructorInfo? _defaultConstructor;

    private delegate TDoc? Step(TDoc? current, IEvent @event);

    /// <summary>An aggregator that reads conventions from <typeparamref name="TDoc"/> itself and, if given, from a projection object.</summary>
    public Aggregator(object? projection = null)
    {
        _host = projection;
        _defaultConstructor = typeof(TDoc).GetConstructor(Everything & ~BindingFlags.Static, Type.EmptyTypes);
        Discover(typeof(TDoc), onDocument: true);
        if (projection is not null)
        {
            Discover(projection.GetType(), onDocument: false);
        }

        EventTypes = _creates.Keys.Concat(_applies.Keys).Concat(_deletes.Keys).Distinct().ToArray();
    }

    public static Aggregator<TDoc> Self => SelfAggregators.GetOrAdd(typeof(TDoc), _ => new Aggregator<TDoc>());

    public IReadOnlyCollection<Type> EventTypes { get; }

    public bool Handles(Type eventType) => Find(_creates, eventType) is not null || Find(_applies, eventType) is not null ||
                                           FindDelete(eventType) is not null;

    /// <summary>Applies one event. Returns the new document, or null when the event deletes it.</summary>
    public TDoc? Apply(TDoc? current, IEvent @event)
    {
        var type = @event.EventType;
        if (FindDelete(type) is { } delete && delete(current, @event))
        {
            return null;
        }

        if (current is null)
        {
            if (Find(_creates, type) is { } create)
            {
                return create(null, @event);
            }

            if (Find(_applies, type) is { } applyToNew && _defaultConstructor is not null)
            {
                return applyToNew((TDoc)_defaultConstructor.Invoke(null), @event);
            }

            return null;
        }

        return Find(_applies, type) is { } apply ? apply(current, @event) : current;
    }

    public TDoc? Fold(TDoc? seed, IEnumerable<IEvent> events)
    {
        var current = seed;
        foreach (var e in events)
        {
            current = Apply(current, e);
        }

        return current;
    }

    private static Step? Find(Dictionary<Type, Step> steps, Type eventType)
    {
        for (var type = eventType; type is not null; type = type.BaseType)
        {
            if (steps.TryGetValue(type, out var step))
            {
                return step;
            }
        }

        return eventType.GetInterfaces().Select(i => steps.GetValueOrDefault(i)).FirstOrDefault(s => s is not null);
    }

    private Func<TDoc?, IEvent, bool>? FindDelete(Type eventType) =>
        _deletes.TryGetValue(eventType, out var delete) ? delete : null;

    private void Discover(Type host, bool onDocument)
    {
        foreach (var method in host.GetMethods(Everything))
        {
            switch (method.Name)
            {
                case "Create" when typeof(TDoc).IsAssignableFrom(method.ReturnType) && (method.IsStatic || !onDocument):
                    if (Bind(method, onDocument, allowDocument: false) is { } create)
                    {
                        _creates[create.EventType] = (_, e) => (TDoc?)create.Invoke(null, e);
                    }

                    break;
                case "Apply":
                    if (Bind(method, onDocument, allowDocument: !onDocument) is { } apply &&
                        (method.ReturnType == typeof(void) || typeof(TDoc).IsAssignableFrom(method.ReturnType)))
                    {
                        var returnsDocument = method.ReturnType != typeof(void);
                        _applies[apply.EventType] = (doc, e) =>
                        {
                            var result = apply.Invoke(doc, e);
                            return returnsDocument ? (TDoc?)result : doc;
                        };
                    }

                    break;
                case "ShouldDelete" when method.ReturnType == typeof(bool):
                    if (Bind(method, onDocument, allowDocument: !onDocument) is { } delete)
                    {
                        _deletes[delete.EventType] = (doc, e) => (bool)delete.Invoke(doc, e)!;
                    }

                    break;
            }
        }
    }

    private sealed record Binding(Type EventType, Func<TDoc?, IEvent, object?> Invoke);

    private Binding? Bind(MethodInfo method, bool onDocument, bool allowDocument)
    {
        var parameters = method.GetParameters();
        Type? eventType = null;
        var getters = new Func<TDoc?, IEvent, object?>[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i].ParameterType;
            if (allowDocument && p == typeof(TDoc))
            {
                getters[i] = (doc, _) => doc;
            }
            else if (p.IsGenericType && p.GetGenericTypeDefinition() == typeof(IEvent<>))
            {
                eventType = p.GetGenericArguments()[0];
                getters[i] = (_, e) => e;
            }
            else if (p == typeof(IEvent))
            {
                getters[i] = (_, e) => e;
            }
            else if (eventType is null && p != typeof(TDoc))
            {
                eventType = p;
                getters[i] = (_, e) => e.Data;
            }
            else
            {
                return null;
            }
        }

        if (eventType is null)
        {
            return null;
        }

        var host = _host;
        return new Binding(eventType, (doc, e) =>
        {
            var args = new object?[getters.Length];
            for (var i = 0; i < getters.Length; i++)
            {
                args[i] = getters[i](doc, e);
            }

            var target = method.IsStatic ? null : onDocument ? doc : host;
            try
            {
                return method.Invoke(target, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        });
    }
}
