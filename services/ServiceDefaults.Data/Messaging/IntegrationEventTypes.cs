using System.Collections.Concurrent;
using System.Reflection;
using MassTransit;
using PracticeMesh.Contracts;

namespace PracticeMesh.ServiceDefaults.Messaging;

/// <summary>
/// The integration event types a process knows, by the name an outbox row stores: the event's message URN, which is
/// also what the bus calls it on the wire (<c>urn:message:PracticeMesh.Contracts.Events.V1:StationRegistered</c>). A
/// class renamed keeps its URN with <see cref="MessageUrnAttribute"/> (consumers on other versions need it to anyway),
/// so rows written before the rename are still read. Holds every event of Contracts and of the hosted modules'
/// assemblies; rows written as "full name, assembly" (before URNs) are read too.
/// </summary>
public static class IntegrationEventTypes
{
    private static readonly ConcurrentDictionary<string, Type> ByName = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Assembly, bool> Scanned = new();

    static IntegrationEventTypes() => RegisterAssembly(typeof(IIntegrationEvent).Assembly);

    /// <summary>The name an outbox row stores for <paramref name="type"/>; the type is known from then on.</summary>
    public static string NameOf(Type type)
    {
        var urn = MessageUrn.ForTypeString(type);
        ByName.TryAdd(urn, type);
        return urn;
    }

    /// <summary>Registers every concrete integration event type of an assembly.</summary>
    public static void RegisterAssembly(Assembly assembly)
    {
        if (!Scanned.TryAdd(assembly, true))
        {
            return;
        }
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = [.. ex.Types.OfType<Type>()];
        }
        foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(IIntegrationEvent).IsAssignableFrom(t)))
        {
            NameOf(type);
        }
    }

    /// <summary>The type a stored name stands for, or null when this process knows no such event.</summary>
    public static Type? Resolve(string name)
    {
        if (ByName.TryGetValue(name, out var type))
        {
            return type;
        }
        if (name.StartsWith(MessageUrn.Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        // A row from before URNs: "full name, assembly".
        var found = Type.GetType(name, throwOnError: false);
        return found is not null && typeof(IIntegrationEvent).IsAssignableFrom(found) ? found : null;
    }
}
