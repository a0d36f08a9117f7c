using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Contracts.Tests;

public class DivisionCodeTests
{
    [Theory]
    [InlineData("321324104201", "321324104")]
    [InlineData("321324104", "321324104")]
    [InlineData("321324", "321324")]
    public void A_code_names_the_township_it_lies_in(string text, string township) =>
        Assert.Equal(township, DivisionCode.Parse(text).Township.Value);

    [Theory]
    [InlineData("321324", DivisionTier.County)]
    [InlineData("321324104", DivisionTier.Township)]
    [InlineData("321324104201", DivisionTier.Village)]
    [InlineData(" 321324104201 ", DivisionTier.Village)]
    public void Parses_the_three_tiers(string text, DivisionTier tier)
    {
        var code = DivisionCode.Parse(text);
        Assert.Equal(tier, code.Tier);
        Assert.Equal(text.Trim(), code.Value);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("32132", "6 (county), 9 (township) or 12 (village) digits")]
    [InlineData("3213241042", "6 (county), 9 (township) or 12 (village) digits")]
    [InlineData("32132410420x", "digits only")]
    [InlineData("３２１３２４", "digits only")]
    [InlineData("001324", "province code")]
    [InlineData("991324", "province code")]
    [InlineData("320000", "names a province")]
    [InlineData("321324000", "township part of 000")]
    [InlineData("321324104000", "village part of 000")]
    public void Refuses_malformed_codes_and_says_why(string? text, string reason)
    {
        Assert.False(DivisionCode.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Throws<FormatException>(() => DivisionCode.Parse(text!));
    }

    [Fact]
    public void Parent_walks_up_one_tier_at_a_time()
    {
        var village = DivisionCode.Parse("321324104201");
        Assert.Equal(DivisionCode.Parse("321324104"), village.Parent);
        Assert.Equal(DivisionCode.Parse("321324"), village.Parent!.Value.Parent);
        Assert.Null(DivisionCode.Parse("321324").Parent);
        Assert.Equal(DivisionCode.Parse("321324"), village.County);
    }

    [Fact]
    public void Is_within_its_ancestors_and_scope_prefixes_only()
    {
        var village = DivisionCode.Parse("321324104201");
        Assert.True(village.IsWithin(DivisionCode.Parse("321324104")));
        Assert.True(village.IsWithin(DivisionCode.Parse("321324")));
        Assert.True(village.IsWithin(village));
        Assert.True(village.IsWithin("3213"));
        Assert.False(village.IsWithin(DivisionCode.Parse("321324105")));
        Assert.False(DivisionCode.Parse("321324").IsWithin(DivisionCode.Parse("321324104")));
    }

    [Fact]
    public void Travels_in_json_as_a_plain_string_and_refuses_bad_codes()
    {
        var json = JsonSerializer.Serialize(new { Code = DivisionCode.Parse("321324104") });
        Assert.Equal("""{"Code":"321324104"}""", json);
        Assert.Equal(DivisionCode.Parse("321324104"), JsonSerializer.Deserialize<DivisionCode>("\"321324104\""));
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DivisionCode>("\"12345\""));
        Assert.Contains("digits", error.Message);
    }

    [Fact]
    public void Events_round_trip_through_json_with_every_participant()
    {
        var completed = new ActivityCompleted(Guid.NewGuid(), DateTimeOffset.Parse("2026-03-05T10:00:00+08:00"),
            DivisionCode.Parse("321324104201"), Guid.NewGuid(), "321324104201", null, ActivityCategory.CivilityGuidance,
            DateTimeOffset.Parse("2026-03-05T08:00:00+08:00"), DateTimeOffset.Parse("2026-03-05T10:00:00+08:00"),
            [new ActivityParticipant(Guid.NewGuid(), 2m), new ActivityParticipant(Guid.NewGuid(), 1.5m)], 40);

        var copy = JsonSerializer.Deserialize<ActivityCompleted>(JsonSerializer.Serialize(completed))!;

        Assert.Equal(completed.EventId, copy.EventId);
        Assert.Equal(completed.DivisionCode, copy.DivisionCode);
        Assert.Equal(completed.Participants, copy.Participants);
        Assert.Equal(40, copy.AttendeeCount);
    }
}
