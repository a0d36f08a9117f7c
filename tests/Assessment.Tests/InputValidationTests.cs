using System.Net;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests;

/// <summary>A month is written yyyy-MM and lies in the accepted window (2000 to ten years ahead); anything else is a 400 naming it.</summary>
public sealed class InputValidationTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    private const string Path = "/api/v1/assessment";

    [Theory]
    [InlineData("0001-01")]
    [InlineData("9999-12")]
    [InlineData("1999-12")]
    [InlineData("2037-01")]
    [InlineData("2026-13")]
    [InlineData("2026-3")]
    [InlineData("2026-03-01")]
    [InlineData("March")]
    public async Task A_malformed_or_out_of_window_month_is_refused(string month)
    {
        using var client = factory.CreateClient();
        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"{Path}/stations/321324104201/months/{month}", HttpStatusCode.BadRequest), "month");
        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"{Path}/months/{month}?under=321324", HttpStatusCode.BadRequest), "month");
    }

    [Theory]
    [InlineData("2000-01")]
    [InlineData("2036-12")]
    public async Task The_windows_first_and_last_months_are_answered(string month)
    {
        using var client = factory.CreateClient();
        await client.GetAsync($"{Path}/stations/321324104201/months/{month}", HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_nul_character_in_the_query_is_refused()
    {
        using var client = factory.CreateClient();
        HttpAssertions.AssertNamesInvalid(await client.GetAsync($"{Path}/months/2026-03?under=%00", HttpStatusCode.BadRequest), "under");
    }
}
