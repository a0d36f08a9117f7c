using System.Net;
using System.Text.Json;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>The calls the tests repeat: register, approve, read the ledger.</summary>
internal static class VolunteerClient
{
    public const string Path = "/api/v1/volunteers";

    public static async Task<Guid> RegisterAsync(this HttpClient client, string name = "王芳", string homeStationCode = "321324104201")
    {
        var created = await client.PostAsync(Path, new { name, homeStationCode }, HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    public static async Task<Guid> RegisterApprovedAsync(this HttpClient client, string name = "王芳")
    {
        var id = await client.RegisterAsync(name);
        await client.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.OK);
        return id;
    }

    public static Task<JsonElement> GetVolunteerAsync(this HttpClient client, Guid id) => client.GetAsync($"{Path}/{id}", HttpStatusCode.OK);

    public static Task<Ledger> GetLedgerAsync(this HttpClient client, Guid id) => client.GetAsync<Ledger>($"{Path}/{id}/hours");

    public sealed record Ledger(Guid VolunteerId, decimal TotalHours, List<LedgerEntry> Entries);

    public sealed record LedgerEntry(Guid Id, string Kind, Guid? ActivityId, decimal Hours, DateTimeOffset ServedOn);
}
