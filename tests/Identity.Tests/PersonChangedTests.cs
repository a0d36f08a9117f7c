using System.Net;
using System.Net.Http.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Identity.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Identity.Tests;

/// <summary>
/// Every change to a person is published as <see cref="PersonChanged"/> (the person as they stand after it), which is
/// how the grid service knows its workers and cadres.
/// </summary>
public sealed class PersonChangedTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private static string NewUserName() => $"user.{Guid.NewGuid():N}"[..16];

    private Task<PersonChanged> ChangedAsync(Guid personId, Func<PersonChanged, bool> match) =>
        factory.PublishedAsync<PersonChanged>(e => e.PersonId == personId && match(e));

    /// <summary>Moves the clock on, so each change happens at its own time (the grid keeps the latest by time).</summary>
    private void Later() => factory.Clock.Advance(TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Creating_renaming_moving_deactivating_and_activating_a_person_each_publish_the_person_as_they_now_stand()
    {
        using var admin = factory.CreateClient();
        var created = await admin.PostAsync("/api/v1/identity/people",
            new { userName = NewUserName(), displayName = "赵网格", password = "correct-horse-1", role = PracticeMeshRoles.GridWorker, division = "321324104202" },
            HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var first = await ChangedAsync(id, e => e.DisplayName == "赵网格");
        Assert.Equal((PracticeMeshRoles.GridWorker, "321324104202", true), (first.Role, first.DivisionCode.Value, first.Active));

        Later();
        await PutAsync(admin, $"/api/v1/identity/people/{id}", new { displayName = "赵明" }, HttpStatusCode.OK);
        var renamed = await ChangedAsync(id, e => e.DisplayName == "赵明");
        Assert.Equal((PracticeMeshRoles.GridWorker, "321324104202", true), (renamed.Role, renamed.DivisionCode.Value, renamed.Active));
        Assert.True(renamed.OccurredAt > first.OccurredAt);

        Later();
        await PutAsync(admin, $"/api/v1/identity/people/{id}", new { role = PracticeMeshRoles.StationAdmin, division = "321324104201" }, HttpStatusCode.OK);
        var moved = await ChangedAsync(id, e => e.Role == PracticeMeshRoles.StationAdmin);
        Assert.Equal(("赵明", "321324104201", true), (moved.DisplayName, moved.DivisionCode.Value, moved.Active));

        Later();
        await admin.PostAsync($"/api/v1/identity/people/{id}/deactivate", null, HttpStatusCode.OK);
        var deactivated = await ChangedAsync(id, e => !e.Active);
        Assert.Equal(("赵明", PracticeMeshRoles.StationAdmin, "321324104201"), (deactivated.DisplayName, deactivated.Role, deactivated.DivisionCode.Value));

        Later();
        await admin.PostAsync($"/api/v1/identity/people/{id}/activate", null, HttpStatusCode.OK);
        var activated = await ChangedAsync(id, e => e.Active && e.OccurredAt > deactivated.OccurredAt);
        Assert.Equal(PracticeMeshRoles.StationAdmin, activated.Role);
    }

    [Fact]
    public async Task A_refused_change_publishes_nothing_and_the_next_change_says_what_holds()
    {
        using var admin = factory.CreateClient();
        var created = await admin.PostAsync("/api/v1/identity/people",
            new { userName = NewUserName(), displayName = "钱进", password = "correct-horse-1", role = PracticeMeshRoles.GridWorker, division = "321324104202" },
            HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        await ChangedAsync(id, e => e.Active);

        Later();
        // A grid worker lives in a village: a township division is refused, and nothing of it is published.
        await PutAsync(admin, $"/api/v1/identity/people/{id}", new { displayName = "钱不该", division = "321324104" }, HttpStatusCode.BadRequest);
        Later();
        await PutAsync(admin, $"/api/v1/identity/people/{id}", new { displayName = "钱多" }, HttpStatusCode.OK);

        await ChangedAsync(id, e => e.DisplayName == "钱多");
        Assert.DoesNotContain(factory.Harness.Published.Select<PersonChanged>(), m => m.Context.Message.DisplayName == "钱不该");
    }

    [Fact]
    public async Task The_demo_people_are_published_when_seeded_so_the_demo_grid_worker_is_known()
    {
        var (userName, displayName, role, division) = DemoAccounts.People.Single(p => p.Role == PracticeMeshRoles.GridWorker);
        using var admin = factory.CreateClient();
        var people = await admin.GetAsync($"/api/v1/identity/people?under={division}&role={role}", HttpStatusCode.OK);
        var id = people.EnumerateArray().Single(p => p.GetProperty("userName").GetString() == userName).GetProperty("id").GetGuid();

        var published = await ChangedAsync(id, _ => true);

        Assert.Equal((displayName, role, division, true), (published.DisplayName, published.Role, published.DivisionCode.Value, published.Active));
    }

    private static async Task PutAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PutAsJsonAsync(path, body, HttpAssertions.Json);
        Assert.True(response.StatusCode == expected, $"PUT {path}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
