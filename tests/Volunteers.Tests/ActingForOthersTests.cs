using System.Net;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>
/// A volunteer asks for hour corrections and joins or leaves teams only for themselves: any other id answers as an
/// unknown one and nothing is written. A team leader or admin acts for a volunteer their division covers, audited.
/// </summary>
public sealed class ActingForOthersTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = VolunteerClient.Path;
    private const string Village = "321324104204";

    private HttpClient Login(string role, Guid? volunteerId = null, string division = Village) =>
        factory.CreateClient().WithToken(TestTokens.Create(role, division, volunteerId: volunteerId));

    private static object Correction(string reason) => new { servedOn = "2026-03-02", hours = 2, reason };

    [Fact]
    public async Task A_volunteer_asks_for_a_correction_only_for_themselves_and_a_team_leader_asks_for_others_audited()
    {
        using var county = factory.CreateClient();
        var me = await county.RegisterApprovedAsync("冯磊", Village);
        var neighbour = await county.RegisterApprovedAsync("褚娟", Village);
        using var volunteer = Login(PracticeMeshRoles.Volunteer, me);

        var refused = await volunteer.PostAsync($"{Path}/{neighbour}/hours/correction-requests", Correction("代人申请"), HttpStatusCode.NotFound);
        var unknown = Guid.NewGuid();
        var unknownRefused = await volunteer.PostAsync($"{Path}/{unknown}/hours/correction-requests", Correction("代人申请"), HttpStatusCode.NotFound);
        Assert.Equal(unknownRefused.GetProperty("detail").GetString()!.Replace(unknown.ToString(), "{id}"),
            refused.GetProperty("detail").GetString()!.Replace(neighbour.ToString(), "{id}"));
        await volunteer.PostAsync($"{Path}/{me}/hours/correction-requests", Correction("签到表漏记"), HttpStatusCode.Created);
        var mine = await volunteer.GetAsync($"{Path}/{me}/hours/correction-requests", HttpStatusCode.OK);
        Assert.Equal("签到表漏记", mine.EnumerateArray().Single().GetProperty("reason").GetString());

        Assert.Equal(0, (await county.GetAsync($"{Path}/{neighbour}/hours/correction-requests", HttpStatusCode.OK)).GetArrayLength());
        Assert.DoesNotContain(factory.Harness.Published.Select<AuditRecorded>().ToList(), a => a.Context.Message.Detail?.Contains(neighbour.ToString()) == true);

        using var leader = Login(PracticeMeshRoles.TeamLeader);
        var forNeighbour = await leader.PostAsync($"{Path}/{neighbour}/hours/correction-requests", Correction("队长代为申请"), HttpStatusCode.Created);
        Assert.Equal(neighbour, forNeighbour.GetProperty("volunteerId").GetGuid());
        var audit = await factory.PublishedAsync<AuditRecorded>(a => a.Detail == $"on behalf of volunteer {neighbour}");
        Assert.Equal((PracticeMeshRoles.TeamLeader, "volunteers"), (audit.Role, audit.Service));

        // A team leader of another village acts for nobody here.
        using var otherLeader = Login(PracticeMeshRoles.TeamLeader, division: "321324104205");
        await otherLeader.PostAsync($"{Path}/{neighbour}/hours/correction-requests", Correction("越权"), HttpStatusCode.NotFound);
        Assert.Equal(1, (await county.GetAsync($"{Path}/{neighbour}/hours/correction-requests", HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task A_volunteer_joins_and_leaves_teams_only_for_themselves()
    {
        using var county = factory.CreateClient();
        var me = await county.RegisterApprovedAsync("蒋涛", Village);
        var neighbour = await county.RegisterApprovedAsync("沈静", Village);
        var villageTeam = (await county.PostAsync($"{Path}/teams", new { name = "村风文明队", tier = "Team", homeStationCode = Village }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        // A township 支队 lies above the volunteer's village login, and is still theirs to join.
        var townshipTeam = (await county.PostAsync($"{Path}/teams", new { name = "青阳镇支队", tier = "Township", homeStationCode = "321324104" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var elsewhere = (await county.PostAsync($"{Path}/teams", new { name = "双沟镇支队", tier = "Township", homeStationCode = "321324105" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        using var volunteer = Login(PracticeMeshRoles.Volunteer, me);

        await volunteer.PostAsync($"{Path}/teams/{villageTeam}/members", new { volunteerId = me }, HttpStatusCode.Created);
        await volunteer.PostAsync($"{Path}/teams/{townshipTeam}/members", new { volunteerId = me }, HttpStatusCode.Created);
        await volunteer.PostAsync($"{Path}/teams/{elsewhere}/members", new { volunteerId = me }, HttpStatusCode.NotFound);
        await volunteer.PostAsync($"{Path}/teams/{villageTeam}/members", new { volunteerId = neighbour }, HttpStatusCode.NotFound);
        await volunteer.PostAsync($"{Path}/teams/{villageTeam}/members", new { volunteerId = Guid.NewGuid() }, HttpStatusCode.NotFound);

        using var leader = Login(PracticeMeshRoles.TeamLeader);
        await leader.PostAsync($"{Path}/teams/{villageTeam}/members", new { volunteerId = neighbour }, HttpStatusCode.Created);
        await factory.PublishedAsync<AuditRecorded>(a => a.Detail == $"on behalf of volunteer {neighbour}" && a.Action.Contains(villageTeam.ToString()));

        await volunteer.PostAsync($"{Path}/teams/{villageTeam}/members/{neighbour}/leave", null, HttpStatusCode.NotFound);
        var members = await county.GetAsync($"{Path}/teams/{villageTeam}/members", HttpStatusCode.OK);
        Assert.Equal(new[] { me, neighbour }.Order(), members.EnumerateArray().Select(m => m.GetProperty("volunteerId").GetGuid()).Order());

        await volunteer.PostAsync($"{Path}/teams/{townshipTeam}/members/{me}/leave", null, HttpStatusCode.OK);
        var record = await volunteer.GetAsync($"{Path}/me", HttpStatusCode.OK);
        Assert.Equal(villageTeam, record.GetProperty("teams").EnumerateArray().Single().GetProperty("teamId").GetGuid());

        // A volunteer login without the claim, or a resident's, joins nobody.
        using var resident = Login(PracticeMeshRoles.Resident);
        await resident.PostAsync($"{Path}/teams/{villageTeam}/members", new { volunteerId = neighbour }, HttpStatusCode.Forbidden);
        using var unlinked = Login(PracticeMeshRoles.Volunteer);
        await unlinked.PostAsync($"{Path}/teams/{townshipTeam}/members", new { volunteerId = neighbour }, HttpStatusCode.NotFound);
        Assert.Equal(0, (await county.GetAsync($"{Path}/teams/{townshipTeam}", HttpStatusCode.OK)).GetProperty("members").GetInt32());
    }
}
