using PracticeMesh.Grid.Domain;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Tests;

/// <summary>Grid codes and levels (网格), without a web host.</summary>
public class GridCellTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 1, 0, 0, TimeSpan.Zero);
    private const string Village = "321324104201";

    [Fact]
    public void A_level_2_grid_is_the_village_code_and_a_two_digit_serial()
    {
        var grid = GridCell.Create(Village, null, 2, " 第二网格 ", Now, households: 120, population: 410);

        Assert.Equal("321324104201-02", grid.Code);
        Assert.Equal(2, grid.Level);
        Assert.Null(grid.ParentCode);
        Assert.Equal("第二网格", grid.Name);
        Assert.Equal((120, 410), (grid.Households, grid.Population));
        Assert.Equal(Village, grid.DivisionCode.Value);
    }

    [Fact]
    public void A_level_3_grid_extends_its_parents_code()
    {
        var parent = GridCell.Create(Village, null, 2, "第二网格", Now);

        var grid = GridCell.Create(Village, parent, 1, "第二网格一组", Now);

        Assert.Equal("321324104201-02-1", grid.Code);
        Assert.Equal(3, grid.Level);
        Assert.Equal("321324104201-02", grid.ParentCode);
    }

    [Fact]
    public void Level_3_grids_are_not_divided_further()
    {
        var level2 = GridCell.Create(Village, null, 2, "L2", Now);
        var level3 = GridCell.Create(Village, level2, 1, "L3", Now);

        var ex = Assert.Throws<DomainValidationException>(() => GridCell.Create(Village, level3, 1, "L4", Now));

        Assert.Equal(["parentCode"], ex.Errors.Keys);
    }

    [Fact]
    public void A_parent_grid_must_lie_in_the_same_village()
    {
        var elsewhere = GridCell.Create("321324104202", null, 1, "Other village", Now);

        var ex = Assert.Throws<DomainValidationException>(() => GridCell.Create(Village, elsewhere, 1, "Grid", Now));

        Assert.Equal(["parentCode"], ex.Errors.Keys);
    }

    [Theory]
    [InlineData("321324104", 1, "Grid", "villageCode")]     // a township is not divided into grids directly
    [InlineData("321324", 1, "Grid", "villageCode")]
    [InlineData("32132410420x", 1, "Grid", "villageCode")]
    [InlineData(null, 1, "Grid", "villageCode")]
    [InlineData(Village, 0, "Grid", "serial")]
    [InlineData(Village, 100, "Grid", "serial")]
    [InlineData(Village, 1, " ", "name")]
    public void A_bad_grid_names_the_field(string? village, int serial, string name, string field)
    {
        var ex = Assert.Throws<DomainValidationException>(() => GridCell.Create(village, null, serial, name, Now));

        Assert.Equal([field], ex.Errors.Keys);
    }

    [Theory]
    [InlineData(-1, 0, "households")]
    [InlineData(0, -5, "population")]
    public void Households_and_population_are_not_negative(int households, int population, string field)
    {
        var ex = Assert.Throws<DomainValidationException>(() => GridCell.Create(Village, null, 1, "Grid", Now, households, population));

        Assert.Equal([field], ex.Errors.Keys);
    }

    [Fact]
    public void A_retired_grid_keeps_its_code_and_does_not_change()
    {
        var grid = GridCell.Create(Village, null, 1, "Grid", Now);

        grid.Retire("村庄拆迁", Now.AddDays(1), ["321324104201-05"]);

        Assert.False(grid.Active);
        Assert.Equal("321324104201-01", grid.Code);
        Assert.Equal(["321324104201-05"], grid.SuccessorCodes);
        Assert.Throws<ConflictException>(() => grid.Update("New", 1, 1, null));
        Assert.Throws<ConflictException>(() => grid.Retire("again", Now.AddDays(2)));
        Assert.Throws<DomainValidationException>(() => GridCell.Create(Village, grid, 1, "Child of a retired grid", Now));
    }
}
