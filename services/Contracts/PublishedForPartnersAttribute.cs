namespace PracticeMesh.Contracts;

/// <summary>
/// Marks an integration event that no service of the platform consumes: it is published for partner systems (the
/// county's volunteer-service platform, notification and reporting systems subscribed to the broker). Every other
/// event must have a consumer; a test holds the two lists complete, so an event a service relies on cannot go unheard.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PublishedForPartnersAttribute(string reason) : Attribute
{
    /// <summary>Who reads it and why no service here needs it.</summary>
    public string Reason { get; } = reason;
}
