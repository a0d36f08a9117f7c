using System.Globalization;
using System.Net;
using System.Text.Json;
using PracticeMesh.TestSupport;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Valid, distinct ID card numbers (GB 11643 check character) and phones for tests.</summary>
internal static class TestPeople
{
    private static int _serial;

    /// <summary>A valid number: region 321324, a birth date, a sequence whose parity gives the sex.</summary>
    public static string IdCard(DateOnly? birth = null, Sex sex = Sex.Female, string region = "321324")
    {
        var n = Interlocked.Increment(ref _serial);
        var date = birth ?? new DateOnly(1960, 1, 1).AddDays(n * 7 % 15000);
        var sequence = (n * 2 % 998) + (sex == Sex.Male ? 1 : 0);
        var first17 = $"{region}{date:yyyyMMdd}{sequence:D3}";
        return first17 + IdCardNumber.CheckCharacter(first17);
    }

    public static string Mobile() => "138" + (10_000_000 + Interlocked.Increment(ref _serial)).ToString(CultureInfo.InvariantCulture)[..8];

    public static object Registration(string name = "王芳", string homeStationCode = "321324104201", string? idCardNumber = null,
        string[]? categories = null) => new
    {
        name,
        idCardNumber = idCardNumber ?? IdCard(),
        mobile = Mobile(),
        politicalStatus = "PartyMember",
        categories = categories ?? ["Cadre"],
        skills = new[] { "政策宣讲" },
        homeStationCode,
    };
}

/// <summary>The calls the tests repeat: register, approve, read the ledger.</summary>
internal static class VolunteerClient
{
    public const string Path = "/api/v1/volunteers";

    public static async Task<Guid> RegisterAsync(this HttpClient client, string name = "王芳", string homeStationCode = "321324104201", string[]? categories = null)
    {
        var created = await client.PostAsync(Path, TestPeople.Registration(name, homeStationCode, categories: categories), HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    public static async Task<Guid> RegisterApprovedAsync(this HttpClient client, string name = "王芳", string homeStationCode = "321324104201", string[]? categories = null)
    {
        var id = await client.RegisterAsync(name, homeStationCode, categories);
        await client.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.OK);
        return id;
    }

    public static Task<JsonElement> GetVolunteerAsync(this HttpClient client, Guid id) => client.GetAsync($"{Path}/{id}", HttpStatusCode.OK);

    public static Task<Ledger> GetLedgerAsync(this HttpClient client, Guid id) => client.GetAsync<Ledger>($"{Path}/{id}/hours");

    public sealed record Ledger(Guid VolunteerId, decimal TotalHours, int StarLevel, List<LedgerEntry> Entries);

    public sealed record LedgerEntry(Guid Id, string Kind, Guid? ActivityId, decimal Hours, DateTimeOffset ServedOn, string? Reason, string? ApprovedBy, Guid? CorrectsEntryId);
}
