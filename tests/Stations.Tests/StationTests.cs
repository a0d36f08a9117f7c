using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Tests;

/// <summary>The registry's rules, without a web host.</summary>
public class StationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 1, 0, 0, TimeSpan.Zero);

    private static readonly Station County = Station.Register("321324", "泗洪县新时代文明实践中心", StationKind.CountyCentre, null, Now);
    private static readonly Station Township = Station.Register("321324104", "青阳街道实践所", StationKind.Institute, County, Now);

    [Fact]
    public void A_county_centre_has_no_parent()
    {
        Assert.Equal("321324", County.Code);
        Assert.Null(County.ParentCode);
        Assert.Equal(StationStatus.Active, County.Status);

        var other = Station.Register("321323", "Other county", StationKind.CountyCentre, null, Now);
        var ex = Assert.Throws<DomainValidationException>(() =>
            Station.Register("321324", "Centre with a parent", StationKind.CountyCentre, other, Now));
        Assert.Contains("parentCode", ex.Errors.Keys);
    }

    [Fact]
    public void A_village_station_sits_under_its_township_institute()
    {
        var village = Station.Register("321324104201", " 大楼社区实践站 ", StationKind.Village, Township, Now);

        Assert.Equal("321324104", village.ParentCode);
        Assert.Equal("大楼社区实践站", village.Name);
        Assert.Equal(village.Code, village.DivisionCode.Value);
    }

    [Theory]
    [InlineData("321324", StationKind.Institute)]
    [InlineData("321324", StationKind.Village)]
    [InlineData("321324104", StationKind.CountyCentre)]
    [InlineData("321324104", StationKind.School)]
    [InlineData("321324104201", StationKind.Institute)]
    [InlineData("321324104201", StationKind.CountyCentre)]
    public void The_kind_must_fit_the_codes_tier(string code, StationKind kind)
    {
        var parent = code.Length switch { 9 => County, 12 => Township, _ => null };

        var ex = Assert.Throws<DomainValidationException>(() => Station.Register(code, "Site", kind, parent, Now));

        Assert.Equal(["kind"], ex.Errors.Keys);
    }

    [Theory]
    [InlineData(StationKind.Village)]
    [InlineData(StationKind.Community)]
    public void Village_and_community_stations_have_a_village_tier_code(StationKind kind)
    {
        var station = Station.Register("321324104201", "Site", kind, Township, Now);
        Assert.Equal(kind, station.Kind);
    }

    [Theory]
    [InlineData("321324104201-S01", StationKind.School, "321324104201")]
    [InlineData("321324104201-E02", StationKind.Enterprise, "321324104201")]
    [InlineData("321324104-A01", StationKind.Agency, "321324104")]
    [InlineData("321324-M12", StationKind.Mobile, "321324")]
    public void A_unit_station_is_keyed_by_its_place_kind_and_serial(string code, StationKind kind, string place)
    {
        var village = Station.Register("321324104201", "Village", StationKind.Village, Township, Now);
        var parent = place.Length switch { 6 => County, 9 => Township, _ => village };

        var station = Station.Register(code, "Unit", kind, parent, Now);

        Assert.Equal(code, station.Code);
        Assert.Equal(place, station.DivisionCode.Value);
        Assert.Equal(place, station.ParentCode);
    }

    [Theory]
    [InlineData("321324104201-S01", StationKind.Enterprise, "kind")]
    [InlineData("321324104201-S01", StationKind.Village, "kind")]
    [InlineData("321324104201-X01", StationKind.School, "code")]
    [InlineData("321324104201-S00", StationKind.School, "code")]
    [InlineData("321324104201-S1", StationKind.School, "code")]
    [InlineData("32132410420-S01", StationKind.School, "code")]
    public void A_unit_code_must_name_its_kind_and_a_serial(string code, StationKind kind, string field)
    {
        var village = Station.Register("321324104201", "Village", StationKind.Village, Township, Now);

        var ex = Assert.Throws<DomainValidationException>(() => Station.Register(code, "Unit", kind, village, Now));

        Assert.Equal([field], ex.Errors.Keys);
    }

    [Fact]
    public void The_parent_must_be_the_codes_own_ancestor()
    {
        var otherTownship = Station.Register("321324105", "Another institute", StationKind.Institute, County, Now);

        var ex = Assert.Throws<DomainValidationException>(() =>
            Station.Register("321324104201", "Station", StationKind.Village, otherTownship, Now));

        Assert.Contains("parentCode", ex.Errors.Keys);
        // The county itself is an ancestor but not the tier directly above.
        Assert.Throws<DomainValidationException>(() => Station.Register("321324104201", "Station", StationKind.Village, County, Now));
    }

    [Fact]
    public void A_site_below_the_county_needs_its_parent_registered_first()
    {
        var ex = Assert.Throws<DomainValidationException>(() => Station.Register("321324104", "Institute", StationKind.Institute, null, Now));

        Assert.Contains("parentCode", ex.Errors.Keys);
        Assert.Contains("321324", ex.Errors["parentCode"][0]);
    }

    [Theory]
    [InlineData("32132", "code")]
    [InlineData("32132410420x", "code")]
    [InlineData(null, "code")]
    public void A_malformed_code_is_refused_by_field(string? code, string field)
    {
        var ex = Assert.Throws<DomainValidationException>(() => Station.Register(code, "Site", StationKind.Village, Township, Now));
        Assert.Contains(field, ex.Errors.Keys);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void A_name_is_required(string? name)
    {
        var ex = Assert.Throws<DomainValidationException>(() => Station.Register("321325", name, StationKind.CountyCentre, null, Now));
        Assert.Equal(["name"], ex.Errors.Keys);
    }

    [Fact]
    public void An_undefined_kind_is_refused()
    {
        // A client can send a number for the enum; an unknown one must not become a site.
        var ex = Assert.Throws<DomainValidationException>(() => Station.Register("321324104201", "Site", (StationKind)99, Township, Now));
        Assert.Contains("kind", ex.Errors.Keys);
    }

    [Fact]
    public void The_registered_event_describes_the_site()
    {
        var village = Station.Register("321324104201", "Station", StationKind.Village, Township, Now);

        var e = village.ToRegisteredEvent(Now);

        Assert.Equal(village.Id, e.StationId);
        Assert.Equal("321324104201", e.StationCode);
        Assert.Equal("321324104201", e.DivisionCode.Value);
        Assert.Equal("321324104", e.ParentStationCode);
        Assert.Equal(StationKind.Village, e.Kind);
        Assert.NotEqual(Guid.Empty, e.EventId);
        Assert.NotEqual(e.EventId, village.ToRegisteredEvent(Now).EventId);
    }
}
