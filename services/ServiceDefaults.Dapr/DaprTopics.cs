using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace PracticeMesh.ServiceDefaults.Dapr;

/// <summary>
/// Topic endpoints: how a delivered CloudEvent is named, and the answers of Dapr's subscription contract (an HTTP 200
/// whose <c>status</c> says what daprd does next).
/// </summary>
public static class DaprTopics
{
    public const string IdProperty = "id";
    public const string SourceProperty = "source";
    public const string TypeProperty = "type";

    /// <summary>The header the CloudEvents middleware forwards a property as (<c>Cloudevent.id</c>).</summary>
    public static string HeaderOf(string property) => "Cloudevent." + property;

    /// <summary>Handled (or handled before): daprd acknowledges it.</summary>
    public static IResult Success() => Status("SUCCESS");

    /// <summary>Not handled for a reason that may pass (the database unreachable): daprd delivers it again, by its resiliency policy.</summary>
    public static IResult Retry() => Status("RETRY");

    /// <summary>Never handleable (unreadable, invalid, outside the partner's reach): daprd drops it (to the dead-letter topic if one is set).</summary>
    public static IResult Drop() => Status("DROP");

    private static IResult Status(string status) => Results.Json(new { status });

    /// <summary>The delivered CloudEvent's id and source, or null when the request carries none (it did not come as a CloudEvent).</summary>
    public static (string Id, string Source)? CloudEventOf(HttpRequest request)
    {
        var id = request.Headers[HeaderOf(IdProperty)].ToString();
        var source = request.Headers[HeaderOf(SourceProperty)].ToString();
        return string.IsNullOrWhiteSpace(id) ? null : (id, source);
    }

    /// <summary>
    /// The inbox key of a CloudEvent. CloudEvents are unique by source and id, and a partner's id need not be a Guid,
    /// so the key is a name-based Guid of both (SHA-256, version 8): the same event always gives the same key.
    /// </summary>
    public static Guid InboxIdOf(string id, string source)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + id), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// When the sidecar is given an app token (<c>APP_API_TOKEN</c>, from a Kubernetes secret), it sends it with every
    /// delivery as <c>dapr-api-token</c>: a topic endpoint then answers 401 to any caller without it.
    /// </summary>
    public static TBuilder RequireDaprAppToken<TBuilder>(this TBuilder endpoint, IConfiguration configuration) where TBuilder : IEndpointConventionBuilder
    {
        var token = configuration["APP_API_TOKEN"];
        if (string.IsNullOrEmpty(token))
        {
            return endpoint;
        }
        var expected = Encoding.UTF8.GetBytes(token);
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var sent = Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers["dapr-api-token"].ToString());
            return CryptographicOperations.FixedTimeEquals(sent, expected) ? await next(context) : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A Dapr app token is required.");
        });
        return endpoint;
    }
}
