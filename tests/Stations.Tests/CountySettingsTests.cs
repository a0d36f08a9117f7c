using System.Net;
using Microsoft.AspNetCore.Hosting;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Stations.Domain;
using PracticeMesh.TestSupport;
using V2 = PracticeMesh.Contracts.Events.V2;

namespace PracticeMesh.Stations.Tests;

/// <summary>
/// A county that set its own numbers and lists (docs/county-settings.md): the village plan's eight-item checklist,
/// a station minimum of 2 staff (usually up to 3), pairings of up to 5 years.
/// </summary>
public sealed class CountyConfiguredStationsFactory : ServiceFactory<StationsModule>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Stations:SixHaves:Standard", "VillagePlanEightItems");
        builder.UseSetting("Stations:Staffing:Station:Minimum", "2");
        builder.UseSetting("Stations:Staffing:Station:UsualMaximum", "3");
        builder.UseSetting("Stations:PairingMaxYears", "5");
    }
}

/// <summary>Staffing minimums, the 六有 checklist and pairing periods as county configuration, not fixed rules.</summary>
public sealed class CountySettingsTests(CountyConfiguredStationsFactory factory) : IClassFixture<CountyConfiguredStationsFactory>
{
    private const string Path = StationsClient.Path;

    private static readonly string[] EightItems = ["Position", "Organisation", "Team", "Platform", "Rules", "Plan", "Activities", "Results"];

    private HttpClient CityWideClient() => factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);

    [Fact]
    public async Task The_eight_item_checklist_is_shown_evidenced_verified_and_reported_with_its_chinese_labels()
    {
        using var county = CityWideClient();
        await county.RegisterTreeAsync("321341");
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321341104");
        using var station = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321341104201");
        var items = $"{Path}/321341104201/six-haves";

        var empty = await station.GetAsync(items, HttpStatusCode.OK);
        Assert.Equal(EightItems, empty.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()));
        Assert.Equal(["阵地", "机构", "队伍", "平台", "制度", "方案", "活动", "成效"],
            empty.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("label").GetString()));
        Assert.Equal(8, empty.GetProperty("requiredItems").GetInt32());
        // The six-item standard's own items are not on this county's list.
        var funding = await station.PutAsync($"{items}/Funding", new { text = "x" }, HttpStatusCode.BadRequest);
        Assert.True(funding.HasError("item"), funding.ToString());

        foreach (var item in EightItems)
        {
            await station.PutAsync($"{items}/{item}", new { text = $"{item} 材料" }, HttpStatusCode.OK);
        }
        // An item is also reached by its Chinese label.
        var position = await township.PostAsync($"{items}/{Uri.EscapeDataString("阵地")}/verification", new { verdict = "Passed" }, HttpStatusCode.OK);
        Assert.Equal("Position", position.GetProperty("item").GetString());
        foreach (var item in EightItems.Skip(1).SkipLast(1))
        {
            await township.PostAsync($"{items}/{item}/verification", new { verdict = "Passed" }, HttpStatusCode.OK);
        }
        var seven = await station.GetAsync(items, HttpStatusCode.OK);
        Assert.Equal(7, seven.GetProperty("passedItems").GetInt32());
        Assert.False(seven.GetProperty("compliant").GetBoolean());
        var notYet = await county.GetAsync($"{Path}/six-haves?under=321341104&compliant=false", HttpStatusCode.OK);
        Assert.Contains("321341104201", notYet.GetProperty("stations").EnumerateArray().Select(s => s.GetProperty("stationCode").GetString()));

        await township.PostAsync($"{items}/results/verification", new { verdict = "Passed" }, HttpStatusCode.OK);

        var all = await station.GetAsync(items, HttpStatusCode.OK);
        Assert.True(all.GetProperty("compliant").GetBoolean());
        Assert.Equal(8, all.GetProperty("passedItems").GetInt32());
        var report = await county.GetAsync($"{Path}/six-haves?under=321341104&compliant=true", HttpStatusCode.OK);
        var row = Assert.Single(report.GetProperty("stations").EnumerateArray());
        Assert.Equal("321341104201", row.GetProperty("stationCode").GetString());
        Assert.Equal(8, row.GetProperty("requiredItems").GetInt32());
        var verified = await factory.PublishedAsync<V2.SixHavesVerified>(m => m.StationCode == "321341104201" && m.Compliant);
        Assert.Equal("Results", verified.Item);
        Assert.Equal("成效", verified.ItemLabel);
        Assert.Equal(8, verified.PassedItems);
        Assert.Equal(8, verified.RequiredItems);
        // The first version names the six items only, so it says nothing about this checklist.
        Assert.False(factory.Harness.Published.Select<SixHavesVerified>(m => m.Context.Message.StationCode == "321341104201").Any());
    }

    [Fact]
    public async Task The_configured_staffing_minimum_flags_a_station_and_more_than_usual_is_recorded_and_shown()
    {
        using var county = CityWideClient();
        await county.RegisterTreeAsync("321342");
        await county.RegisterAsync("321342104202", "Village");
        var staff = $"{Path}/321342104201/staff";
        await county.PostAsync(staff, new { name = "甲", role = "FullTime" }, HttpStatusCode.Created);

        var one = await county.GetAsync(staff, HttpStatusCode.OK);
        Assert.False(one.GetProperty("staffing").GetProperty("met").GetBoolean());
        Assert.Equal(2, one.GetProperty("staffing").GetProperty("requiredMin").GetInt32());
        Assert.Equal(3, one.GetProperty("staffing").GetProperty("requiredMax").GetInt32());

        foreach (var name in new[] { "乙", "丙", "丁" })
        {
            await county.PostAsync(staff, new { name, role = "PartTime" }, HttpStatusCode.Created);
        }
        var four = await county.GetAsync(staff, HttpStatusCode.OK);
        Assert.Equal(4, four.GetProperty("members").GetArrayLength());
        Assert.True(four.GetProperty("staffing").GetProperty("met").GetBoolean());
        Assert.True(four.GetProperty("staffing").GetProperty("aboveUsualRange").GetBoolean());

        var report = await county.GetAsync($"{Path}/staffing?under=321342104", HttpStatusCode.OK);
        Assert.Equal(3, report.GetProperty("sites").GetInt32());
        Assert.Equal(1, report.GetProperty("met").GetInt32());
        Assert.Equal(2, report.GetProperty("unmet").GetInt32());
        Assert.Equal(1, report.GetProperty("aboveUsualRange").GetInt32());
        var above = await county.GetAsync($"{Path}/staffing?under=321342104&aboveUsualRange=true", HttpStatusCode.OK);
        Assert.Equal(["321342104201"], above.GetProperty("stations").EnumerateArray().Select(s => s.GetProperty("stationCode").GetString()));
        var below = await county.GetAsync($"{Path}/staffing?under=321342104&met=false", HttpStatusCode.OK);
        Assert.Equal(["321342104", "321342104202"], below.GetProperty("stations").EnumerateArray().Select(s => s.GetProperty("stationCode").GetString()));
    }

    [Fact]
    public async Task A_pairing_runs_as_long_as_the_county_allows_and_no_longer()
    {
        using var county = CityWideClient();
        await county.RegisterTreeAsync("321343");
        var pairings = $"{Path}/321343104201/pairings";

        await county.PostAsync(pairings, new { partnerUnit = "县农业农村局", startsOn = "2026-01-01", endsOn = "2030-12-31" }, HttpStatusCode.Created);
        var tooLong = await county.PostAsync(pairings, new { partnerUnit = "县林业局", startsOn = "2026-01-01", endsOn = "2031-01-02" }, HttpStatusCode.BadRequest);

        Assert.True(tooLong.HasError("endsOn"), tooLong.ToString());
        Assert.Contains("5 year", tooLong.GetProperty("errors").GetProperty("endsOn")[0].GetString());
        Assert.Single((await county.GetAsync(pairings, HttpStatusCode.OK)).EnumerateArray());
    }
}

