using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Identity.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Identity.Tests;

/// <summary>The audit trail: kept from AuditRecorded once per event, queried by county admins within their scope.</summary>
public sealed class AuditTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private AuditRecorded Record(string division, string? subject = null, TimeSpan? ago = null)
    {
        var at = factory.Clock.GetUtcNow() - (ago ?? TimeSpan.Zero);
        return new AuditRecorded(Guid.NewGuid(), at, DivisionCode.Parse(division), "stations", "POST /api/v1/stations", null,
            subject ?? Guid.NewGuid().ToString(), "测试管理员", PracticeMeshRoles.TownshipAdmin, null, "127.0.0.1", "tests", Guid.NewGuid().ToString());
    }

    private async Task DeliverAsync(AuditRecorded record, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            await factory.Harness.Bus.Publish(record);
        }
        await factory.ConsumedAsync<AuditRecorded>(m => m.EventId == record.EventId, times);
    }

    private async Task<int> CountAsync(Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDbContext>().AuditEntries.CountAsync(e => e.Id == id);
    }

    [Fact]
    public async Task An_event_delivered_twice_is_kept_once()
    {
        var record = Record("321324104");
        await DeliverAsync(record, times: 2);
        Assert.Equal(1, await CountAsync(record.EventId));
    }

    [Fact]
    public async Task County_admins_query_their_county_newest_first_and_others_are_refused()
    {
        var subject = Guid.NewGuid().ToString();
        var older = Record("321324104", subject, TimeSpan.FromMinutes(10));
        var newer = Record("321324105", subject, TimeSpan.FromMinutes(5));
        var elsewhere = Record("321323101", subject, TimeSpan.FromMinutes(1));
        await DeliverAsync(older);
        await DeliverAsync(newer);
        await DeliverAsync(elsewhere);

        using var admin = factory.CreateClient();
        var page = await admin.GetAsync($"/api/v1/audit?subject={subject}", HttpStatusCode.OK);
        var ids = page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([newer.EventId, older.EventId], ids);

        var township = await admin.GetAsync($"/api/v1/audit?subject={subject}&under=321324104", HttpStatusCode.OK);
        Assert.Equal([older.EventId], township.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));

        var from = Uri.EscapeDataString(factory.Clock.GetUtcNow().AddMinutes(-7).ToString("O"));
        var recent = await admin.GetAsync($"/api/v1/audit?subject={subject}&from={from}", HttpStatusCode.OK);
        Assert.Equal([newer.EventId], recent.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));

        var first = await admin.GetAsync($"/api/v1/audit?subject={subject}&limit=1", HttpStatusCode.OK);
        Assert.Equal(1, first.GetProperty("nextOffset").GetInt32());
        var second = await admin.GetAsync($"/api/v1/audit?subject={subject}&limit=1&offset=1", HttpStatusCode.OK);
        Assert.Equal(older.EventId, Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextOffset").ValueKind);

        using var townshipAdmin = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        await townshipAdmin.GetAsync("/api/v1/audit", HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("under=32x", "under")]
    [InlineData("from=2026-03-05T00:00:00Z&to=2026-03-04T00:00:00Z", "from")]
    public async Task Bad_queries_are_refused_with_the_field_named(string query, string field)
    {
        using var admin = factory.CreateClient();
        var problem = await admin.GetAsync($"/api/v1/audit?{query}", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task The_identity_services_own_admin_writes_reach_the_trail()
    {
        using var admin = factory.CreateClient();
        var userName = $"audited.{Guid.NewGuid():N}"[..20];
        await admin.PostAsync("/api/v1/identity/people",
            new { userName, displayName = "李四", password = "correct-horse-1", role = PracticeMeshRoles.Resident, division = "321324104202" },
            HttpStatusCode.Created);

        var recorded = await factory.PublishedAsync<AuditRecorded>(m => m.Service == "identity" && m.Action == "POST /api/v1/identity/people");
        await factory.ConsumedAsync<AuditRecorded>(m => m.EventId == recorded.EventId);
        Assert.Equal(1, await CountAsync(recorded.EventId));
        Assert.DoesNotContain("correct-horse-1", recorded.ToString());
    }
}
