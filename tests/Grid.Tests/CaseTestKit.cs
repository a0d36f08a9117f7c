using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Grids;
using PracticeMesh.Grid.People;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// What the case tests set up: a village the registry knows, its grids, grid workers with assignments (as the people
/// feature records them), and clients acting as a grid worker, a resident or staff.
/// </summary>
internal static class CaseTestKit
{
    public const string Cases = "/api/v1/grid/cases";

    /// <summary>A level-2 grid in <paramref name="village"/>, the village made known first as the registry's events would.</summary>
    public static async Task<string> GridAsync(this ServiceFactory<GridModule> factory, string village, int serial = 1)
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
            var code = DivisionCode.Parse(village);
            if (!await db.Villages.AnyAsync(v => v.Code == code))
            {
                db.Villages.Add(new KnownVillage(code, $"{village}村", factory.Clock.GetUtcNow()));
                await db.SaveChangesAsync();
            }
        }
        using var county = factory.CreateClient();
        var grid = await county.PostAsync("/api/v1/grid/grids", new { villageCode = village, serial, name = $"第{serial}网格" }, HttpStatusCode.Created);
        return grid.GetProperty("code").GetString()!;
    }

    /// <summary>A person holding <paramref name="duty"/> in the grid from <paramref name="from"/> (default: a month ago) to <paramref name="until"/>.</summary>
    public static async Task<Guid> WorkerAsync(this ServiceFactory<GridModule> factory, string gridCode, string name = "网格员",
        DateOnly? from = null, DateOnly? until = null, GridDuty duty = GridDuty.Worker)
    {
        var person = Guid.NewGuid();
        await factory.AssignAsync(gridCode, person, name, from, until, duty);
        return person;
    }

    /// <summary>An assignment of <paramref name="person"/> to the grid (a second grid for someone <see cref="WorkerAsync"/> made, say).</summary>
    public static async Task AssignAsync(this ServiceFactory<GridModule> factory, string gridCode, Guid person, string name = "网格员",
        DateOnly? from = null, DateOnly? until = null, GridDuty duty = GridDuty.Worker)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
        // The assignment as the people feature writes it; its constructor is that feature's own.
        var assignment = (GridAssignment)Activator.CreateInstance(typeof(GridAssignment), nonPublic: true)!;
        var entry = db.Entry(assignment);
        entry.Property(a => a.Id).CurrentValue = Guid.NewGuid();
        entry.Property(a => a.GridCode).CurrentValue = gridCode;
        entry.Property(a => a.DivisionCode).CurrentValue = DivisionCode.Parse(gridCode[..12]);
        entry.Property(a => a.PersonId).CurrentValue = person;
        entry.Property(a => a.PersonName).CurrentValue = name;
        entry.Property(a => a.Duty).CurrentValue = duty;
        entry.Property(a => a.From).CurrentValue = from ?? ChinaTime.Today(factory.Clock.GetUtcNow()).AddMonths(-1);
        entry.Property(a => a.Until).CurrentValue = until;
        entry.Property(a => a.ChangedAt).CurrentValue = factory.Clock.GetUtcNow();
        entry.State = EntityState.Added;
        await db.SaveChangesAsync();
    }

    public static HttpClient WorkerClient(this ServiceFactory<GridModule> factory, Guid person, string village) =>
        factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.GridWorker, village, subject: person.ToString()));

    public static HttpClient ResidentClient(this ServiceFactory<GridModule> factory, string village, Guid? person = null) =>
        factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.Resident, village, subject: (person ?? Guid.NewGuid()).ToString()));

    /// <summary>A partner system's client (client credentials): no person behind it, its <c>client_id</c> names it.</summary>
    public static HttpClient PartnerClient(this ServiceFactory<GridModule> factory, string clientId, string division, params string[] scopes)
    {
        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.Issuer,
            Audience = PracticeMeshClaims.Audience,
            Subject = new ClaimsIdentity(
            [
                new Claim(PracticeMeshClaims.Subject, clientId),
                new Claim(PracticeMeshClaims.ClientId, clientId),
                new Claim(PracticeMeshClaims.Role, PracticeMeshRoles.Partner),
                new Claim(PracticeMeshClaims.Division, division),
                new Claim(PracticeMeshClaims.Scope, string.Join(' ', scopes)),
            ]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(TestTokens.SigningKey, SecurityAlgorithms.RsaSha256),
        });
        return factory.CreateClient().WithToken(token);
    }

    public static HttpClient TownshipClient(this ServiceFactory<GridModule> factory, string township) =>
        factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.TownshipAdmin, township));

    /// <summary>A sanitation case in <paramref name="gridCode"/> at a point (each test uses its own, far from the others).</summary>
    public static Task<JsonElement> ReportAsync(this HttpClient client, string gridCode, double latitude, double longitude, string category = "sanitation") =>
        client.PostAsync(Cases, new
        {
            category, description = "路边垃圾堆积", address = "三组路口", latitude, longitude, gridCode,
            media = new[] { "https://media.example.cn/before.jpg" },
        }, HttpStatusCode.Created);

    public static Task<JsonElement> StepAsync(this HttpClient client, Guid caseId, string step, object? body = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.PostAsync($"{Cases}/{caseId}/{step}", body, expected);

    public static Task<JsonElement> CaseAsync(this HttpClient client, Guid caseId, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.GetAsync($"{Cases}/{caseId}", expected);

    /// <summary>Reported in a new grid, accepted and dispatched to its worker.</summary>
    public static async Task<(Guid Case, Guid Worker, string Grid)> DispatchedAsync(this ServiceFactory<GridModule> factory, string village, double latitude, double longitude)
    {
        var grid = await factory.GridAsync(village);
        var worker = await factory.WorkerAsync(grid, "王网格");
        using var staff = factory.CreateClient();
        var id = (await staff.ReportAsync(grid, latitude, longitude)).Id();
        await staff.StepAsync(id, "accept");
        await staff.StepAsync(id, "dispatch", new { handlerId = worker });
        return (id, worker, grid);
    }

    public static Guid Id(this JsonElement json) => json.GetProperty("id").GetGuid();

    public static string Status(this JsonElement json) => json.GetProperty("status").GetString()!;

    public static string[] Actions(this JsonElement json) =>
        [.. json.GetProperty("history").EnumerateArray().Select(s => s.GetProperty("action").GetString()!)];
}