/// <summary>The checklist and the other county settings are checked when read: a bad configuration never reaches a request.</summary>
public sealed class CountySettingsValidationTests
{
    [Fact]
    public void The_defaults_are_the_seed_and_county_defaults()
    {
        var options = new StationsOptions();

        Assert.Empty(options.Problems());
        Assert.Equal(["有场所", "有队伍", "有制度", "有保障", "有成效", "有特色"], SixHavesChecklist.From(options.SixHaves).Items.Select(i => i.Label));
        Assert.True(SixHavesChecklist.From(options.SixHaves).IsSixItemStandard);
        Assert.Equal((2, 3), (options.Staffing.Institute.Minimum, options.Staffing.Institute.UsualMaximum));
        Assert.Equal((1, 2), (options.Staffing.Station.Minimum, options.Staffing.Station.UsualMaximum));
        Assert.Equal(3, options.PairingMaxYears);
    }

    [Fact]
    public void A_county_may_list_its_own_items_and_a_repeated_or_blank_item_is_refused()
    {
        var own = new SixHavesOptions { Items = [new() { Key = "Site", Label = "有阵地" }, new() { Key = "Team", Label = "有队伍" }] };
        Assert.Equal(["Site", "Team"], SixHavesChecklist.From(own).Items.Select(i => i.Key));
        Assert.False(SixHavesChecklist.From(own).IsSixItemStandard);

        var repeated = new StationsOptions { SixHaves = new() { Items = [new() { Key = "Site", Label = "a" }, new() { Key = "site", Label = "b" }] } };
        var blank = new StationsOptions { SixHaves = new() { Items = [new() { Key = "Site", Label = " " }] } };
        var staffing = new StationsOptions { Staffing = new() { Station = new() { Minimum = 3, UsualMaximum = 2 } } };

        Assert.Contains(repeated.Problems(), p => p.Contains("repeats"));
        Assert.Contains(blank.Problems(), p => p.Contains("Label"));
        Assert.Contains(staffing.Problems(), p => p.Contains("Stations:Staffing:Station"));
    }
}

/// <summary>Under the default six-item standard, each verdict is published in both versions, naming the same item.</summary>
public sealed class SixItemVerdictEventsTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    [Fact]
    public async Task A_verdict_on_the_six_item_standard_is_published_as_the_first_version_and_the_second()
    {
        using var county = factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);
        await county.RegisterTreeAsync("321344");
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321344104");
        var item = $"{StationsClient.Path}/321344104201/six-haves/{Uri.EscapeDataString("有保障")}";

        var evidence = await township.PutAsync(item, new { text = "年度经费预算" }, HttpStatusCode.OK);
        await township.PostAsync($"{item}/verification", new { verdict = "Failed", remark = "缺少预算批复" }, HttpStatusCode.OK);

        Assert.Equal(("Funding", "有保障"), (evidence.GetProperty("item").GetString(), evidence.GetProperty("label").GetString()));
        var second = await factory.PublishedAsync<V2.SixHavesVerified>(m => m.StationCode == "321344104201");
        Assert.Equal(("Funding", "有保障", SixHavesVerdict.Failed, 6), (second.Item, second.ItemLabel, second.Verdict, second.RequiredItems));
        var first = await factory.PublishedAsync<SixHavesVerified>(m => m.StationCode == "321344104201");
        Assert.Equal((SixHavesItem.Funding, SixHavesVerdict.Failed), (first.Item, first.Verdict));
    }
}
