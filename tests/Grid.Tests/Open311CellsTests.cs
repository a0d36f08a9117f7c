using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;
using static PracticeMesh.Grid.Tests.Open311Client;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// Open311 across grid cells: a partner's key issued or revoked in one cell is honoured in every cell, whatever the
/// order its events arrive in; a request's number names its township, so the gateway finds its cell with no lookup.
/// </summary>
public sealed class Open311CellsTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Issuing_and_revoking_a_key_tell_the_other_cells_its_hash_and_state()
    {
        var key = await IssueKeyAsync(factory, clientId: "cells-hotline");
        var id = Guid.ParseExact(key[..32], "N");

        var issued = await factory.PublishedAsync<Open311KeyChanged>(e => e.KeyId == id && e.RevokedAt == null);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), issued.Hash);
        Assert.DoesNotContain(key.Split('.')[1], JsonSerializer.Serialize(issued));
        Assert.Equal(("cells-hotline", "321324"), (issued.ClientId, issued.DivisionCode.Value));

        using var admin = factory.CreateClient();
        using var revoked = await admin.DeleteAsync($"/api/v1/grid/open311/keys/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        var revocation = await factory.PublishedAsync<Open311KeyChanged>(e => e.KeyId == id && e.RevokedAt != null);
        Assert.True(revocation.Version > issued.Version);
    }

    [Fact]
    public async Task A_key_another_cell_issued_is_honoured_and_its_revocation_wins_in_every_order()
    {
        using var client = factory.CreateAnonymousClient();
        var orders = EventOrders.Permutations([0, 1]).ToList();
        for (var i = 0; i < orders.Count; i++)
        {
            var (key, history) = KeyHistory($"other-cell-app-{i}");
            await factory.DeliverAsync([.. orders[i].Select(e => history[e]), history[orders[i][0]]]);

            AssertJsonErrors(await PostFormAsync(client, $"{Base}/requests.json", Request(key)), HttpStatusCode.Forbidden, "revoked");
        }

        var (issuedOnly, issuedHistory) = KeyHistory("other-cell-app");
        await factory.DeliverAsync([issuedHistory[0], issuedHistory[0]]);
        var posted = await PostFormAsync(client, $"{Base}/requests.json", Request(issuedOnly));
        Assert.True(posted.Status == HttpStatusCode.OK, posted.Body);
    }

    [Fact]
    public async Task A_new_request_number_names_its_township_and_finds_the_request()
    {
        var key = await IssueKeyAsync(factory, clientId: "number-app");
        using var client = factory.CreateAnonymousClient();

        var posted = await PostFormAsync(client, $"{Base}/requests.json", Request(key, ("lat", null), ("long", null)));

        Assert.True(posted.Status == HttpStatusCode.OK, posted.Body);
        var number = JsonDocument.Parse(posted.Body).RootElement[0].GetProperty("service_request_id").GetString()!;
        Assert.Matches(@"^\d{8}-321324104-[2-9A-HJ-NP-Z]{5}$", number);
        Assert.Equal(DivisionCode.Parse("321324104"), CaseNumber.TownshipOf(number));
        var found = await GetJsonAsync(client, $"{Base}/requests/{number}.json");
        Assert.Equal("321324104202", found[0].GetProperty("address_id").GetString());
    }

    [Theory]
    [InlineData("20261130-K7Q2M")]
    [InlineData("20261130-321324-K7Q2M")]
    [InlineData("20261130-321324104201-K7Q2")]
    [InlineData("20261130-32132410X-K7Q2M")]
    [InlineData("20261130-321324104-K7Q2O")]
    [InlineData("")]
    public void A_number_made_before_cells_or_misshapen_names_no_township(string number) => Assert.Null(CaseNumber.TownshipOf(number));

    /// <summary>A key issued in another cell (0) and its revocation (1), as that cell publishes them.</summary>
    private static (string Key, IIntegrationEvent[] History) KeyHistory(string clientId)
    {
        var id = Guid.CreateVersion7(T0);
        var key = $"{id:N}.{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var county = DivisionCode.Parse("321324");
        return (key,
        [
            new Open311KeyChanged(Guid.NewGuid(), T0, county, id, clientId, "另一单元的热线", hash, T0, "admin-b", null, 0),
            new Open311KeyChanged(Guid.NewGuid(), T0.AddHours(1), county, id, clientId, "另一单元的热线", hash, T0, "admin-b", T0.AddHours(1), 1),
        ]);
    }
}
