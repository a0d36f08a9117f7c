using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>What an Open311 client does: form posts, JSON and XML reads, and the spec's error lists.</summary>
public static class Open311Client
{
    public const string Base = "/open311/v2";

    /// <summary>A key for a partner client of the county, issued by the county admin.</summary>
    public static async Task<string> IssueKeyAsync(ServiceFactory<GridModule> factory, string clientId = "county-hotline", string division = "321324")
    {
        using var admin = factory.CreateClient();
        var created = await admin.PostAsync("/api/v1/grid/open311/keys", new { clientId, name = "12345 热线", division }, HttpStatusCode.Created);
        return created.GetProperty("key").GetString()!;
    }

    /// <summary>The fields of a good request in village 321324104202, with <paramref name="changes"/> applied (null removes one).</summary>
    public static Dictionary<string, string> Request(string key, params (string Name, string? Value)[] changes)
    {
        var fields = new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "road-damage",
            ["lat"] = "33.4561",
            ["long"] = "118.2231",
            ["address_id"] = "321324104202",
            ["address_string"] = "王集村村委会东侧",
            ["description"] = "路面塌陷一处，约两米见方",
            ["media_url"] = "https://photos.example.test/road.jpg",
            ["email"] = "reporter@example.test",
            ["first_name"] = "Zhang",
            ["last_name"] = "San",
            ["phone"] = "13800001234",
            ["account_id"] = "acct-77",
        };
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                fields.Remove(name);
            }
            else
            {
                fields[name] = value;
            }
        }
        return fields;
    }

    public static async Task<(HttpStatusCode Status, string ContentType, string Body)> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", await response.Content.ReadAsStringAsync());
    }

    public static async Task<(HttpStatusCode Status, string ContentType, string Body)> GetTextAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs a JSON answer and asserts 200 and the content type.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var (status, type, body) = await GetTextAsync(client, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body}");
        Assert.Equal("application/json", type);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>GETs an XML answer and asserts 200, the content type and the root element.</summary>
    public static async Task<XElement> GetXmlAsync(HttpClient client, string path, string root)
    {
        var (status, type, body) = await GetTextAsync(client, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body}");
        Assert.Equal("text/xml", type);
        var document = XDocument.Parse(body);
        Assert.Equal(root, document.Root!.Name.LocalName);
        return document.Root;
    }

    /// <summary>Asserts the spec's JSON error list: each error's code is the status, and one description mentions <paramref name="mentions"/>.</summary>
    public static void AssertJsonErrors((HttpStatusCode Status, string ContentType, string Body) answer, HttpStatusCode expected, string mentions)
    {
        Assert.True(answer.Status == expected, $"expected {(int)expected}, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal("application/json", answer.ContentType);
        var errors = JsonDocument.Parse(answer.Body).RootElement;
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.NotEmpty(errors.EnumerateArray());
        Assert.All(errors.EnumerateArray(), e => Assert.Equal((int)expected, e.GetProperty("code").GetInt32()));
        Assert.Contains(errors.EnumerateArray(), e => e.GetProperty("description").GetString()!.Contains(mentions, StringComparison.Ordinal));
        Assert.DoesNotContain("\"title\"", answer.Body);
    }

    /// <summary>Asserts the spec's XML error list (<c>&lt;errors&gt;&lt;error&gt;&lt;code/&gt;&lt;description/&gt;</c>).</summary>
    public static void AssertXmlErrors((HttpStatusCode Status, string ContentType, string Body) answer, HttpStatusCode expected, string mentions)
    {
        Assert.True(answer.Status == expected, $"expected {(int)expected}, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal("text/xml", answer.ContentType);
        var root = XDocument.Parse(answer.Body).Root!;
        Assert.Equal("errors", root.Name.LocalName);
        var errors = root.Elements("error").ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Element("code")!.Value));
        Assert.Contains(errors, e => e.Element("description")!.Value.Contains(mentions, StringComparison.Ordinal));
    }

    public static async Task<int> CountCasesAsync(ServiceFactory<GridModule> factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridDbContext>().Cases.CountAsync();
    }

    public static async Task<GridCase> CaseAsync(ServiceFactory<GridModule> factory, string number)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GridDbContext>().Cases.AsNoTracking().Include(c => c.Steps).SingleAsync(c => c.Number == number);
    }
}
