using System.Net;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>Grid on the real PostgreSQL, which cannot store a NUL character in text.</summary>
public sealed class PostgresGridFactory() : PostgresServiceFactory<GridModule>("grid");

/// <summary>Text PostgreSQL cannot store is refused where it enters, as a 400 naming the field, never a 500 from the database.</summary>
public sealed class InputValidationTests(PostgresGridFactory factory) : IClassFixture<PostgresGridFactory>
{
    private const string Path = "/api/v1/grid/grids";

    [Fact]
    public async Task A_nul_character_in_a_body_or_query_is_a_400_naming_the_field()
    {
        await factory.VillagesAsync("321324104201");
        using var client = factory.CreateClient();

        HttpAssertions.AssertNamesInvalid(await client.PostAsync(Path,
            new { villageCode = "321324104201", parentCode = "a\u0000b", serial = 1, name = "A" }, HttpStatusCode.BadRequest), "parentCode");
        HttpAssertions.AssertNamesInvalid(await client.PostAsync(Path,
            new { villageCode = "321324104201", serial = 1, name = "第一\u0000网格" }, HttpStatusCode.BadRequest), "name");
        // An unpaired surrogate has no UTF-8 form: refused the same way, whatever the serializer would make of it.
        HttpAssertions.AssertNamesInvalid(await client.PostRawAsync(Path,
            """{"villageCode":"321324104201","serial":1,"name":"\ud800"}""", HttpStatusCode.BadRequest), "name");
        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"{Path}?under=%00", HttpStatusCode.BadRequest), "under");

        // Nothing was stored, and ordinary text still is.
        await client.PostAsync(Path, new { villageCode = "321324104201", serial = 1, name = "第一网格" }, HttpStatusCode.Created);
        Assert.Single(await client.GetAsync<List<System.Text.Json.JsonElement>>($"{Path}?under=321324104201"));
    }
}
