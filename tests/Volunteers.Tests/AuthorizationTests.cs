using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Division scopes on volunteers: a township admin reviews and reads only their own township's people.</summary>
public sealed class AuthorizationTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = "/api/v1/volunteers";

    [Fact]
    public async Task A_township_admin_cannot_see_review_or_register_another_townships_volunteers()
    {
        using var townshipA = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var townshipB = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        var inB = (await townshipB.PostAsync(Path, TestPeople.Registration("陈静", "321324105201"), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

        await townshipA.GetAsync($"{Path}/{inB}", HttpStatusCode.NotFound);
        await townshipA.GetAsync($"{Path}/{inB}/hours", HttpStatusCode.NotFound);
        await townshipA.PostAsync($"{Path}/{inB}/approve", null, HttpStatusCode.NotFound);
        await townshipA.PostAsync(Path, TestPeople.Registration("刘洋", "321324105202"), HttpStatusCode.Forbidden);

        var read = await townshipB.GetAsync($"{Path}/{inB}", HttpStatusCode.OK);
        Assert.Equal("Pending", read.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reviewing_needs_the_write_scope()
    {
        using var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        var id = (await admin.PostAsync(Path, TestPeople.Registration("王芳", "321324104201"), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        using var leader = factory.CreateClient(PracticeMeshRoles.TeamLeader, "321324104201");

        await leader.GetAsync($"{Path}/{id}", HttpStatusCode.OK);
        await leader.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.Forbidden);
        Assert.Equal("Pending", (await admin.GetAsync($"{Path}/{id}", HttpStatusCode.OK)).GetProperty("status").GetString());
    }
}
