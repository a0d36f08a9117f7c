using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>The public directory residents pick a place from on the public pages, without signing in.</summary>
public sealed class DirectoryApiTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    private const string Path = StationsClient.Path;

    [Fact]
    public async Task Anyone_reads_the_open_division_sites_by_name_without_unit_stations_or_closed_ones()
    {
        using var admin = factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);
        await admin.RegisterTreeAsync("321391");
        await admin.RegisterAsync("321391104202", "Village", "后庄村新时代文明实践站");
        await admin.RegisterAsync("321391104201-S01", "School", "青阳中学实践站");
        await admin.PostAsync($"{Path}/321391104202/close", new { reason = "撤并" }, HttpStatusCode.OK);
        using var anonymous = factory.CreateAnonymousClient();

        var directory = await anonymous.GetAsync<List<Entry>>($"{Path}/directory?under=321391");

        Assert.Equal(["321391", "321391104", "321391104201"], directory.Select(e => e.Code));
        Assert.All(directory, e => Assert.False(string.IsNullOrWhiteSpace(e.Name)));
        Assert.Equal("321391104", directory[2].ParentCode);
        var everywhere = await anonymous.GetAsync<List<Entry>>($"{Path}/directory");
        Assert.Contains(everywhere, e => e.Code == "321391104201");
    }

    [Theory]
    [InlineData("3213")]
    [InlineData("32139110420x")]
    public async Task A_directory_without_a_division_code_is_400_naming_under(string under)
    {
        using var anonymous = factory.CreateAnonymousClient();

        var problem = await anonymous.GetAsync($"{Path}/directory?under={under}", HttpStatusCode.BadRequest);

        Assert.True(problem.HasError("under"), problem.ToString());
    }

    private sealed record Entry(string Code, string Name, string Kind, string? ParentCode);
}
