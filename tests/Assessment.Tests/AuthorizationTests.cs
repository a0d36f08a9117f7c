using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests;

/// <summary>Division scopes on assessment results.</summary>
public sealed class AuthorizationTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    [Fact]
    public async Task A_township_admin_sees_only_their_townships_stations()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");

        await township.GetAsync("/api/v1/assessment/stations/321324104201/months/2026-03", HttpStatusCode.OK);
        await township.GetAsync("/api/v1/assessment/stations/321324105201/months/2026-03", HttpStatusCode.NotFound);
        var neighbours = await township.GetAsync("/api/v1/assessment/months/2026-03?under=321324105", HttpStatusCode.OK);
        Assert.Equal(0, neighbours.GetArrayLength());
    }

    [Fact]
    public async Task Results_need_the_assessment_scope()
    {
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");
        await volunteer.GetAsync("/api/v1/assessment/stations/321324104201/months/2026-03", HttpStatusCode.Forbidden);
        using var anonymous = factory.CreateAnonymousClient();
        await anonymous.GetAsync("/api/v1/assessment/months/2026-03", HttpStatusCode.Unauthorized);
    }
}
