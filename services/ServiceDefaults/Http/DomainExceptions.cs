namespace PracticeMesh.ServiceDefaults;

/// <summary>A request broke a rule on one or more named fields: 400 with the field names.</summary>
public sealed class DomainValidationException(IDictionary<string, string[]> errors)
    : Exception(string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))))
{
    public DomainValidationException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    public IDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The record asked for does not exist (or is outside the caller's reach): 404.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The request clashes with the record's current state or with another record: 409.</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>The caller may not do this here (outside their division scope): 403.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
