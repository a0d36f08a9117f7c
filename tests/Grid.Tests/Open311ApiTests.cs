using System.Net;
using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using static PracticeMesh.Grid.Tests.Open311Client;

namespace PracticeMesh.Grid.Tests;

/// <summary>Open311 GeoReport v2 on the grid service: each endpoint in JSON and XML, and its errors in the spec's format.</summary>
public sealed class Open311ApiTests(GridFactory factory) : IClassFixture<GridFactory>
{
    /// <summary>Every field of a service request the spec defines, and nothing else (nothing about the reporter).</summary>
    private static readonly string[] RequestFields =
    [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
        "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
        "lat", "long", "media_url",
    ];

    [Fact]
    public async Task Discovery_names_the_endpoint_and_its_formats_in_json_and_xml()
    {
        using var client = factory.CreateAnonymousClient();

        var json = await GetJsonAsync(client, $"{Base}/discovery.json");
        var xml = await GetXmlAsync(client, $"{Base}/discovery.xml", "discovery");

        var endpoint = Assert.Single(json.GetProperty("endpoints").EnumerateArray());
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", endpoint.GetProperty("specification").GetString());
        Assert.Equal("http://localhost/open311/v2", endpoint.GetProperty("url").GetString());
        Assert.Equal(["text/xml", "application/json"], endpoint.GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        Assert.EndsWith("+08:00", json.GetProperty("changeset").GetString());
        Assert.Contains("/api/v1/grid/open311/keys", json.GetProperty("key_service").GetString());
        var xmlEndpoint = Assert.Single(xml.Element("endpoints")!.Elements("endpoint"));
        Assert.Equal("production", xmlEndpoint.Element("type")!.Value);
        Assert.Equal(["text/xml", "application/json"], xmlEndpoint.Element("formats")!.Elements("format").Select(f => f.Value));
    }

    [Fact]
    public async Task Services_are_the_active_case_categories_in_json_and_xml()
    {
        using var client = factory.CreateAnonymousClient();

        var json = await GetJsonAsync(client, $"{Base}/services.json");
        var xml = await GetXmlAsync(client, $"{Base}/services.xml", "services");

        var codes = json.EnumerateArray().Select(s => s.GetProperty("service_code").GetString()).ToList();
        Assert.Equal(["dispute", "help-request", "illegal-construction", "other", "public-facility", "road-damage", "safety-hazard", "sanitation"], codes);
        var sanitation = json.EnumerateArray().Single(s => s.GetProperty("service_code").GetString() == "sanitation");
        Assert.Equal("环境卫生", sanitation.GetProperty("service_name").GetString());
        Assert.False(sanitation.GetProperty("metadata").GetBoolean());
        Assert.Equal("realtime", sanitation.GetProperty("type").GetString());
        Assert.Contains("环境卫生", sanitation.GetProperty("keywords").GetString());
        Assert.False(string.IsNullOrEmpty(sanitation.GetProperty("group").GetString()));
        var services = xml.Elements("service").ToList();
        Assert.Equal(codes, services.Select(s => s.Element("service_code")!.Value));
        Assert.Equal("false", services[0].Element("metadata")!.Value);
    }

    [Fact]
    public async Task A_service_definition_has_no_attributes_and_an_unknown_service_is_404_in_the_spec_format()
    {
        using var client = factory.CreateAnonymousClient();

        var json = await GetJsonAsync(client, $"{Base}/services/road-damage.json");
        var xml = await GetXmlAsync(client, $"{Base}/services/road-damage.xml", "service_definition");

        Assert.Equal("road-damage", json.GetProperty("service_code").GetString());
        Assert.Empty(json.GetProperty("attributes").EnumerateArray());
        Assert.Equal("road-damage", xml.Element("service_code")!.Value);
        AssertJsonErrors(await GetTextAsync(client, $"{Base}/services/potholes.json"), HttpStatusCode.NotFound, "potholes");
        AssertXmlErrors(await GetTextAsync(client, $"{Base}/services/potholes.xml"), HttpStatusCode.NotFound, "potholes");
    }

    [Fact]
    public async Task A_partner_posts_a_request_and_it_becomes_a_case_reported_by_the_partner()
    {
        var key = await IssueKeyAsync(factory, clientId: "hotline-post");
        using var client = factory.CreateAnonymousClient();

        var answer = await PostFormAsync(client, $"{Base}/requests.json", Request(key));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        var posted = Assert.Single(JsonDocument.Parse(answer.Body).RootElement.EnumerateArray());
        var number = posted.GetProperty("service_request_id").GetString()!;
        Assert.Equal("acct-77", posted.GetProperty("account_id").GetString());
        Assert.Contains("321324104202", posted.GetProperty("service_notice").GetString());
        var saved = await CaseAsync(factory, number);
        Assert.Equal(saved.FollowToken.ToString(), posted.GetProperty("token").GetString());
        Assert.Equal((CaseSource.Partner, "hotline-post", (string?)null), (saved.Source, saved.PartnerClientId, saved.ReporterId));
        Assert.Equal(("321324104202", "road-damage", "王集村村委会东侧"), (saved.DivisionCode.Value, saved.CategoryCode, saved.Address));
        Assert.Equal(["https://photos.example.test/road.jpg"], saved.Media);
        Assert.Equal(PracticeMeshRoles.Partner, Assert.Single(saved.Steps).ActorRole);
        await factory.PublishedAsync<CaseReported>(e => e.CaseNumber == number && e.Source == CaseSource.Partner);
    }

    [Fact]
    public async Task A_request_reads_back_with_the_spec_fields_only_in_json_and_xml()
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();
        var posted = await PostFormAsync(client, $"{Base}/requests.json", Request(key));
        var number = JsonDocument.Parse(posted.Body).RootElement[0].GetProperty("service_request_id").GetString()!;

        var json = Assert.Single((await GetJsonAsync(client, $"{Base}/requests/{number}.json")).EnumerateArray());
        var xml = Assert.Single((await GetXmlAsync(client, $"{Base}/requests/{number}.xml", "service_requests")).Elements("request"));

        Assert.Equal(RequestFields, json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(RequestFields, xml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(number, json.GetProperty("service_request_id").GetString());
        Assert.Equal("open", json.GetProperty("status").GetString());
        Assert.Equal("道路破损", json.GetProperty("service_name").GetString());
        Assert.Equal("321324104202", json.GetProperty("agency_responsible").GetString());
        var reported = json.GetProperty("requested_datetime").GetString()!;
        Assert.Equal(factory.Clock.GetUtcNow(), DateTimeOffset.Parse(reported, System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("+08:00", reported);
        Assert.EndsWith("+08:00", json.GetProperty("expected_datetime").GetString());
        Assert.Equal((33.4561, 118.2231), (json.GetProperty("lat").GetDouble(), json.GetProperty("long").GetDouble()));
        Assert.Equal("https://photos.example.test/road.jpg", json.GetProperty("media_url").GetString());
        Assert.Equal("321324104202", json.GetProperty("address_id").GetString());
        Assert.Equal("open", xml.Element("status")!.Value);
        Assert.Equal(reported, xml.Element("requested_datetime")!.Value);
        // The reporter's contact details were not kept, so no read can show them.
        Assert.DoesNotContain("13800001234", json.GetRawText());
        Assert.DoesNotContain("reporter@example.test", xml.ToString());
    }

    [Fact]
    public async Task A_request_posted_as_xml_answers_in_xml_and_its_token_finds_it()
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();

        var answer = await PostFormAsync(client, $"{Base}/requests.xml", Request(key, ("service_code", "sanitation")));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        Assert.Equal("text/xml", answer.ContentType);
        var request = Assert.Single(System.Xml.Linq.XDocument.Parse(answer.Body).Root!.Elements("request"));
        var number = request.Element("service_request_id")!.Value;
        var token = request.Element("token")!.Value;
        var json = Assert.Single((await GetJsonAsync(client, $"{Base}/tokens/{token}.json")).EnumerateArray());
        var xml = Assert.Single((await GetXmlAsync(client, $"{Base}/tokens/{token}.xml", "service_requests")).Elements("request"));
        Assert.Equal((number, token), (json.GetProperty("service_request_id").GetString(), json.GetProperty("token").GetString()));
        Assert.Equal(number, xml.Element("service_request_id")!.Value);
    }

    [Fact]
    public async Task Unknown_tokens_requests_paths_and_formats_are_404_in_the_spec_format()
    {
        using var client = factory.CreateAnonymousClient();

        AssertJsonErrors(await GetTextAsync(client, $"{Base}/tokens/{Guid.NewGuid()}.json"), HttpStatusCode.NotFound, "token");
        AssertXmlErrors(await GetTextAsync(client, $"{Base}/tokens/not-a-token.xml"), HttpStatusCode.NotFound, "token");
        AssertJsonErrors(await GetTextAsync(client, $"{Base}/requests/20260304-ZZZZZ.json"), HttpStatusCode.NotFound, "20260304-ZZZZZ");
        AssertXmlErrors(await GetTextAsync(client, $"{Base}/requests/20260304-ZZZZZ.xml"), HttpStatusCode.NotFound, "20260304-ZZZZZ");
        AssertJsonErrors(await GetTextAsync(client, $"{Base}/services.html"), HttpStatusCode.NotFound, "html");
        AssertXmlErrors(await GetTextAsync(client, $"{Base}/nothing-here.xml"), HttpStatusCode.NotFound, "discovery");
        using var delete = await client.DeleteAsync($"{Base}/services.json");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        Assert.Equal("application/json", delete.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string?, string, string> BadRequests => new()
    {
        // field changed, its new value (null: left out), what the error names, and the format
        { "service_code", null, "service_code", "json" },
        { "service_code", null, "service_code", "xml" },
        { "service_code", "potholes", "service_code", "json" },
        { "description", null, "description", "json" },
        { "long", null, "lat and long", "json" },
        { "lat", "north", "lat", "xml" },
        { "address_id", "321324104", "address_id", "json" },
        { "media_url", "ftp://photos.example.test/x.jpg", "media_url", "json" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_400_in_the_spec_format_and_nothing_is_written(string field, string? value, string mentions, string format)
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();
        var before = await CountCasesAsync(factory);

        var answer = await PostFormAsync(client, $"{Base}/requests.{format}", Request(key, (field, value)));

        if (format == "xml")
        {
            AssertXmlErrors(answer, HttpStatusCode.BadRequest, mentions);
        }
        else
        {
            AssertJsonErrors(answer, HttpStatusCode.BadRequest, mentions);
        }
        Assert.Equal(before, await CountCasesAsync(factory));
    }

    [Fact]
    public async Task A_request_with_no_location_is_400_and_so_is_an_address_string_alone()
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();
        var before = await CountCasesAsync(factory);

        var nowhere = await PostFormAsync(client, $"{Base}/requests.json", Request(key, ("lat", null), ("long", null), ("address_id", null), ("address_string", null)));
        var addressOnly = await PostFormAsync(client, $"{Base}/requests.xml", Request(key, ("lat", null), ("long", null), ("address_id", null)));
        // lat and long outside every grid, with no village to give it to (the partner's key is the county's).
        var outsideGrids = await PostFormAsync(client, $"{Base}/requests.json", Request(key, ("address_id", null)));

        AssertJsonErrors(nowhere, HttpStatusCode.BadRequest, "location");
        AssertXmlErrors(addressOnly, HttpStatusCode.BadRequest, "location");
        AssertJsonErrors(outsideGrids, HttpStatusCode.BadRequest, "location");
        Assert.Equal(before, await CountCasesAsync(factory));
    }

    [Fact]
    public async Task A_request_without_a_valid_key_is_403_in_the_spec_format_and_nothing_is_written()
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();
        var before = await CountCasesAsync(factory);
        var forged = key[..^4] + (key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        AssertJsonErrors(await PostFormAsync(client, $"{Base}/requests.json", Request(key, ("api_key", null))), HttpStatusCode.Forbidden, "api_key");
        AssertJsonErrors(await PostFormAsync(client, $"{Base}/requests.json", Request(forged)), HttpStatusCode.Forbidden, "api_key");
        AssertXmlErrors(await PostFormAsync(client, $"{Base}/requests.xml", Request("not-a-key")), HttpStatusCode.Forbidden, "api_key");
        // A bearer token is no key: partners post with their key.
        using var partner = factory.CreateClient(PracticeMeshRoles.Partner, "321324", [ApiScopes.GridReport]);
        AssertJsonErrors(await PostFormAsync(partner, $"{Base}/requests.json", Request(key, ("api_key", null))), HttpStatusCode.Forbidden, "api_key");
        Assert.Equal(before, await CountCasesAsync(factory));
    }

    [Fact]
    public async Task A_township_key_cannot_report_in_another_township()
    {
        var key = await IssueKeyAsync(factory, clientId: "township-app", division: "321324105");
        using var client = factory.CreateAnonymousClient();
        var before = await CountCasesAsync(factory);

        var answer = await PostFormAsync(client, $"{Base}/requests.json", Request(key, ("lat", null), ("long", null)));

        AssertJsonErrors(answer, HttpStatusCode.Forbidden, "321324104202");
        Assert.Equal(before, await CountCasesAsync(factory));
    }

    [Fact]
    public async Task A_json_body_is_400_in_the_spec_format()
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();

        using var response = await client.PostAsync($"{Base}/requests.json",
            new StringContent(JsonSerializer.Serialize(Request(key)), System.Text.Encoding.UTF8, "application/json"));

        AssertJsonErrors((response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", await response.Content.ReadAsStringAsync()),
            HttpStatusCode.BadRequest, "x-www-form-urlencoded");
    }

    [Fact]
    public async Task Unstorable_text_is_400_in_the_spec_format_in_a_query_and_in_a_form()
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();
        var before = await CountCasesAsync(factory);

        AssertJsonErrors(await GetTextAsync(client, $"{Base}/requests.json?service_code=road%00damage"), HttpStatusCode.BadRequest, "service_code");
        AssertXmlErrors(await PostFormAsync(client, $"{Base}/requests.xml", Request(key, ("description", "坑\0洼"))), HttpStatusCode.BadRequest, "form");
        Assert.Equal(before, await CountCasesAsync(factory));
    }

    [Fact]
    public async Task The_api_document_lists_the_open311_endpoints_and_the_keys()
    {
        using var client = factory.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        var paths = System.Text.Json.JsonDocument.Parse(document).RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/open311/v2/requests.{format}", out var requests), document);
        Assert.True(requests.TryGetProperty("get", out _) && requests.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/open311/v2/tokens/{token}.{format}", out _));
        Assert.True(paths.TryGetProperty("/api/v1/grid/open311/keys", out _) || paths.TryGetProperty("/api/v1/grid/open311/keys/", out _));
    }

    [Fact]
    public async Task A_description_with_control_characters_still_reads_back_as_well_formed_xml()
    {
        var key = await IssueKeyAsync(factory);
        using var client = factory.CreateAnonymousClient();
        var posted = await PostFormAsync(client, $"{Base}/requests.json", Request(key, ("description", "路灯\u0001不亮")));
        var number = JsonDocument.Parse(posted.Body).RootElement[0].GetProperty("service_request_id").GetString()!;

        var xml = Assert.Single((await GetXmlAsync(client, $"{Base}/requests/{number}.xml", "service_requests")).Elements("request"));

        Assert.Equal("路灯\uFFFD不亮", xml.Element("description")!.Value);
    }
}
