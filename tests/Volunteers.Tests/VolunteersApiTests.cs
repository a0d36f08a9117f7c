using System.Net;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

public sealed class VolunteersApiTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = VolunteerClient.Path;

    [Fact]
    public async Task Registers_a_pending_volunteer_and_reads_it_back()
    {
        using var client = factory.CreateClient();

        var created = await client.PostAsync(Path, TestPeople.Registration(" 王芳 ", "321324104201"), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();

        var read = await client.GetVolunteerAsync(id);
        Assert.Equal("王芳", read.GetProperty("name").GetString());
        Assert.Equal("321324104201", read.GetProperty("homeStationCode").GetString());
        Assert.Equal("Pending", read.GetProperty("status").GetString());
        await factory.PublishedAsync<VolunteerRegistered>(m => m.VolunteerId == id);
    }

    [Fact]
    public async Task Approving_publishes_VolunteerApproved()
    {
        using var client = factory.CreateClient();
        var id = await client.RegisterAsync("李强");

        var approved = await client.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.OK);

        Assert.Equal("Approved", approved.GetProperty("status").GetString());
        Assert.Equal(factory.Clock.GetUtcNow(), approved.GetProperty("reviewedAt").GetDateTimeOffset());
        var message = await factory.PublishedAsync<VolunteerApproved>(m => m.VolunteerId == id);
        Assert.Equal("李强", message.DisplayName);
        Assert.Equal("321324104201", message.DivisionCode.Value);
    }

    [Fact]
    public async Task Approving_publishes_the_home_station_and_categories_assessment_counts_hours_by()
    {
        using var client = factory.CreateClient();

        var id = await client.RegisterApprovedAsync("赵敏", "321324104202", ["Cadre", "PartyApplicant"]);

        var message = await factory.PublishedAsync<VolunteerApproved>(m => m.VolunteerId == id);
        Assert.Equal("321324104202", message.HomeStationCode);
        Assert.Equal(["Cadre", "PartyApplicant"], message.Categories!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Approving_twice_is_409_and_changes_nothing()
    {
        using var client = factory.CreateClient();
        var id = await client.RegisterApprovedAsync();
        var reviewedAt = (await client.GetVolunteerAsync(id)).GetProperty("reviewedAt").GetDateTimeOffset();
        factory.Clock.Advance(TimeSpan.FromMinutes(5));

        await client.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.Conflict);
        await client.PostAsync($"{Path}/{id}/reject", new { reason = "Too late" }, HttpStatusCode.Conflict);

        var read = await client.GetVolunteerAsync(id);
        Assert.Equal("Approved", read.GetProperty("status").GetString());
        Assert.Equal(reviewedAt, read.GetProperty("reviewedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_and_a_rejected_volunteer_cannot_be_approved()
    {
        using var client = factory.CreateClient();
        var id = await client.RegisterAsync();

        var problem = await client.PostAsync($"{Path}/{id}/reject", new { reason = " " }, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _), problem.ToString());
        Assert.Equal("Pending", (await client.GetVolunteerAsync(id)).GetProperty("status").GetString());

        var rejected = await client.PostAsync($"{Path}/{id}/reject", new { reason = "Not a resident" }, HttpStatusCode.OK);
        Assert.Equal("Rejected", rejected.GetProperty("status").GetString());

        await client.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.Conflict);
        Assert.Equal("Rejected", (await client.GetVolunteerAsync(id)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(null, "321324104201", "name")]
    [InlineData("王芳", "3213241042", "homeStationCode")]
    [InlineData("王芳", "321324104000", "homeStationCode")]
    [InlineData("王芳", null, "homeStationCode")]
    public async Task A_bad_registration_is_400_naming_the_field(string? name, string? homeStationCode, string field)
    {
        using var client = factory.CreateClient();

        var problem = await client.PostAsync(Path, new { name, homeStationCode }, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task An_unknown_volunteer_is_404_everywhere()
    {
        using var client = factory.CreateClient();
        var id = Guid.NewGuid();

        await client.GetAsync($"{Path}/{id}", HttpStatusCode.NotFound);
        await client.GetAsync($"{Path}/{id}/hours", HttpStatusCode.NotFound);
        await client.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.NotFound);
        await client.PostAsync($"{Path}/{id}/reject", new { reason = "Unknown" }, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_new_volunteer_has_an_empty_ledger()
    {
        using var client = factory.CreateClient();
        var id = await client.RegisterApprovedAsync();

        var ledger = await client.GetLedgerAsync(id);

        Assert.Equal(id, ledger.VolunteerId);
        Assert.Equal(0m, ledger.TotalHours);
        Assert.Empty(ledger.Entries);
    }
}
