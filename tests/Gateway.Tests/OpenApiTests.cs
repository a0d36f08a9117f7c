using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Gateway.Tests;

/// <summary>Stations and volunteers serve a document each; every other service is down.</summary>
public sealed class OpenApiFixture : IAsyncLifetime
{
    private const string StationsDocument = """
        {
          "openapi": "3.1.1",
          "info": { "title": "PracticeMesh.Stations | v1", "version": "1.0.0" },
          "servers": [ { "url": "http://stations:8080/" } ],
          "paths": {
            "/api/v1/stations": { "get": { "tags": ["Stations"], "responses": { "200": { "description": "OK",
              "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Station" } } } } } } }
          },
          "components": { "schemas": {
            "Station": { "type": "object", "properties": { "code": { "$ref": "#/components/schemas/Code" } } },
            "Code": { "type": "string", "pattern": "^[0-9]{12}$" },
            "ProblemDetails": { "type": "object", "properties": { "title": { "type": "string" } } }
          } },
          "tags": [ { "name": "Stations" } ]
        }
        """;

    private const string VolunteersDocument = """
        {
          "openapi": "3.1.1",
          "info": { "title": "PracticeMesh.Volunteers | v1", "version": "1.0.0" },
          "paths": {
            "/api/v1/volunteers": { "post": { "tags": ["Volunteers"], "responses": { "201": { "description": "Created",
              "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Volunteer" } } } } } } }
          },
          "components": { "schemas": {
            "Volunteer": { "type": "object", "properties": { "code": { "$ref": "#/components/schemas/Code" } } },
            "Code": { "type": "string", "maxLength": 18 },
            "ProblemDetails": { "type": "object", "properties": { "title": { "type": "string" } } }
          } },
          "tags": [ { "name": "Volunteers" } ]
        }
        """;

    private EchoBackend stations = null!;
    private EchoBackend volunteers = null!;

    public WebApplicationFactory<GatewayMarker> Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        stations = await EchoBackend.StartAsync(StationsDocument);
        volunteers = await EchoBackend.StartAsync(VolunteersDocument);
        // Port 1 on loopback refuses connections: those services are down.
        var settings = GatewayHost.Settings(new Uri("http://127.0.0.1:1/"));
        settings["ReverseProxy:Clusters:stations:Destinations:primary:Address"] = stations.Address.ToString();
        settings["ReverseProxy:Clusters:volunteers:Destinations:primary:Address"] = volunteers.Address.ToString();
        Gateway = GatewayHost.Create(settings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await stations.DisposeAsync();
        await volunteers.DisposeAsync();
    }
}

public sealed class OpenApiTests(OpenApiFixture fixture) : IClassFixture<OpenApiFixture>
{
    [Fact]
    public async Task The_gateway_serves_one_document_merged_from_the_services_that_are_up()
    {
        var document = await GetDocumentAsync();

        var paths = document["paths"]!.AsObject();
        Assert.Equal(["/api/v1/stations", "/api/v1/volunteers"], paths.Select(p => p.Key).Order());
        var schemas = document["components"]!["schemas"]!.AsObject();
        // Identical definitions are kept once; different ones with the same name are prefixed by their service.
        Assert.Equal(["Code", "ProblemDetails", "Station", "Volunteer", "VolunteersCode"], schemas.Select(s => s.Key).Order());
        Assert.Equal("#/components/schemas/VolunteersCode", schemas["Volunteer"]!["properties"]!["code"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/Code", schemas["Station"]!["properties"]!["code"]!["$ref"]!.GetValue<string>());
        Assert.Equal(18, schemas["VolunteersCode"]!["maxLength"]!.GetValue<int>());
        Assert.Equal(["Stations", "Volunteers"], document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task The_document_describes_how_to_get_and_send_a_token()
    {
        var document = await GetDocumentAsync();

        var schemes = document["components"]!["securitySchemes"]!;
        var clientCredentials = schemes["oauth2"]!["flows"]!["clientCredentials"]!;
        Assert.Equal("oauth2", schemes["oauth2"]!["type"]!.GetValue<string>());
        Assert.Equal("http://localhost/connect/token", clientCredentials["tokenUrl"]!.GetValue<string>());
        Assert.Equal(ApiScopes.All.Order(), clientCredentials["scopes"]!.AsObject().Select(s => s.Key).Order());
        Assert.Equal("bearer", schemes["bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal(2, document["security"]!.AsArray().Count);
        // Calls are tried through the gateway, not at the services' internal addresses.
        Assert.Equal("http://localhost", document["servers"]![0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_document_needs_no_token()
    {
        using var client = fixture.Gateway.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_reference_page_is_html_without_the_api_content_policy()
    {
        using var client = fixture.Gateway.CreateClient();

        using var response = await client.GetAsync("/docs");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        // Scalar resolves the document against the page's origin: the merged document, not one under /docs.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        Assert.Contains("oauth2", html);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
    }

    private async Task<JsonObject> GetDocumentAsync()
    {
        using var client = fixture.Gateway.CreateClient();
        return (await JsonNode.ParseAsync(await client.GetStreamAsync("/openapi/v1.json")))!.AsObject();
    }
}
