using PracticeMesh.Contracts;

namespace PracticeMesh.Contracts.Tests;

public class TownshipGuidTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("321324104", "321324104")]
    [InlineData("321324104202", "321324104")]
    [InlineData("110101001", "110101001")]
    [InlineData("829999999", "829999999")]
    public void An_id_names_the_township_of_the_division_it_was_made_for(string division, string township)
    {
        var id = TownshipGuid.New(DivisionCode.Parse(division), Now);

        Assert.Equal(DivisionCode.Parse(township), TownshipGuid.TownshipOf(id));
        Assert.Equal(8, id.Version);
        Assert.Equal(Now, TownshipGuid.MadeAt(id));
    }

    [Fact]
    public void Ids_of_one_township_are_unique_and_sort_by_the_time_they_were_made()
    {
        var township = DivisionCode.Parse("321324104");
        var ids = Enumerable.Range(0, 10_000).Select(i => TownshipGuid.New(township, Now.AddMilliseconds(i / 10))).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        var byTime = ids.Select(TownshipGuid.MadeAt).ToList();
        Assert.Equal(byTime.Order(), byTime);
        Assert.All(ids, id => Assert.Equal(township, TownshipGuid.TownshipOf(id)));
    }

    [Fact]
    public void Other_ids_name_no_township()
    {
        Assert.Null(TownshipGuid.TownshipOf(Guid.CreateVersion7(Now)));
        Assert.Null(TownshipGuid.TownshipOf(Guid.NewGuid()));
        Assert.Null(TownshipGuid.TownshipOf(Guid.Empty));
        // A county-level division names no township: its ids are version 7.
        var county = TownshipGuid.New(DivisionCode.Parse("321324"), Now);
        Assert.Equal(7, county.Version);
        Assert.Null(TownshipGuid.TownshipOf(county));
    }
}
