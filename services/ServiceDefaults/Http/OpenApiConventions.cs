using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PracticeMesh.ServiceDefaults.Http;

/// <summary>
/// How every host documents its API: schema names unique across services, and a structured example body on every
/// operation that takes JSON.
/// </summary>
public static class OpenApiConventions
{
    private const string DescriptionExample = "Example: ";

    public static void Configure(OpenApiOptions options)
    {
        // Two services may each have a CorrectionRequest: the standalone host documents every module in one
        // document and the gateway merges the services' documents, so a service's own types carry its name.
        options.CreateSchemaReferenceId = type =>
            OpenApiOptions.CreateDefaultSchemaReferenceId(type) is { } id ? ServiceOf(type.Type) + id : null;
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var json) == true && json.Example is null
                && ExampleOf(context.Description.ActionDescriptor.EndpointMetadata, operation.Description) is { } example)
            {
                json.Example = example;
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>A structured example of the request body, for the API document (and for trying the call).</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, string json) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestExample(JsonNode.Parse(json) ?? throw new ArgumentException("An example body is JSON.", nameof(json))));

    /// <summary>The service a type belongs to (<c>PracticeMesh.Volunteers</c> → <c>Volunteers</c>); shared types have none.</summary>
    private static string ServiceOf(Type type)
    {
        var assembly = type.Assembly.GetName().Name ?? "";
        const string Root = "PracticeMesh.";
        return assembly.StartsWith(Root, StringComparison.Ordinal) && assembly is not "PracticeMesh.Contracts" and not "PracticeMesh.ServiceDefaults"
            ? assembly[Root.Length..].Replace(".", "", StringComparison.Ordinal)
            : "";
    }

    /// <summary>The endpoint's example; else one written in its description as <c>Example: {…}</c>.</summary>
    private static JsonNode? ExampleOf(IList<object> metadata, string? description)
    {
        if (metadata.OfType<RequestExample>().LastOrDefault() is { } declared)
        {
            return declared.Body.DeepClone();
        }
        var at = description?.IndexOf(DescriptionExample + "{", StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return null;
        }
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(description![(at + DescriptionExample.Length)..]),
            new JsonReaderOptions { AllowTrailingCommas = false });
        try
        {
            // Reads exactly one JSON object; the prose after it is left alone.
            return JsonNode.Parse(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record RequestExample(JsonNode Body);
}

/// <summary>
/// The compile-time request delegate generator describes a handler that takes its services as one
/// <c>[AsParameters]</c> bundle and reads no body as having a body of type <see cref="void"/>, which the OpenAPI
/// document cannot describe (the document then fails to build). Such a "parameter" binds nothing: drop it.
/// </summary>
internal sealed class NoVoidBodies : Microsoft.AspNetCore.Mvc.ApiExplorer.IApiDescriptionProvider
{
    public int Order => 0;

    public void OnProvidersExecuting(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescriptionProviderContext context)
    {
    }

    public void OnProvidersExecuted(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            for (var i = description.ParameterDescriptions.Count - 1; i >= 0; i--)
            {
                if (description.ParameterDescriptions[i].Type == typeof(void))
                {
                    description.ParameterDescriptions.RemoveAt(i);
                }
            }
        }
    }
}
