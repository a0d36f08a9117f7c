using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Contracts.Tests;

/// <summary>The one station code every service reads: a place's division code, or a unit station's place, kind and serial.</summary>
public class StationCodeTests
{
    [Theory]
    [InlineData("321324", null, "321324")]
    [InlineData("321324104201", null, "321324104201")]
    [InlineData("321324104201-S01", StationKind.School, "321324104201")]
    [InlineData("321324104201-e12", StationKind.Enterprise, "321324104201")]
    [InlineData(" 321324-A03 ", StationKind.Agency, "321324")]
    [InlineData("321324104-M01", StationKind.Mobile, "321324104")]
    public void Parses_every_kind_of_station_the_registry_takes(string text, StationKind? kind, string place)
    {
        var code = StationCode.Parse(text);

        Assert.Equal(kind, code.UnitKind);
        Assert.Equal(place, code.Place.Value);
        Assert.Equal(kind is null ? place : text.Trim().ToUpperInvariant(), code.Value);
        Assert.True(code.IsWithin(place[..6]));
        Assert.False(code.IsWithin("321325"));
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("3213241042", "digits")]
    [InlineData("321324104201-X01", "kind letter")]
    [InlineData("321324104201-S00", "serial 01-99")]
    [InlineData("321324104201-S1", "serial 01-99")]
    [InlineData("321324104201-S001", "serial 01-99")]
    [InlineData("32132410420-S01", "a division code, a dash")]
    [InlineData("321324104201-", "kind letter")]
    public void Refuses_a_malformed_code_and_says_why(string? text, string reason)
    {
        Assert.False(StationCode.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Throws<FormatException>(() => StationCode.Parse(text!));
    }

    [Fact]
    public void A_unit_code_round_trips_through_its_parts()
    {
        var code = StationCode.ForUnit(DivisionCode.Parse("321324104201"), StationKind.Mobile, 7);

        Assert.Equal("321324104201-M07", code.Value);
        Assert.Equal(code, StationCode.Parse(code.Value));
        Assert.True(code.IsUnit);
        Assert.True(code.Value.Length <= StationCode.MaxLength);
    }
}
