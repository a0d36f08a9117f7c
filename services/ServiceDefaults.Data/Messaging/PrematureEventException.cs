namespace PracticeMesh.ServiceDefaults.Messaging;

/// <summary>
/// Thrown by a consumer for an event that depends on another not applied here yet (a correction before its
/// completion, a suspension before the approval): events on different queues arrive in any order. The message is not
/// acknowledged: it is retried and redelivered (<c>Messaging:RetryIntervals</c>, <c>Messaging:RedeliveryIntervals</c>),
/// which lets it succeed once its predecessor has arrived, and if that never happens it lands in the endpoint's
/// <c>_error</c> queue for an operator to see and replay. Never catch it to skip the event.
/// </summary>
public sealed class PrematureEventException(string message) : Exception(message);
